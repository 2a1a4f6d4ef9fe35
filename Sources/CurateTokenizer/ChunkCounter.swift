import CurateCore
import CurateIO
import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Counts the pre-tokenized chunks of documents on several threads in bounded memory.
///
/// Each thread counts into its own table; a table that outgrows its share of the memory
/// budget is written to disk as a run sorted by bytes and emptied. `finish` merges the runs
/// and tables, adding the counts of equal chunks, so every count is exact whatever the
/// thread count or spill points. If the merged chunks do not fit the budget, only those
/// seen at least `cutoff` times are kept (the smallest cutoff that fits); their counts are
/// still exact, and `cutoff` says what was left out.
final class ChunkCounter: @unchecked Sendable {
    struct Result {
        /// Distinct chunks and their counts, sorted by bytes.
        var chunks: [(bytes: [UInt8], count: UInt64)]
        /// Chunks seen fewer times than this were dropped to fit the memory budget (1: none).
        var cutoff: UInt64
        /// Sorted runs written to disk.
        var spills: Int
    }

    private final class Table {
        var map = ByteSequenceMap(capacity: 1 << 12)
        var counts: [UInt64] = []
        var scratch = SplitScratch()
        var ends: [Int] = []
    }

    private let preTokenizer: PreTokenizer
    private let maxChunkBytes: Int
    private let budget: Int
    private let folder: String
    private var tables: [Table]
    private var spillPaths: [String] = []
    private let lock = DispatchQueue(label: "curate.chunk-counter")
    private var spillNumber = 0

    /// `memoryBytes` bounds the tables together; spilled runs go to `folder`.
    init(pattern: SplitPattern, maxChunkBytes: Int, memoryBytes: Int, workers: Int, folder: String) {
        preTokenizer = PreTokenizer(pattern)
        self.maxChunkBytes = maxChunkBytes
        budget = memoryBytes
        self.folder = folder
        tables = (0..<max(1, workers)).map { _ in Table() }
    }

    /// Counts the chunks of `documents`, on all threads.
    func add(_ documents: [[UInt8]]) throws(IOError) {
        let next = AtomicCounter()
        let errors = UnsafeResults<IOError?>(count: tables.count)
        DispatchQueue.concurrentPerform(iterations: tables.count) { worker in
            let table = tables[worker]
            do throws(IOError) {
                while true {
                    let i = next.increment()
                    guard i < documents.count else { break }
                    count(documents[i], into: table)
                    if table.map.memoryBytes + table.counts.count * 8 > budget / 2 / tables.count {
                        try spill(table)
                    }
                }
                errors.set(worker, nil)
            } catch {
                errors.set(worker, error)
            }
        }
        if let error = errors.values.compactMap({ $0 }).first { throw error }
    }

