import CXXHash
import CurateCore
import CurateIO
import Synchronization

/// Near-duplicate removal with MinHash LSH, as a barrier.
///
/// `resolve` works in three steps, each usable on its own by an executor that spreads them
/// over machines:
/// 1. ``writeSignatures(_:part:)`` for every part: each document's signature, identity and
///    (with verification) shingle set, in files of the part.
/// 2. ``resolveBandGroup(_:group:bands:memoryBytes:)`` for every band group: band hashes of
///    all signatures, sorted on disk within its share of the budget; documents sharing a band
///    hash become candidate pairs, written to `pairs-GGGGG.bin`.
/// 3. ``cluster(_:groups:stats:)``: the pairs of all groups, sorted on disk, joined by a
///    union-find over a flat table of the documents (paged from disk when it exceeds its
///    share; after verification when asked); each cluster keeps its earliest document
///    in plan order (lowest part, then first in the part) and the others are dropped. With
///    verification, a member whose true Jaccard similarity to the kept document is below
///    `threshold` (joined through other members) is not dropped.
///
/// Everything that grows with the corpus stays within `memory_mb` (see ``DedupMemory``).
public struct MinHashDedup: BarrierStage {
    public let bands: Int
    public let rows: Int
    public let ngram: Int
    public let shingle: ShingleUnit
    public let seed: UInt64
    public let verify: Bool
    public let threshold: Double
    /// The most memory the process should take while the barrier runs, in bytes (see
    /// ``dataMemoryBytes(workers:)`` for the part dedup's own data takes).
    public internal(set) var memoryBytes: Int
    /// How many band groups step 2 is split into; 0 means one per worker.
    public let bandGroups: Int
    let hasher: MinHasher

    public init(
        bands: Int = 14, rows: Int = 8, ngram: Int = 5, shingle: ShingleUnit = .word, seed: UInt64 = 1,
        verify: Bool = false, threshold: Double = 0.8, memoryMB: Int = 1024, bandGroups: Int = 0
    ) {
        self.bands = bands
        self.rows = rows
        self.ngram = ngram
        self.shingle = shingle
        self.seed = seed
        self.verify = verify
        self.threshold = threshold
        memoryBytes = memoryMB << 20
        self.bandGroups = bandGroups
        hasher = MinHasher(count: bands * rows, seed: seed)
    }

    public static let reason = "minhash_dedup"

    public static let definition = StageDefinition(
        type: "minhash_dedup",
        summary: "Drop near-duplicate documents (MinHash LSH), keeping the earliest of each cluster.",
        parameters: [
            Parameter("bands", .integer(min: 1, max: 1024), default: .integer(14), "Number of LSH bands."),
            Parameter("rows", .integer(min: 1, max: 1024), default: .integer(8), "MinHash values per band."),
            Parameter("ngram", .integer(min: 1, max: 1000), default: .integer(5), "Units per shingle."),
            Parameter("shingle", .choice(ShingleUnit.allCases.map(\.rawValue)), default: .string("word"),
                      "Shingles of words or of characters (bytes) of the simplified text."),
            Parameter("seed", .integer(min: 0), default: .integer(1), "Seed of the permutations."),
            Parameter("verify", .boolean, default: .bool(false),
                      "Merge only candidate pairs whose true Jaccard similarity reaches threshold."),
            Parameter("threshold", .number(min: 0, max: 1), default: .double(0.8),
                      "Least true Jaccard similarity of a verified pair."),
            Parameter("memory_mb", .integer(min: 1), default: .integer(1024), DedupMemory.help),
            Parameter("band_groups", .integer(min: 0), default: .integer(0),
                      "Band groups clustered as separate tasks; 0 for one per worker."),
        ]
    ) { options throws(OptionError) in
        let shingle = ShingleUnit(rawValue: options.string("shingle") ?? "word") ?? .word
        let bands = options.int("bands") ?? 14, rows = options.int("rows") ?? 8
        if bands * rows > 4096 {
            throw OptionError(key: "rows", "bands x rows must be at most 4096, got \(bands * rows)")
        }
        return MinHashDedup(
            bands: bands, rows: rows, ngram: options.int("ngram") ?? 5, shingle: shingle,
            seed: UInt64(options.int("seed") ?? 1), verify: options.bool("verify") ?? false,
            threshold: options.double("threshold") ?? 0.8, memoryMB: options.int("memory_mb") ?? 1024,
            bandGroups: options.int("band_groups") ?? 0)
    }

