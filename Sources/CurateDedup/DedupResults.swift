import CXXHash
import CurateCore
import Foundation
import CurateIO
#if canImport(Glibc)
import Glibc
#endif

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
    /// Sorted runs spilled to disk while sorting band hashes, pairs, text hashes or drops.
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

/// The files a dedup `resolve` leaves: `drops.bin` (what the next phase drops, see
/// ``DuplicateFilter``) and `stats.json`; cluster memberships go to provenance through the
/// context.
///
/// `drops.bin` holds a ``DropRecord`` per dropped document, sorted by key, then the kept
/// documents' ids that the records point to (each a 32-bit length and UTF-8 bytes), then
/// the number of records as a 64-bit integer.
enum DedupResults {
    static let dropsFile = "drops.bin"
    /// The kept ids of the drops, while they are collected.
    static let dropIDsFile = "drop-ids.bin"
    static let statsFile = "stats.json"

    /// Memberships handed to `recordClusters` at a time.
    static let batchSize = 10_000

    /// Publishes the clusters of `clusters` (closed, see ``ClusterTable``): records every
    /// membership, writes the drops sorted by document key within `memoryBytes`, and the
    /// stats. `similarity(document, kept)` gives a member's estimated and exact Jaccard
    /// similarity to its kept document, called in ascending order of documents (the kept
    /// one included).
    static func write(
        _ clusters: ClusterTable, numbering: DocumentNumbering, memoryBytes: Int, stats: inout DedupStats,
        context: BarrierContext, similarity: (UInt64, UInt64) throws -> (estimated: Double?, exact: Double?)
    ) throws {
        let folder = context.folder
        var batch: [ClusterMember] = []
        let identities = DocumentTable.SequentialReader(folder: folder, numbering: numbering)
        let keptIDs = DocumentTable.RandomReader(folder: folder)
        var lastKept = -1, lastKeptID = ""
        let ids = try BinaryWriter(path: "\(folder)/\(dropIDsFile)")
        let sorter = ExternalSorter<DropRecord>(folder: folder, name: "drops", memoryBytes: memoryBytes)
        try clusters.forEachMember { number, kept in
            let member = try identities.identity(number)
            let ordinal = numbering.ordinal(number), keptOrdinal = numbering.ordinal(kept)
            if number == kept {
                lastKept = kept
                lastKeptID = member.id
                stats.clusters += 1
                stats.clusterSizes[try clusters.size(kept: kept), default: 0] += 1
            } else if kept != lastKept {
                lastKept = kept
                lastKeptID = try keptIDs.id(keptOrdinal)
            }
            let (estimated, exact) = try similarity(ordinal, keptOrdinal)
            batch.append(ClusterMember(
                documentID: member.id, keptID: lastKeptID, estimatedJaccard: estimated, exactJaccard: exact))
            if batch.count == batchSize {
                try context.recordClusters(batch)
                batch.removeAll(keepingCapacity: true)
            }
            guard number != kept else { return }
            stats.duplicatesRemoved += 1
            stats.duplicatesByInput[member.input, default: 0] += 1
            try sorter.add(DropRecord(key: DuplicateFilter.key(input: member.input, offset: member.offset),
                                      idOffset: UInt64(ids.bytesWritten), estimated: estimated ?? .nan, exact: exact ?? .nan))
            try ids.write(string: lastKeptID)
        }
        if !batch.isEmpty { try context.recordClusters(batch) }
        batch = []
        try ids.finish()
        let dropsPath = "\(folder)/\(dropsFile)"
        let drops = try BinaryWriter(path: DurableFile.temporaryPath(for: dropsPath))
        try sorter.sorted { try drops.write($0) }
        let idsReader = try BinaryReader(path: ids.path, bufferSize: 0)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var copied: Int64 = 0
        while copied < ids.bytesWritten {
            let n = Int(min(Int64(chunk.count), ids.bytesWritten - copied))
            try chunk.withUnsafeMutableBytes { raw in
                try idsReader.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[..<n]), at: copied)
            }
            try drops.write(bytes: chunk[..<n])
            copied += Int64(n)
        }
        try drops.write(UInt64(sorter.count))
        try drops.finish()
        _ = ids.path.withCString { unlink($0) }
        stats.spilledRuns += sorter.runCount
        guard rename(drops.path, dropsPath) == 0 else { throw ioError(dropsPath, "rename failed") }
        try DurableFile.write(Array(JSONWriter.serialize(stats.json, pretty: true).utf8) + [0x0A],
                              to: "\(folder)/\(statsFile)")
    }
}