    private func count(_ text: [UInt8], into table: Table) {
        text.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            table.ends.removeAll(keepingCapacity: true)
            preTokenizer.split(p, scratch: &table.scratch, into: &table.ends)
            var start = 0
            for end in table.ends {
                defer { start = end }
                let n = end - start
                guard n <= maxChunkBytes else { continue }
                if let k = table.map.get(base + start, n) {
                    table.counts[Int(k)] += 1
                } else {
                    table.map.insert(UnsafeBufferPointer(start: base + start, count: n), UInt32(table.counts.count))
                    table.counts.append(1)
                }
            }
        }
    }

    private func sortedRun(_ table: Table) -> [(bytes: [UInt8], count: UInt64)] {
        var run: [(bytes: [UInt8], count: UInt64)] = []
        run.reserveCapacity(table.counts.count)
        table.map.forEach { bytes, k in run.append((Array(bytes), table.counts[Int(k)])) }
        run.sort { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        return run
    }

    /// Writes `table` as a sorted run (length as 4 bytes, bytes, count as 8 bytes) and empties it.
    private func spill(_ table: Table) throws(IOError) {
        let run = sortedRun(table)
        let path = lock.sync { () -> String in
            spillNumber += 1
            let path = "\(folder)/chunks-\(spillNumber).run"
            spillPaths.append(path)
            return path
        }
        var out: [UInt8] = []
        out.reserveCapacity(run.reduce(0) { $0 + $1.bytes.count + 12 })
        for (bytes, count) in run {
            withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: bytes)
            withUnsafeBytes(of: count.littleEndian) { out.append(contentsOf: $0) }
        }
        try DurableFile.write(out, to: path)
        table.map.removeAll()
        table.counts.removeAll(keepingCapacity: true)
    }

    /// Merges everything counted.
    func finish() throws(IOError) -> Result {
        let memoryRuns = tables.map(sortedRun)
        tables = []
        let spills = spillPaths.count
        func merged(_ body: (ArraySlice<UInt8>, UInt64) -> Void) throws(IOError) {
            var sources: [any ChunkRun] = memoryRuns.map { MemoryRun($0) }
            for path in spillPaths { sources.append(try FileRun(path: path)) }
            try mergeRuns(&sources, body)
        }
        // First pass: how many bytes the chunks seen at least c times take, for each c.
        var sizeByCount: [UInt64: Int] = [:]
        try merged { bytes, count in sizeByCount[count, default: 0] += bytes.count + 40 }
        var cutoff: UInt64 = 1
        var total = sizeByCount.values.reduce(0, +)
        for (count, size) in sizeByCount.sorted(by: { $0.key < $1.key }) where total > budget / 2 {
            total -= size
            cutoff = count + 1
        }
        var chunks: [(bytes: [UInt8], count: UInt64)] = []
        try merged { bytes, count in
            if count >= cutoff { chunks.append((Array(bytes), count)) }
        }
        for path in spillPaths { unlink(path) }
        return Result(chunks: chunks, cutoff: cutoff, spills: spills)
    }

    /// Calls `body` with each distinct chunk of the sorted `runs` in byte order, and its
    /// summed count.
    private func mergeRuns(_ runs: inout [any ChunkRun], _ body: (ArraySlice<UInt8>, UInt64) -> Void) throws(IOError) {
        var heads: [(bytes: [UInt8], count: UInt64)?] = []
        for k in runs.indices { heads.append(try runs[k].next()) }
        while true {
            var smallest: [UInt8]? = nil
            for case let head? in heads where smallest == nil || head.bytes.lexicographicallyPrecedes(smallest!) {
                smallest = head.bytes
            }
            guard let key = smallest else { return }
            var total: UInt64 = 0
            for k in heads.indices where heads[k]?.bytes == key {
                total += heads[k]!.count
                heads[k] = try runs[k].next()
            }
            body(key[...], total)
        }
    }
}

/// A sorted run of chunk counts.
private protocol ChunkRun {
    mutating func next() throws(IOError) -> (bytes: [UInt8], count: UInt64)?
}

private struct MemoryRun: ChunkRun {
    let entries: [(bytes: [UInt8], count: UInt64)]
    var index = 0
    init(_ entries: [(bytes: [UInt8], count: UInt64)]) { self.entries = entries }
    mutating func next() throws(IOError) -> (bytes: [UInt8], count: UInt64)? {
        guard index < entries.count else { return nil }
        defer { index += 1 }
        return entries[index]
    }
}

/// A run read back from disk through a 1 MiB buffer.
private struct FileRun: ChunkRun {
    let reader: FileReader
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    var start = 0
    var end = 0

    init(path: String) throws(IOError) { reader = try FileReader(path: path) }

    private mutating func take(_ n: Int) throws(IOError) -> ArraySlice<UInt8>? {
        if end - start < n {
            if start > 0 {
                buffer.replaceSubrange(0..<(end - start), with: buffer[start..<end])
                end -= start
                start = 0
            }
            if buffer.count < n { buffer += [UInt8](repeating: 0, count: n - buffer.count) }
            while end < n {
                let got = try restoringErrorType(IOError.self) {
                    try buffer.withUnsafeMutableBytes { try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[end...])) }
                }
                if got == 0 {
                    if end == 0 { return nil }
                    throw IOError(path: reader.path, offset: reader.bytesRead, "spilled run is cut short")
                }
                end += got
            }
        }
        defer { start += n }
        return buffer[start..<(start + n)]
    }

    mutating func next() throws(IOError) -> (bytes: [UInt8], count: UInt64)? {
        guard let lengthBytes = try take(4) else { return nil }
        let length = lengthBytes.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
        guard let bytes = try take(length).map(Array.init), let countBytes = try take(8) else {
            throw IOError(path: reader.path, offset: reader.bytesRead, "spilled run is cut short")
        }
        let count = countBytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        return (bytes, count)
    }
}
