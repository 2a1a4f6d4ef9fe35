import CurateCore
import CurateIO
import Foundation

/// Reads files with an input format, decoding every record without running any stage: what
/// `curate records` reports, and the reader benchmarks time. With one thread, splitting and
/// decoding alternate; with more, one thread splits records off the files (decompressing) while
/// the others decode them, as a run does.
public enum RecordScan {
    public struct Report: Sendable {
        /// Records the source yielded (records of unwanted types are not counted).
        public var records = 0
        /// Records that became documents.
        public var documents = 0
        /// Records that carried no wanted document (media type, status...).
        public var skipped = 0
        /// Corrupt input and undecodable records, with their messages, in file order.
        public var problems: [String] = []
        /// Bytes of the files (as stored) and of the documents' text.
        public var inputBytes: Int64 = 0
        public var textBytes: Int64 = 0
        public var seconds = 0.0

        mutating func add(_ other: Report) {
            records += other.records
            documents += other.documents
            skipped += other.skipped
            problems += other.problems
            textBytes += other.textBytes
        }
    }

    /// Records split off a file, to be decoded together.
    private struct Batch: @unchecked Sendable {
        let sequence: Int
        let file: InputFile
        let items: [SourceItem]
    }

    public static func scan(_ paths: [String], format: any InputFormat, threads: Int = 1) -> Report {
        let started = Stopwatch.now()
        let files = paths.enumerated().map { index, path in
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            return InputFile(id: Int64(index), displayPath: path, path: path, size: Int64(size), sha256: "")
        }
        var report = Report()
        report.inputBytes = files.reduce(0) { $0 + $1.size }
        if threads <= 1 {
            split(files, format: format, batchSize: 1) { batch in report.add(decode(batch, format: format)) }
        } else {
            let batches = BoundedQueue<Batch>(capacity: threads * 4)
            let results = ReorderBuffer<Report?>()
            let decoders = (1..<threads).map { n in
                spawn("curate-decode-\(n)") {
                    while let batch = batches.pop() { results.put(batch.sequence, decode(batch, format: format)) }
                }
            }
            let splitter = spawn("curate-split") {
                let count = split(files, format: format, batchSize: 64) { batches.push($0) }
                batches.close()
                results.put(count, nil)
            }
            var sequence = 0
            while case let part?? = results.take(sequence) {
                report.add(part)
                sequence += 1
            }
            splitter.join()
            decoders.forEach { $0.join() }
        }
        report.seconds = Double(Stopwatch.now() - started) / 1e9
        return report
    }

    /// Record bytes a batch holds at most: with large records (WARC responses), the batches
    /// waiting in the queue stay within one malloc arena heap instead of mapping fresh memory
    /// (and faulting its pages in) for every batch.
    private static let maxBatchBytes = 1 << 20

    /// Splits every file into batches of up to `batchSize` items (and about `maxBatchBytes`
    /// bytes); returns how many it made.
    @discardableResult
    private static func split(_ files: [InputFile], format: any InputFormat, batchSize: Int, _ emit: (Batch) -> Void) -> Int {
        var sequence = 0
        func send(_ file: InputFile, _ items: [SourceItem]) {
            emit(Batch(sequence: sequence, file: file, items: items))
            sequence += 1
        }
        for file in files {
            var source: any RecordSource
            do throws(RecordError) {
                source = try format.open(file)
            } catch {
                send(file, [.corrupt(offset: -1, message: error.message)])
                continue
            }
            var items: [SourceItem] = []
            var bytes = 0
            while let item = source.next() {
                items.append(item)
                if case let .record(record) = item { bytes += record.bytes.count }
                if items.count == batchSize || bytes >= maxBatchBytes {
                    send(file, items)
                    items.removeAll(keepingCapacity: true)
                    bytes = 0
                }
            }
            if !items.isEmpty { send(file, items) }
        }
        return sequence
    }

    private static func decode(_ batch: Batch, format: any InputFormat) -> Report {
        var report = Report()
        let path = batch.file.path
        for item in batch.items {
            switch item {
            case let .corrupt(offset, message):
                report.problems.append(offset < 0 ? "\(path): \(message)" : "\(path): at byte \(offset): \(message)")
            case let .record(record):
                report.records += 1
                do throws(RecordError) {
                    if let document = try format.decode(record, from: batch.file) {
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
        return report
    }
}
