import CurateCore
import CurateIO
import Synchronization

/// Exact-duplicate removal, as a barrier: documents whose simplified text (see
/// ``TextSimplifier``; the raw bytes with `normalize: false`) has the same 128-bit XXH3
/// hash form a cluster that keeps its earliest document in plan order.
///
/// Hashes are computed in parallel over the parts, written per part, then sorted on disk;
/// the sort, the cluster table and the drop table stay within `memory_mb` (see ``DedupMemory``).
public struct ExactDedup: BarrierStage {
    public let normalize: Bool
    /// The most memory the process should take while the barrier runs, in bytes (see
    /// ``DedupMemory``).
    public internal(set) var memoryBytes: Int

    public init(normalize: Bool = true, memoryMB: Int = 1024) {
        self.normalize = normalize
        memoryBytes = memoryMB << 20
    }

    public static let reason = "exact_dedup"

    public static let definition = StageDefinition(
        type: "exact_dedup",
        summary: "Drop documents whose (simplified) text repeats an earlier document's.",
        parameters: [
            Parameter("normalize", .boolean, default: .bool(true),
                      "Compare text simplified as for MinHash (case, punctuation, digits, white space, accents); false compares raw bytes."),
            Parameter("memory_mb", .integer(min: 1), default: .integer(1024), DedupMemory.help),
        ]
    ) { options throws(OptionError) in
        ExactDedup(normalize: options.bool("normalize") ?? true, memoryMB: options.int("memory_mb") ?? 1024)
    }

    static func hashPath(_ folder: String, _ part: Int) -> String { "\(folder)/hashes-\(partName(part)).bin" }

    public func resolve(_ context: BarrierContext) throws {
        try DocumentOrdinal.check(parts: context.parts.count, folder: context.folder)
        let counts = Mutex([Int](repeating: 0, count: context.parts.count))
        try parallelForEach(count: context.parts.count, workers: context.workers) { part in
            let documents = try writeHashes(context, part: part)
            counts.withLock { $0[part] = documents }
        }
        releaseFreedMemory()
        let numbering = try DocumentNumbering(folder: context.folder, parts: context.parts.count)
        // The cluster table takes what it needs, at most half; the sorts share the rest.
        let budget = DedupMemory.dataBytes(memoryBytes, workers: context.workers)
        let tableBytes = min(ClusterTable.bytes(count: numbering.count), budget / 2)
        let sorter = ExternalSorter<Triple64>(folder: context.folder, name: "hashes", memoryBytes: budget - tableBytes)
        for part in context.parts.indices {
            let reader = try BinaryReader(path: Self.hashPath(context.folder, part))
            while try !reader.atEnd() { try sorter.add(try reader.read(Triple64.self)) }
        }
        let clusters = try ClusterTable(count: numbering.count, memoryBytes: tableBytes, folder: context.folder)
        var current: Triple64?
        try sorter.sorted { record in
            if let first = current, first.first == record.first, first.second == record.second {
                try clusters.addMember(numbering.number(record.third), kept: numbering.number(first.third))
            } else {
                current = record
            }
        }
        var stats = DedupStats()
        stats.documents = counts.withLock { $0.reduce(0, +) }
        stats.spilledRuns = sorter.runCount
        try DedupResults.write(clusters, numbering: numbering, memoryBytes: budget - tableBytes, stats: &stats,
                               context: context) { _, _ in (nil, 1) }
        DedupResults.removeWorkFiles(in: context.folder)
    }

    public func load(_ context: BarrierContext) throws -> any Stage {
        try DuplicateFilter(folder: context.folder, reason: Self.reason,
                            memoryBytes: DedupMemory.dataBytes(memoryBytes, workers: context.workers))
    }

    /// Writes (hash, ordinal) records and identities of `context.parts[part]`'s documents;
    /// returns how many there are.
    func writeHashes(_ context: BarrierContext, part: Int) throws -> Int {
        let hashes = try BinaryWriter(path: Self.hashPath(context.folder, part))
        let identities = try DocumentTable.Writer(folder: context.folder, part: part)
        var shingler = Shingler()
        var index = 0
        try context.forEachDocument(part) { document in
            let hash = normalize ? shingler.textHash(of: document.text) : Shingler.rawHash(of: document.text)
            try hashes.write(Triple64(hash.high, hash.low, DocumentOrdinal.make(part: part, index: index)))
            try identities.append(document)
            index += 1
        }
        try hashes.finish()
        try identities.finish()
        return index
    }
}
