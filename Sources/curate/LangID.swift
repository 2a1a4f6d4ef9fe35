import ArgumentParser
import CurateCore
import CurateFilters
import CurateIngest
import CurateIO
import Foundation

struct LangID: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "langid",
        abstract: "Predict the labels of each document of a JSONL file with a fastText model (.bin or .ftz).",
        discussion: """
            Prints one JSON line per document, in input order: {"id": ..., "labels": [...], "probs": [...]}, \
            the k most probable labels, best first, spelled as in the model (`__label__en`), with the \
            probabilities that fastText's `predict` gives (32-bit floats, printed in full). Newlines in the \
            text count as spaces, as in datatrove; tokens are split on white space. A line that is not a \
            JSON object with a "text" string is reported on stderr with its line number and skipped; \
            the exit status is then 1. A model or input that cannot be read: exit status 2.
            """)

    @Option(help: "The fastText model file (.bin or .ftz).", completion: .file(extensions: ["bin", "ftz"]))
    var model: String

    @Option(help: "JSON Lines documents (plain or compressed) with a \"text\" field; \"id\" is printed when present.",
            completion: .file())
    var input: String

    @Option(name: .short, help: "How many labels to print per document (at least 1).")
    var k = 1

    @Option(help: "Leave out labels whose probability is below this, as fastText's predict does.")
    var threshold: Float = 0

    @Flag(help: ArgumentHelp("Print on stderr the documents and the seconds spent predicting (not reading or printing).",
                             visibility: .hidden))
    var timing = false

    func validate() throws {
        if k < 1 { throw ValidationError("-k must be at least 1, got \(k)") }
    }

    func run() throws {
        func fail(_ message: String) -> ExitCode {
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            return ExitCode(2)
        }
        let classifier: FastTextModel
        do throws(FastTextModelError) {
            classifier = try FastTextModel(contentsOf: model)
        } catch {
            throw fail("--model \(model): \(error.message)")
        }
        let format = JSONLFormat()
        let sha256: String
        do throws(IOError) {
            sha256 = try SHA256.hex(ofFile: input)
        } catch {
            throw fail("--input \(error)")
        }
        let file = InputFile(id: 0, displayPath: input, path: input, size: 0, sha256: sha256)
        var source: any RecordSource
        do throws(RecordError) {
            source = try format.open(file)
        } catch {
            throw fail("--input \(input): \(error.message)")
        }
        let labels = classifier.dictionary.labels
        var out = JSONWriter(capacity: 1 << 20)
        var problems = 0
        var documents = 0
        var nanoseconds: UInt64 = 0
        func flush() {
            FileHandle.standardOutput.write(Data(out.bytes))
            out.bytes.removeAll(keepingCapacity: true)
        }
        while let item = source.next() {
            let record: RawRecord
            switch item {
            case let .corrupt(offset, message):
                problems += 1
                FileHandle.standardError.write(Data("error: \(input): at byte \(offset): \(message)\n".utf8))
                continue
            case let .record(raw):
                record = raw
            }
            let document: Document
            do throws(RecordError) {
                guard let decoded = try format.decode(record, from: file) else { continue }
                document = decoded
            } catch {
                problems += 1
                FileHandle.standardError.write(Data("error: \(input):\(record.line ?? 0): \(error.message)\n".utf8))
                continue
            }
            let start = DispatchTime.now().uptimeNanoseconds
            let predictions = document.text.withUnsafeBufferPointer { classifier.predict($0, k: k, threshold: threshold) }
            nanoseconds += DispatchTime.now().uptimeNanoseconds - start
            documents += 1
            out.raw("{\"id\":")
            out.write(string: document.id)
            out.raw(",\"labels\":[")
            for (i, p) in predictions.enumerated() {
                if i > 0 { out.raw(",") }
                out.write(string: labels[p.label])
            }
            out.raw("],\"probs\":[")
            for (i, p) in predictions.enumerated() {
                if i > 0 { out.raw(",") }
                out.write(.double(Double(p.probability)))
            }
            out.raw("]}\n")
            if out.bytes.count >= 1 << 20 { flush() }
        }
        flush()
        if timing {
            FileHandle.standardError.write(Data("predicted \(documents) documents in \(Double(nanoseconds) / 1e9) s\n".utf8))
        }
        if problems > 0 { throw ExitCode.failure }
    }
}