    /// The memory dedup's own data may take with `workers` workers: `memoryBytes` minus a
    /// fixed reserve for the process baseline and the workers' buffers (at least a
    /// quarter of it). An executor running step 2 as separate tasks divides it among the
    /// band groups that run at once on a machine.
    public func dataMemoryBytes(workers: Int) -> Int {
        DedupMemory.dataBytes(memoryBytes, workers: workers)
    }

    /// The band groups `resolve` uses: contiguous ranges of bands.
    public func groups(workers: Int) -> [Range<Int>] {
        let count = max(1, min(bands, bandGroups > 0 ? bandGroups : workers))
        return (0..<count).map { g in (g * bands / count)..<((g + 1) * bands / count) }
    }

    public func resolve(_ context: BarrierContext) throws {
        try DocumentOrdinal.check(parts: context.parts.count, folder: context.folder)
        let counts = Mutex([Int](repeating: 0, count: context.parts.count))
        let empty = Mutex(0)
        try parallelForEach(count: context.parts.count, workers: context.workers) { part in
            let (documents, withoutShingles) = try writeSignatures(context, part: part)
            counts.withLock { $0[part] = documents }
            empty.withLock { $0 += withoutShingles }
        }
        releaseFreedMemory()
        let groups = groups(workers: context.workers)
        // Each concurrent group gets its share of the budget.
        let concurrent = max(1, min(context.workers, groups.count))
        let share = dataMemoryBytes(workers: context.workers) / concurrent
        let runs = Mutex(0)
        try parallelForEach(count: groups.count, workers: context.workers) { g in
            let spilled = try resolveBandGroup(context, group: g, bands: groups[g], memoryBytes: share)
            runs.withLock { $0 += spilled }
        }
        releaseFreedMemory()
        var stats = DedupStats()
        stats.documents = counts.withLock { $0.reduce(0, +) }
        stats.documentsWithoutShingles = empty.withLock { $0 }
        stats.spilledRuns = runs.withLock { $0 }
        try cluster(context, groups: groups.count, stats: &stats)
        DedupResults.removeWorkFiles(in: context.folder)
    }

    public func load(_ context: BarrierContext) throws -> any Stage {
        try DuplicateFilter(folder: context.folder, reason: Self.reason,
                            memoryBytes: dataMemoryBytes(workers: context.workers))
    }

    // MARK: Step 1: signatures

    static func signaturePath(_ folder: String, _ part: Int) -> String { "\(folder)/signatures-\(partName(part)).bin" }
    static func shinglePath(_ folder: String, _ part: Int) -> String { "\(folder)/shingles-\(partName(part)).bin" }
    static func shingleIndexPath(_ folder: String, _ part: Int) -> String { "\(folder)/shingles-\(partName(part)).idx" }

    /// Writes the signatures and identities of `context.parts[part]`'s documents (and their
    /// sorted, distinct shingle hashes when verifying); returns how many documents the part
    /// has and how many of them have no shingles.
    @discardableResult
    public func writeSignatures(_ context: BarrierContext, part: Int) throws -> (documents: Int, withoutShingles: Int) {
        let folder = context.folder
        let signatures = try BinaryWriter(path: Self.signaturePath(folder, part))
        let identities = try DocumentTable.Writer(folder: folder, part: part)
        let shingleSets = verify ? try BinaryWriter(path: Self.shinglePath(folder, part)) : nil
        let shingleIndex = verify ? try BinaryWriter(path: Self.shingleIndexPath(folder, part)) : nil
        try shingleIndex?.write(UInt64(0))
        var shingler = Shingler(unit: shingle, n: ngram)
        var hashes: [UInt64] = []
        var signature = [UInt64](repeating: 0, count: hasher.count)
        var documents = 0, withoutShingles = 0
        try context.forEachDocument(part) { document in
            shingler.shingles(of: document.text, into: &hashes)
            if hashes.isEmpty { withoutShingles += 1 }
            signature.withUnsafeMutableBufferPointer { hasher.signature(of: &hashes, into: $0) }
            try signature.withUnsafeBufferPointer { try signatures.write($0) }
            try identities.append(document)
            if let shingleSets, let shingleIndex {
                hashes.sort()
                var distinct = 0
                for h in hashes where distinct == 0 || hashes[distinct - 1] != h {
                    hashes[distinct] = h
                    distinct += 1
                }
                try hashes.withUnsafeBufferPointer { try shingleSets.write(UnsafeBufferPointer(rebasing: $0[..<distinct])) }
                try shingleIndex.write(UInt64(shingleSets.bytesWritten / 8))
            }
            documents += 1
        }
        try signatures.finish()
        try identities.finish()
        try shingleSets?.finish()
        try shingleIndex?.finish()
        return (documents, withoutShingles)
    }

