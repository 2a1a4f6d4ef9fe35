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

    /// Publishes the clusters in `entries` (sorted by member, kept documents included).
    static func write(_ entries: [ClusterEntry], stats: inout DedupStats, context: BarrierContext) throws {
        var ordinals = entries.map(\.member)
        ordinals.sort()
        let identities = try DocumentTable.identities(folder: context.folder, ordinals: ordinals)
        var members: [ClusterMember] = []
        members.reserveCapacity(entries.count)
        var sizes: [UInt64: Int] = [:]
        let dropsPath = "\(context.folder)/\(dropsFile)"
        let writer = try BinaryWriter(path: DurableFile.temporaryPath(for: dropsPath))
        for entry in entries {
            guard let member = identities[entry.member], let kept = identities[entry.kept] else {
                throw IOError(path: context.folder, "document table lacks ordinal \(entry.member)")
            }
            sizes[entry.kept, default: 0] += 1
            members.append(ClusterMember(
                documentID: member.id, keptID: kept.id, estimatedJaccard: entry.estimated, exactJaccard: entry.exact))
            guard entry.member != entry.kept else { continue }
            stats.duplicatesRemoved += 1
            stats.duplicatesByInput[member.input, default: 0] += 1
            try writer.write(string: member.input)
            try writer.write(member.offset)
            try writer.write(string: kept.id)
            try writer.write(entry.estimated ?? .nan)
            try writer.write(entry.exact ?? .nan)
        }
        try writer.finish()
        stats.clusters = sizes.count
        for size in sizes.values { stats.clusterSizes[size, default: 0] += 1 }
        try context.recordClusters(members)
        guard rename(writer.path, dropsPath) == 0 else { throw ioError(dropsPath, "rename failed") }
        try DurableFile.write(Array(JSONWriter.serialize(stats.json, pretty: true).utf8) + [0x0A],
                              to: "\(context.folder)/\(statsFile)")
    }
}

/// The stage a dedup barrier hands to the next phase: drops the documents its `resolve`
/// found to duplicate an earlier one, naming the kept document.
public struct DuplicateFilter: Stage {
    struct Key: Hashable {
        var input: String
        var offset: Int64
    }

    struct Drop {
        var keptID: String
        var metrics: [Metric]
    }

    public let reason: String
    let drops: [Key: Drop]

    /// How many documents the filter drops.
    public var count: Int { drops.count }

    /// Reads `drops.bin` from `folder`.
    init(folder: String, reason: String) throws(IOError) {
        self.reason = reason
        let reader = try BinaryReader(path: "\(folder)/\(DedupResults.dropsFile)")
        var drops: [Key: Drop] = [:]
        while try !reader.atEnd() {
            let input = try reader.readString()
            let offset = try reader.read(Int64.self)
            let kept = try reader.readString()
            let estimated = try reader.read(Double.self)
            let exact = try reader.read(Double.self)
            var metrics: [Metric] = []
            if !estimated.isNaN { metrics.append(Metric("jaccard_estimate", estimated)) }
            if !exact.isNaN { metrics.append(Metric("jaccard", exact)) }
            drops[Key(input: input, offset: offset)] = Drop(keptID: kept, metrics: metrics)
        }
        self.drops = drops
    }

    public func process(_ document: inout Document) -> Verdict {
        guard let drop = drops[Key(input: document.source.input, offset: document.source.offset)] else { return .keep }
        return .drop(reason: reason, metrics: drop.metrics, detail: drop.keptID)
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