/// One dropped document in `drops.bin`: the key of its (input, offset), where its kept
/// document's id is in `drop-ids.bin`, and its similarities to it (NaN when unknown).
/// Records sort by key, ties in the order they were written.
struct DropRecord: SortRecord {
    var key: Pair64
    var idOffset: UInt64
    var estimated: Double
    var exact: Double

    static func < (l: DropRecord, r: DropRecord) -> Bool {
        l.key < r.key || (l.key == r.key && l.idOffset < r.idOffset)
    }

    static func == (l: DropRecord, r: DropRecord) -> Bool {
        l.key == r.key && l.idOffset == r.idOffset
    }
}

/// The stage a dedup barrier hands to the next phase: drops the documents its `resolve`
/// found to duplicate an earlier one, naming the kept document.
///
/// Looks documents up by a 128-bit hash of their (input, offset) in `drops.bin`: read into
/// memory (40 bytes plus the kept id per dropped document) when that fits in `memoryBytes`,
/// otherwise searched on disk through an index of every 64th key.
public struct DuplicateFilter: Stage {
    public let reason: String
    private let table: DropTable

    /// How many documents the filter drops.
    public var count: Int { table.count }

    /// Whether the drop table was read into memory (else it is searched on disk).
    public var holdsDropsInMemory: Bool { table.inMemory }

    /// Opens `drops.bin` in `folder`.
    init(folder: String, reason: String, memoryBytes: Int) throws {
        self.reason = reason
        table = try DropTable(path: "\(folder)/\(DedupResults.dropsFile)", memoryBytes: memoryBytes)
    }

    static func key(input: String, offset: Int64) -> Pair64 {
        var bytes = Array(input.utf8)
        withUnsafeBytes(of: offset.littleEndian) { bytes.append(contentsOf: $0) }
        let hash = bytes.withUnsafeBytes { XXH3_128bits($0.baseAddress, $0.count) }
        return Pair64(hash.high64, hash.low64)
    }

    public func process(_ document: inout Document) -> Verdict {
        let key = Self.key(input: document.source.input, offset: document.source.offset)
        guard let (record, kept) = table.find(key) else { return .keep }
        var metrics: [Metric] = []
        if !record.estimated.isNaN { metrics.append(Metric("jaccard_estimate", record.estimated)) }
        if !record.exact.isNaN { metrics.append(Metric("jaccard", record.exact)) }
        return .drop(reason: reason, metrics: metrics, detail: kept)
    }
}

/// The contents of `drops.bin`, in memory or searched on disk. Immutable after `init`, so
/// workers share it.
final class DropTable: @unchecked Sendable {
    let count: Int
    private let path: String
    private let fd: Int32
    /// Every record and the ids, when they fit in memory.
    private let records: PageBuffer<DropRecord>?
    private let ids: PageBuffer<UInt8>?
    let inMemory: Bool
    /// On disk: the key of every `sample`-th record.
    private let sampledKeys: [Pair64]
    private let sample = 64
    private static let recordSize = MemoryLayout<DropRecord>.stride

