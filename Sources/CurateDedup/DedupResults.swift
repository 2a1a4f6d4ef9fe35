import CXXHash
import CurateCore
import Foundation
import CurateIO
#if canImport(Glibc)
import Glibc
#endif

/// One document of a duplicate cluster and the document its cluster keeps.
struct ClusterEntry: Sendable {
    var member: UInt64
    var kept: UInt64
    var estimated: Double?
    var exact: Double?
}

/// Figures about one dedup run, written to `stats.json` in the barrier's folder.
public struct DedupStats: Sendable, Equatable {
    /// Documents that reached the barrier.
    public var documents = 0
    /// Documents with nothing to compare (empty after simplification); never duplicates.
    public var documentsWithoutShingles = 0
    /// Distinct document pairs that shared a band (MinHash only).
    public var candidatePairs = 0
    /// Candidate pairs whose true Jaccard similarity was below the threshold (with verification).
    public var rejectedCandidates = 0
    /// Cluster members that verification kept because their true Jaccard similarity to
    /// the kept document is below the threshold (they joined the cluster through others).
    public var membersBelowThreshold = 0
    /// Clusters of two or more documents.
    public var clusters = 0
    /// Documents dropped: cluster members other than the kept one.
    public var duplicatesRemoved = 0
    /// Number of clusters of each size.
    public var clusterSizes: [Int: Int] = [:]
    /// Documents dropped per input.
    public var duplicatesByInput: [String: Int] = [:]
    /// Sorted runs spilled to disk while sorting band or text hashes.
    public var spilledRuns = 0

    public init() {}

    var json: JSONValue {
        .object(JSONObject([
            ("documents", .integer(documents)),
            ("documents_without_shingles", .integer(documentsWithoutShingles)),
            ("candidate_pairs", .integer(candidatePairs)),
            ("rejected_candidates", .integer(rejectedCandidates)),
            ("members_below_threshold", .integer(membersBelowThreshold)),
            ("clusters", .integer(clusters)),
            ("duplicates_removed", .integer(duplicatesRemoved)),
            ("cluster_sizes", .object(JSONObject(clusterSizes.sorted { $0.key < $1.key }.map { (String($0.key), .integer($0.value)) }))),
            ("duplicates_by_input", .object(JSONObject(duplicatesByInput.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) }))),
            ("spilled_runs", .integer(spilledRuns)),
        ]))
    }

    /// The stats a finished `resolve` left in `folder`.
    public static func load(folder: String) throws -> DedupStats {
        let path = "\(folder)/\(DedupResults.statsFile)"
        let reader = try FileReader(path: path)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
            if n == 0 { break }
            bytes += chunk[..<n]
        }
        guard case let .object(object) = try JSONParser.parse(bytes) else {
            throw IOError(path: path, "not a JSON object")
        }
        func int(_ key: String) -> Int {
            if case let .number(text)? = object[key] { Int(text) ?? 0 } else { 0 }
        }
        func counts(_ key: String) -> [String: Int] {
            guard case let .object(o)? = object[key] else { return [:] }
            var result: [String: Int] = [:]
            for (k, v) in o { if case let .number(text) = v { result[k] = Int(text) ?? 0 } }
            return result
        }
        var stats = DedupStats()
        stats.documents = int("documents")
        stats.documentsWithoutShingles = int("documents_without_shingles")
        stats.candidatePairs = int("candidate_pairs")
        stats.rejectedCandidates = int("rejected_candidates")
        stats.membersBelowThreshold = int("members_below_threshold")
        stats.clusters = int("clusters")
        stats.duplicatesRemoved = int("duplicates_removed")
        stats.clusterSizes = Dictionary(uniqueKeysWithValues: counts("cluster_sizes").map { (Int($0.key) ?? 0, $0.value) })
        stats.duplicatesByInput = counts("duplicates_by_input")
        stats.spilledRuns = int("spilled_runs")
        return stats
    }
}

/// The files a dedup `resolve` leaves: `drops.bin` (what the next phase drops) and
/// `stats.json`; cluster memberships go to provenance through the context.
enum DedupResults {
    static let dropsFile = "drops.bin"
    static let statsFile = "stats.json"

    /// Memberships handed to `recordClusters` at a time.
    static let batchSize = 10_000

