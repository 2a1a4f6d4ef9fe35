import ArgumentParser
import CurateCore
import CurateIngest
import Foundation

struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the main text of an HTML page, as the html input and the html_extract stage see it.",
        discussion: "FILE may be compressed (gzip, zstd, bzip2). The charset comes from a BOM or <meta>, else UTF-8 "
            + "or windows-1252. Exit status 1 if FILE cannot be read.")

    @Argument(help: "The HTML file (with --batch, any number of them).", completion: .file(extensions: ["html", "htm", "gz"]))
    var files: [String]

    @Flag(help: "Print a JSON object with the text, title, lang, canonical_url and charset.")
    var json = false

    @Flag(help: "Keep all visible text, not only the main content.")
    var all = false

    @Flag(help: "Start list items with \"- \".")
    var listBullets = false

    @Flag(help: ArgumentHelp("Extract every FILE; print one JSON line {\"file\", \"text\"} each, in order.", visibility: .hidden))
    var batch = false

    @Option(help: ArgumentHelp("Threads for --batch.", visibility: .hidden))
    var workers = 1

    @Flag(help: ArgumentHelp("With --batch, print on stderr the seconds spent decoding and extracting (not reading).",
                             visibility: .hidden))
    var timing = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("no FILE given") }
        if files.count > 1, !batch { throw ValidationError("one FILE at a time (got \(files.count))") }
        if workers < 1 { throw ValidationError("--workers must be at least 1") }
    }

    func run() throws {
        let extractor = HTMLExtractor(mainContent: !all, listBullets: listBullets)
        guard batch else {
            let (page, charset): (ExtractedPage, String)
            do throws(RecordError) {
                (page, charset, _) = try read(files[0], with: extractor)
            } catch {
                FileHandle.standardError.write(Data("error: \(files[0]): \(error.message)\n".utf8))
                throw ExitCode.failure
            }
            if json {
                func string(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
                let object = JSONObject([
                    ("text", .string(String(decoding: page.text, as: UTF8.self))), ("title", string(page.title)),
                    ("lang", string(page.lang)), ("canonical_url", string(page.canonicalURL)), ("charset", .string(charset)),
                ])
                print(JSONWriter.serialize(.object(object), pretty: true))
            } else {
                FileHandle.standardOutput.write(Data(page.text + [0x0A]))
            }
            return
        }
        let lines = Lines(count: files.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: files.count, by: workers) {
                var writer = JSONWriter()
                writer.raw("{")
                writer.key("file")
                writer.write(string: files[index])
                writer.raw(",")
                do throws(RecordError) {
                    let (page, _, seconds) = try read(files[index], with: extractor)
                    lines.add(seconds: seconds)
                    writer.key("text")
                    writer.write(utf8: page.text)
                } catch {
                    writer.key("error")
                    writer.write(string: error.message)
                }
                writer.raw("}\n")
                lines.set(index, writer.bytes)
            }
        }
        FileHandle.standardOutput.write(Data(lines.joined()))
        if timing { FileHandle.standardError.write(Data("decoding and extraction: \(lines.seconds) s\n".utf8)) }
    }

    /// The extracted page in `path`, the charset it was decoded from, and the seconds spent
    /// decoding and extracting; read as the `html` input reads it.
    private func read(_ path: String, with extractor: HTMLExtractor) throws(RecordError) -> (ExtractedPage, String, Double) {
        let format = HTMLFormat()
        let file = InputFile(id: 0, displayPath: path, path: path, size: 0, sha256: "")
        var source = try format.open(file)
        switch source.next() {
        case let .record(raw)?:
            let start = DispatchTime.now().uptimeNanoseconds
            guard let document = try format.decode(raw, from: file) else { break }
            let page = extractor.extract(document.text)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let charset = if case let .string(name)? = document.metadata["charset"] { name } else { "UTF-8" }
            return (page, charset, seconds)
        case let .corrupt(_, message)?:
            throw RecordError(message)
        case nil:
            break
        }
        return (ExtractedPage(text: []), "UTF-8", 0)
    }
}

/// The output lines of a batch and the time spent on them, filled in by several threads.
private final class Lines: @unchecked Sendable {
    private var lines: [[UInt8]]
    private(set) var seconds = 0.0
    private let lock = NSLock()

    init(count: Int) { lines = Array(repeating: [], count: count) }

    func set(_ index: Int, _ line: [UInt8]) {
        lock.lock()
        lines[index] = line
        lock.unlock()
    }

    func add(seconds more: Double) {
        lock.lock()
        seconds += more
        lock.unlock()
    }

    func joined() -> [UInt8] { lines.flatMap { $0 } }
}