    init(path: String, memoryBytes: Int) throws {
        releaseFreedMemory()
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError(path, "cannot open") }
        self.fd = fd
        var stored: UInt64 = 0
        let size = fileSize(path) ?? 0
        if size >= 8 {
            try withUnsafeMutableBytes(of: &stored) { raw throws(IOError) in try preadFully(fd, raw, at: size - 8, path: path) }
        }
        guard size >= 8, stored <= UInt64(size - 8) / UInt64(Self.recordSize) else {
            throw IOError(path: path, "not a dedup drop table")
        }
        let count = Int(stored)
        self.count = count
        let idsStart = count * Self.recordSize, idsBytes = Int(size) - 8 - idsStart
        inMemory = idsStart + idsBytes <= memoryBytes
        if inMemory {
            let records = PageBuffer<DropRecord>(capacity: count), ids = PageBuffer<UInt8>(capacity: idsBytes)
            try preadFully(fd, UnsafeMutableRawBufferPointer(records.buffer), at: 0, path: path)
            try preadFully(fd, UnsafeMutableRawBufferPointer(ids.buffer), at: Int64(idsStart), path: path)
            self.records = records
            self.ids = ids
            sampledKeys = []
        } else {
            records = nil
            ids = nil
            var keys: [Pair64] = []
            keys.reserveCapacity((count + sample - 1) / sample)
            var key = Pair64(0, 0)
            for i in stride(from: 0, to: count, by: sample) {
                try withUnsafeMutableBytes(of: &key) { raw throws(IOError) in
                    try preadFully(fd, raw, at: Int64(i * Self.recordSize), path: path)
                }
                keys.append(key)
            }
            sampledKeys = keys
        }
    }

    deinit { close(fd) }

    /// The record of `key` and the id of its kept document, if `key` is dropped.
    func find(_ key: Pair64) -> (DropRecord, String)? {
        if let records, let ids {
            let all = UnsafeBufferPointer(records.buffer), text = UnsafeRawBufferPointer(ids.buffer)
            let i = Self.lowerBound(key, in: all)
            guard i < all.count, all[i].key == key else { return nil }
            let offset = Int(all[i].idOffset)
            let length = Int(text.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            return (all[i], String(decoding: text[(offset + 4)..<(offset + 4 + length)], as: UTF8.self))
        }
        // The block that starts at the last sampled key not above `key`.
        var low = 0, high = sampledKeys.count
        while low < high {
            let mid = (low + high) / 2
            if key < sampledKeys[mid] { high = mid } else { low = mid + 1 }
        }
        guard low > 0 else { return nil }
        let first = (low - 1) * sample, length = min(sample, count - first)
        return withUnsafeTemporaryAllocation(of: DropRecord.self, capacity: sample) { space in
            let block = UnsafeMutableBufferPointer(rebasing: space[..<length])
            // The file was whole when opened; resolve never rewrites it while it is loaded.
            readOrStop(UnsafeMutableRawBufferPointer(block), at: Int64(first * Self.recordSize))
            let i = Self.lowerBound(key, in: UnsafeBufferPointer(block))
            guard i < length, block[i].key == key else { return nil }
            return (block[i], readID(at: Int64(count * Self.recordSize) + Int64(block[i].idOffset)))
        }
    }

    private func readID(at offset: Int64) -> String {
        var length: UInt32 = 0
        withUnsafeMutableBytes(of: &length) { readOrStop($0, at: offset) }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        bytes.withUnsafeMutableBytes { readOrStop($0, at: offset + 4) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads `buffer.count` bytes at `offset`, or stops the process naming the file: the
    /// table was checked whole when opened, so a failed read is an I/O error, and answering
    /// "not a duplicate" would silently keep a document the barrier dropped. A run stopped
    /// here resumes from its last complete task.
    private func readOrStop(_ buffer: UnsafeMutableRawBufferPointer, at offset: Int64) {
        do {
            try preadFully(fd, buffer, at: offset, path: path)
        } catch {
            fatalError("\(path): at byte \(offset): \(error.message) (reading the dedup drop table)")
        }
    }

    private static func lowerBound(_ key: Pair64, in records: UnsafeBufferPointer<DropRecord>) -> Int {
        var low = 0, high = records.count
        while low < high {
            let mid = (low + high) / 2
            if records[mid].key < key { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

extension DedupResults {
    /// Deletes the intermediate files `resolve` left in `folder` (all but the results).
    static func removeWorkFiles(in folder: String) {
        let keep: Set<String> = [dropsFile, statsFile]
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where !keep.contains(name) && (name.hasSuffix(".bin") || name.hasSuffix(".idx") || name.hasSuffix(".table")) {
            try? FileManager.default.removeItem(atPath: "\(folder)/\(name)")
        }
    }
}
