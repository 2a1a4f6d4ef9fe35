import CurateCore
import CurateIO
import CurateIngest
import Foundation

/// Runs one stage over the documents of JSONL files and describes each verdict as a JSON
/// line, so that users can tune a stage's options on a sample.
public enum StageApplication {
    /// One line per document: `{"id", "verdict": "keep"|"drop"|"rewrite", "reason",
    /// "metrics", "detail"}`, with `text` for rewrites. Unreadable records go to `problem`.
    public static func apply(
        _ stage: any Stage, files: [String], format: JSONLFormat = JSONLFormat(),
        output: (String) -> Void, problem: (String) -> Void
    ) {
        for path in files {
            let file = InputFile(id: 0, displayPath: path, path: path, size: 0, sha256: (try? SHA256.hex(ofFile: path)) ?? "")
            var source: any RecordSource
            do throws(RecordError) {
                source = try format.open(file)
            } catch {
                problem("\(path): \(error.message)")
                continue
            }
            while let item = source.next() {
                switch item {
                case let .corrupt(offset, message):
                    problem("\(path): at byte \(offset): \(message)")
                case let .record(raw):
                    do throws(RecordError) {
                        guard var document = try format.decode(raw, from: file) else { continue }
                        output(describe(stage.process(&document), of: document))
                    } catch {
                        problem("\(path):\(raw.line ?? 0): \(error.message)")
                    }
                }
            }
        }
    }

    /// The JSON line for one verdict.
    public static func describe(_ verdict: Verdict, of document: Document) -> String {
        var fields: [(String, JSONValue)] = [("id", .string(document.id))]
        func metricsObject(_ metrics: [Metric]) -> JSONValue {
            .object(JSONObject(metrics.map { ($0.name, JSONValue.double($0.value)) }))
        }
        switch verdict {
        case .keep:
            fields.append(("verdict", .string("keep")))
        case let .rewritten(metrics):
            fields += [("verdict", .string("rewrite")), ("metrics", metricsObject(metrics)),
                       ("text", .string(document.textString))]
        case let .drop(reason, metrics, detail):
            fields += [("verdict", .string("drop")), ("reason", .string(reason)), ("metrics", metricsObject(metrics))]
            if let detail { fields.append(("detail", .string(detail))) }
        }
        return JSONWriter.serialize(.object(JSONObject(fields)))
    }
}