    // MARK: Step 2: band groups

    static func pairPath(_ folder: String, _ group: Int) -> String { "\(folder)/pairs-\(partName(group)).bin" }

    /// Finds the candidate pairs of the bands in `bands` (group number `group`): sorts
    /// (band, band hash, document) records within `memoryBytes` and writes, for each run
    /// of equal band hashes, a pair of its first document with each other one. Returns
    /// how many sorted runs were spilled to disk.
    @discardableResult
    public func resolveBandGroup(_ context: BarrierContext, group: Int, bands: Range<Int>, memoryBytes: Int) throws -> Int {
        let folder = context.folder
        let sorter = ExternalSorter<Triple64>(folder: folder, name: "bands-\(partName(group))", memoryBytes: memoryBytes)
        var signature = [UInt64](repeating: 0, count: hasher.count)
        let rowBytes = rows * 8
        for part in context.parts.indices {
            let reader = try BinaryReader(path: Self.signaturePath(folder, part))
            var index = 0
            while try !reader.atEnd() {
                for k in signature.indices { signature[k] = try reader.read(UInt64.self) }
                defer { index += 1 }
                // A document without shingles has every value at the prime; it matches nothing.
                if signature[0] == MinHasher.prime { continue }
                let ordinal = DocumentOrdinal.make(part: part, index: index)
                try signature.withUnsafeBytes { raw in
                    for band in bands {
                        let hash = XXH3_64bits(raw.baseAddress! + band * rowBytes, rowBytes)
                        try sorter.add(Triple64(UInt64(band), hash, ordinal))
                    }
                }
            }
        }
        let pairs = try BinaryWriter(path: Self.pairPath(folder, group))
        var current: Triple64?
        try sorter.sorted { record in
            if let first = current, first.first == record.first, first.second == record.second {
                try pairs.write(Pair64(first.third, record.third))
            } else {
                current = record
            }
        }
        try pairs.finish()
        return sorter.runCount
    }

    // MARK: Step 3: clusters

    /// Joins the pairs of `groups` band groups into clusters, keeps the earliest document of
    /// each and writes the results (see ``DedupResults``).
    ///
    /// The cluster table (4 bytes per document) takes what it needs of the budget, at most
    /// half (beyond that it is paged from disk); the pair sort and then the drop sort get the rest.
    public func cluster(_ context: BarrierContext, groups: Int, stats: inout DedupStats) throws {
        let folder = context.folder
        let numbering = try DocumentNumbering(folder: folder, parts: context.parts.count)
        let budget = dataMemoryBytes(workers: context.workers)
        let tableBytes = min(ClusterTable.bytes(count: numbering.count), budget / 2)
        let sorter = ExternalSorter<Pair64>(folder: folder, name: "pairs", memoryBytes: budget - tableBytes)
        for g in 0..<groups {
            let reader = try BinaryReader(path: Self.pairPath(folder, g))
            while try !reader.atEnd() { try sorter.add(try reader.read(Pair64.self)) }
        }
        let lookup = SignatureLookup(folder: folder, count: hasher.count, verify: verify)
        let clusters = try ClusterTable(count: numbering.count, memoryBytes: tableBytes, folder: folder)
        var previous: Pair64?
        var candidates = 0, rejected = 0
        try sorter.sorted { pair in
            if pair == previous { return }
            previous = pair
            candidates += 1
            if verify, try lookup.jaccard(pair.first, pair.second) < threshold {
                rejected += 1
                return
            }
            try clusters.union(numbering.number(pair.first), numbering.number(pair.second))
        }
        stats.spilledRuns += sorter.runCount
        stats.candidatePairs = candidates
        stats.rejectedCandidates = rejected
        // Verified chains can join documents that are not alike; only those alike to the kept
        // document stay in its cluster. Their similarities are kept on disk, in order, until written.
        let exactPath = "\(folder)/exact-jaccard.bin"
        let exacts = verify ? try BinaryWriter(path: exactPath) : nil
        stats.membersBelowThreshold = try clusters.close { member, kept in
            guard let exacts else { return true }
            let exact = try lookup.jaccard(numbering.ordinal(member), numbering.ordinal(kept))
            if exact < threshold { return false }
            try exacts.write(exact)
            return true
        }
        try exacts?.finish()
        releaseFreedMemory()
        let exactReader = verify ? try BinaryReader(path: exactPath) : nil
        try DedupResults.write(clusters, numbering: numbering, memoryBytes: budget - tableBytes, stats: &stats,
                               context: context) { member, kept in
            if member == kept { return (1, verify ? 1 : nil) }
            return (try lookup.estimate(member, kept), try exactReader?.read(Double.self))
        }
    }
}

