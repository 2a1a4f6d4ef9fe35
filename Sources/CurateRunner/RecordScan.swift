import CurateCore
import CurateIO
import Foundation

/// Reads files with an input format on one thread, decoding every record without running any
/// stage: what `curate records` reports, and the reader benchmarks time.
public enum RecordScan {
    public struct Report: Sendable {
        /// Records the source yielded (records of unwanted types are not counted).
        public var records = 0
        /// Records that became documents.
        public var documents = 0
        /// Records that carried no wanted document (media type, status...).
        public var skipped = 0
        /// Corrupt input and undecodable records, with their messages.
        public var problems: [String] = []
        /// Bytes of the files (as stored) and of the documents' text.
        public var inputBytes: Int64 = 0
        public var textBytes: Int64 = 0
        public var seconds = 0.0
    }

    public static func scan(_ paths: [String], format: any InputFormat) -> Report {
        var report = Report()
        let started = Stopwatch.now()
        for (index, path) in paths.enumerated() {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            let file = InputFile(id: Int64(index), displayPath: path, path: path, size: Int64(size ?? 0), sha256: "")
            report.inputBytes += file.size
            var source: any RecordSource
            do throws(RecordError) {
                source = try format.open(file)
            } catch {
                report.problems.append("\(path): \(error.message)")
                continue
            }
            while let item = source.next() {
                switch item {
                case let .corrupt(offset, message):
                    report.problems.append("\(path): at byte \(offset): \(message)")
                case let .record(record):
                    report.records += 1
                    do throws(RecordError) {
                        if let document = try format.decode(record, from: file) {
                            report.documents += 1
                            report.textBytes += Int64(document.text.count)
                        } else {
                            report.skipped += 1
                        }
                    } catch {
                        report.problems.append("\(path): at byte \(record.offset): \(error.message)")
                    }
                }
            }
        }
        report.seconds = Double(Stopwatch.now() - started) / 1e9
        return report
    }
}