    /// Publishes the clusters in `entries` (sorted by member, kept documents included; a
    /// kept document is the smallest ordinal of its cluster). Holds the ids of the kept
    /// documents, not of every member.
    static func write(_ entries: [ClusterEntry], stats: inout DedupStats, context: BarrierContext) throws {
        var keptIDs: [UInt64: String] = [:]
        var sizes: [UInt64: Int] = [:]
        var batch: [ClusterMember] = []
        batch.reserveCapacity(min(entries.count, batchSize))
        let dropsPath = "\(context.folder)/\(dropsFile)"
        let writer = try BinaryWriter(path: DurableFile.temporaryPath(for: dropsPath))
        try DocumentTable.forEachIdentity(folder: context.folder, ordinals: entries.map(\.member)) { i, member in
            let entry = entries[i]
            if entry.member == entry.kept { keptIDs[entry.kept] = member.id }
            guard let keptID = keptIDs[entry.kept] else {
                throw IOError(path: context.folder, "cluster of ordinal \(entry.member) has no earlier kept document")
            }
            sizes[entry.kept, default: 0] += 1
            batch.append(ClusterMember(
                documentID: member.id, keptID: keptID, estimatedJaccard: entry.estimated, exactJaccard: entry.exact))
            if batch.count == batchSize {
                try context.recordClusters(batch)
                batch.removeAll(keepingCapacity: true)
            }
            guard entry.member != entry.kept else { return }
            stats.duplicatesRemoved += 1
            stats.duplicatesByInput[member.input, default: 0] += 1
            try writer.write(string: member.input)
            try writer.write(member.offset)
            try writer.write(string: keptID)
            try writer.write(entry.estimated ?? .nan)
            try writer.write(entry.exact ?? .nan)
        }
        if !batch.isEmpty { try context.recordClusters(batch) }
        try writer.finish()
        stats.clusters = sizes.count
        for size in sizes.values { stats.clusterSizes[size, default: 0] += 1 }
        guard rename(writer.path, dropsPath) == 0 else { throw ioError(dropsPath, "rename failed") }
        try DurableFile.write(Array(JSONWriter.serialize(stats.json, pretty: true).utf8) + [0x0A],
                              to: "\(context.folder)/\(statsFile)")
    }
}

/// The stage a dedup barrier hands to the next phase: drops the documents its `resolve`
/// found to duplicate an earlier one, naming the kept document.
///
/// Drops are held as a sorted array of 128-bit hashes of (input, offset) with the kept
/// document's id stored once per cluster: about 40 bytes per dropped document.
public struct DuplicateFilter: Stage {
    struct Entry {
        var key: Pair64
        var kept: UInt32
        var estimated: Double
        var exact: Double
    }

    public let reason: String
    private let entries: [Entry]
    private let keptIDs: [String]

    /// How many documents the filter drops.
    public var count: Int { entries.count }

    /// Reads `drops.bin` from `folder`.
    init(folder: String, reason: String) throws(IOError) {
        self.reason = reason
        let reader = try BinaryReader(path: "\(folder)/\(DedupResults.dropsFile)")
        var entries: [Entry] = []
        var keptIDs: [String] = []
        var keptIndex: [String: UInt32] = [:]
        while try !reader.atEnd() {
            let input = try reader.readString()
            let offset = try reader.read(Int64.self)
            let kept = try reader.readString()
            let estimated = try reader.read(Double.self)
            let exact = try reader.read(Double.self)
            let index = keptIndex[kept] ?? {
                keptIDs.append(kept)
                keptIndex[kept] = UInt32(keptIDs.count - 1)
                return UInt32(keptIDs.count - 1)
            }()
            entries.append(Entry(key: Self.key(input: input, offset: offset), kept: index, estimated: estimated, exact: exact))
        }
        entries.sort { $0.key < $1.key }
        self.entries = entries
        self.keptIDs = keptIDs
    }

    static func key(input: String, offset: Int64) -> Pair64 {
        var bytes = Array(input.utf8)
        withUnsafeBytes(of: offset.littleEndian) { bytes.append(contentsOf: $0) }
        let hash = bytes.withUnsafeBytes { XXH3_128bits($0.baseAddress, $0.count) }
        return Pair64(hash.high64, hash.low64)
    }

    public func process(_ document: inout Document) -> Verdict {
        let key = Self.key(input: document.source.input, offset: document.source.offset)
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].key < key { low = mid + 1 } else { high = mid }
        }
        guard low < entries.count, entries[low].key == key else { return .keep }
        let entry = entries[low]
        var metrics: [Metric] = []
        if !entry.estimated.isNaN { metrics.append(Metric("jaccard_estimate", entry.estimated)) }
        if !entry.exact.isNaN { metrics.append(Metric("jaccard", entry.exact)) }
        return .drop(reason: reason, metrics: metrics, detail: keptIDs[Int(entry.kept)])
    }
}

extension DedupResults {
    /// Deletes the intermediate files `resolve` left in `folder` (all but the results).
    static func removeWorkFiles(in folder: String) {
        let keep: Set<String> = [dropsFile, statsFile]
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where !keep.contains(name) && (name.hasSuffix(".bin") || name.hasSuffix(".idx")) {
            try? FileManager.default.removeItem(atPath: "\(folder)/\(name)")
        }
    }
}
