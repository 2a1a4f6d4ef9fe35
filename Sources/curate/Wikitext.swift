import ArgumentParser
import CurateCore
import CurateIngest
import Foundation

struct Wikitext: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the plain text of a MediaWiki dump's articles, as the mediawiki input sees them.",
        discussion: "Reads namespace-0 pages that are not redirects, on one thread. With --timing, prints on stderr "
            + "how long reading the XML and converting the wikitext took (for bench/wikipedia.sh).",
        shouldDisplay: false)

    @Argument(help: "The dump (.xml, .xml.bz2, .xml.xz).", completion: .file())
    var file: String

    @Flag(help: "Print one JSON line per page: {\"id\", \"title\", \"text\"}.")
    var json = false

    @Flag(help: "Print the page count and the seconds spent reading and converting on stderr.")
    var timing = false

    func run() throws {
        let format = MediaWikiFormat()
        let input = InputFile(id: 0, displayPath: file, path: file, size: 0, sha256: "")
        var source: any RecordSource
        do {
            source = try format.open(input)
        } catch {
            throw ValidationError("\(file): \(error.message)")
        }
        var out: [UInt8] = []
        var pages = 0
        var problems = 0
        var reading: Duration = .zero
        var converting: Duration = .zero
        let clock = ContinuousClock()
        while true {
            var item: SourceItem?
            reading += clock.measure { item = source.next() }
            guard let item else { break }
            switch item {
            case let .record(raw):
                let start = clock.now
                let decoded = Result { () throws(RecordError) in try format.decode(raw, from: input) }
                converting += clock.now - start
                guard case let .success(document?) = decoded else {
                    if case let .failure(error) = decoded {
                        FileHandle.standardError.write(Data("\(file)@\(raw.offset): \(error.message)\n".utf8))
                    }
                    continue
                }
                pages += 1
                write(document, to: &out)
            case let .corrupt(offset, message):
                problems += 1
                FileHandle.standardError.write(Data("\(file)@\(offset): \(message)\n".utf8))
            }
            if out.count > 1 << 20 {
                FileHandle.standardOutput.write(Data(out))
                out.removeAll(keepingCapacity: true)
            }
        }
        FileHandle.standardOutput.write(Data(out))
        if timing {
            let seconds = { (d: Duration) in Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
            FileHandle.standardError.write(Data(String(
                format: "pages %d problems %d reading_s %.4f converting_s %.4f\n", pages, problems, seconds(reading),
                seconds(converting)).utf8))
        }
    }

    private func write(_ document: Document, to out: inout [UInt8]) {
        let title = if case let .string(title)? = document.metadata["title"] { title } else { "" }
        guard json else {
            out.append(contentsOf: "= \(title) =\n\n".utf8)
            out.append(contentsOf: document.text)
            out.append(contentsOf: [0x0A, 0x0A])
            return
        }
        var writer = JSONWriter(capacity: document.text.count + 64)
        writer.raw("{")
        writer.key("id")
        writer.write(string: document.id)
        writer.raw(",")
        writer.key("title")
        writer.write(string: title)
        writer.raw(",")
        writer.key("text")
        writer.write(utf8: document.text)
        writer.raw("}\n")
        out.append(contentsOf: writer.bytes)
    }
}