/// Random access to the signatures and shingle sets that step 1 wrote.
final class SignatureLookup {
    private let folder: String
    private let count: Int
    private let verify: Bool
    private var signatures: [Int: BinaryReader] = [:]
    private var shingles: [Int: (sets: BinaryReader, index: BinaryReader)] = [:]
    private var x: [UInt64], y: [UInt64]

    init(folder: String, count: Int, verify: Bool) {
        self.folder = folder
        self.count = count
        self.verify = verify
        x = [UInt64](repeating: 0, count: count)
        y = x
    }

    /// The share of signature values two documents have in common.
    func estimate(_ a: UInt64, _ b: UInt64) throws -> Double {
        try x.withUnsafeMutableBufferPointer { x in try readSignature(a, into: x) }
        try y.withUnsafeMutableBufferPointer { y in try readSignature(b, into: y) }
        return x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in MinHasher.similarity(x, y) } }
    }

    /// The Jaccard similarity of two documents' shingle sets.
    func jaccard(_ a: UInt64, _ b: UInt64) throws -> Double {
        let s = try shingleSet(a), t = try shingleSet(b)
        if s.isEmpty && t.isEmpty { return 1 }
        var i = 0, j = 0, common = 0
        while i < s.count && j < t.count {
            if s[i] == t[j] { common += 1; i += 1; j += 1 }
            else if s[i] < t[j] { i += 1 }
            else { j += 1 }
        }
        return Double(common) / Double(s.count + t.count - common)
    }

    private func readSignature(_ ordinal: UInt64, into buffer: UnsafeMutableBufferPointer<UInt64>) throws {
        let part = DocumentOrdinal.part(ordinal)
        let reader: BinaryReader
        if let open = signatures[part] {
            reader = open
        } else {
            reader = try BinaryReader(path: MinHashDedup.signaturePath(folder, part), bufferSize: 0)
            signatures[part] = reader
        }
        try reader.read(into: buffer, at: Int64(DocumentOrdinal.index(ordinal) * count * 8))
    }

    private func shingleSet(_ ordinal: UInt64) throws -> [UInt64] {
        let part = DocumentOrdinal.part(ordinal)
        let files: (sets: BinaryReader, index: BinaryReader)
        if let open = shingles[part] {
            files = open
        } else {
            files = (try BinaryReader(path: MinHashDedup.shinglePath(folder, part), bufferSize: 0),
                     try BinaryReader(path: MinHashDedup.shingleIndexPath(folder, part), bufferSize: 0))
            shingles[part] = files
        }
        var bounds = [UInt64](repeating: 0, count: 2)
        try bounds.withUnsafeMutableBufferPointer { b in
            try files.index.read(into: b, at: Int64(DocumentOrdinal.index(ordinal) * 8))
        }
        var set = [UInt64](repeating: 0, count: Int(bounds[1] - bounds[0]))
        try set.withUnsafeMutableBufferPointer { s in
            try files.sets.read(into: s, at: Int64(bounds[0] * 8))
        }
        return set
    }
}
