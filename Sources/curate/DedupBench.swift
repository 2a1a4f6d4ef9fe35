import ArgumentParser
import CurateCore
import CurateDedup
import CurateIO
import Foundation
import Synchronization

/// Drives the dedup barriers without a pipeline, for bench/dedup.sh.
struct DedupBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedup-bench",
        abstract: "Dedup benchmark driver (bench/dedup.sh).",
        shouldDisplay: false,
        subcommands: [Signatures.self, RunBarrier.self, Pairs.self])

    /// The documents of a JSONL file with `id` and `text` fields.
    static func forEachDocument(in path: String, _ body: (inout Document) throws -> Void) throws {
        let lines = LineReader(try FileReader(path: path))
        while let line = try lines.next() {
            guard case let .object(object) = try JSONParser.parse(line.bytes), case let .string(text)? = object["text"] else {
                throw IOError(path: path, offset: line.offset, "expected a JSON object with a text string")
            }
            var id = "\(path)/\(line.offset)"
            if case let .string(given)? = object["id"] { id = given }
            var document = Document(id: id, text: Array(text.utf8), source: SourceRef(input: path, offset: line.offset, line: line.number))
            try body(&document)
        }
    }

    static func peakRSSMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ")[1]) else { return 0 }
        return kb / 1024
    }

    struct Signatures: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Signature throughput on the documents of JSONL files.")

        @Option(help: "Threads.") var threads = 1
        @Option(help: "Permutations.") var numPerm = 112
        @Option(help: "Words per shingle.") var ngram = 5
        @Option(help: "Write every signature here, in document order (little-endian UInt64s), after timing.") var dump: String?
        @Argument var files: [String]

        func run() throws {
            var texts: [[UInt8]] = []
            for file in files { try DedupBench.forEachDocument(in: file) { texts.append($0.text) } }
            let all = texts
            let hasher = MinHasher(count: numPerm, seed: 1)
            let checksum = Mutex<UInt64>(0)
            let threads = self.threads, ngram = self.ngram
            // The first simplification builds the shared Unicode table, once per process: not
            // part of the per-document throughput.
            var warmUp = Shingler(unit: .word, n: ngram), unused: [UInt64] = []
            warmUp.shingles(of: Array("warm up".utf8), into: &unused)
            let start = Date()
            // With --dump each document has its own slot (the threads write disjoint ones), else each thread one.
            nonisolated(unsafe) let slots = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: hasher.count * (dump == nil ? threads : all.count))
            defer { slots.deallocate() }
            let perDocument = dump != nil
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                var shingler = Shingler(unit: .word, n: ngram)
                var hashes: [UInt64] = []
                var sum: UInt64 = 0
                for i in stride(from: t, to: all.count, by: threads) {
                    let slot = (perDocument ? i : t) * hasher.count
                    let signature = UnsafeMutableBufferPointer(rebasing: slots[slot..<(slot + hasher.count)])
                    shingler.shingles(of: all[i], into: &hashes)
                    hasher.signature(of: &hashes, into: signature)
                    sum &+= signature[0]
                }
                checksum.withLock { $0 &+= sum }
            }
            let seconds = Date().timeIntervalSince(start)
            if let dump, !FileManager.default.createFile(atPath: dump, contents: Data(buffer: UnsafeBufferPointer(slots))) {
                throw ValidationError("--dump \(dump) cannot be written")
            }
            print(JSONWriter.serialize(.object(JSONObject([
                ("docs", .integer(all.count)), ("seconds", .double(seconds)),
                ("docs_per_s", .double(Double(all.count) / seconds)),
                ("checksum", .number(String(checksum.withLock { $0 }))),
            ]))))
        }
    }

    struct RunBarrier: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run", abstract: "Resolve minhash_dedup (or exact_dedup) over JSONL parts and apply its drops.")

        @Option(help: "Worker threads.") var workers = 1
        @Option(help: "memory_mb.") var memoryMb = 1024
        @Flag(help: "Verify candidate pairs.") var verify = false
        @Option(help: "Verification threshold.") var threshold = 0.8
        @Flag(help: "Run exact_dedup instead.") var exact = false
        @Option(help: "Work folder (emptied first).") var folder: String
        @Option(help: "Write every cluster member as `document<TAB>kept` here.") var clusters: String?
        @Argument var parts: [String]

        func run() throws {
            try? FileManager.default.removeItem(atPath: folder)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            // Memberships go straight to the --clusters file, as the runner sends them to SQLite.
            let out = try clusters.map { path throws -> FileHandle in
                guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                    throw ValidationError("--clusters \(path) cannot be written")
                }
                return handle
            }
            let sink = Mutex(out)
            let parts = self.parts
            let context = BarrierContext(
                stepName: "dedup", folder: folder, runFolder: folder, parts: parts, workers: workers,
                forEachDocument: { index, body in try DedupBench.forEachDocument(in: parts[index], body) },
                recordClusters: { new in
                    try sink.withLock { handle in
                        guard let handle else { return }
                        var text = ""
                        for m in new { text += "\(m.documentID)\t\(m.keptID)\n" }
                        try handle.write(contentsOf: Data(text.utf8))
                    }
                })
            let barrier: any BarrierStage = exact
                ? ExactDedup(memoryMB: memoryMb)
                : MinHashDedup(verify: verify, threshold: threshold, memoryMB: memoryMb)
            let start = Date()
            try barrier.resolve(context)
            let resolved = Date()
            let stage = try barrier.load(context)
            var documents = 0, dropped = 0
            for part in parts.indices {
                try context.forEachDocument(part) { document in
                    documents += 1
                    if case .drop = stage.process(&document) { dropped += 1 }
                }
            }
            let end = Date()
            let stats = try DedupStats.load(folder: folder)
            try sink.withLock { try $0?.close() }
            print(JSONWriter.serialize(.object(JSONObject([
                ("docs", .integer(documents)), ("dropped", .integer(dropped)),
                ("resolve_seconds", .double(resolved.timeIntervalSince(start))),
                ("total_seconds", .double(end.timeIntervalSince(start))),
                ("docs_per_s", .double(Double(documents) / end.timeIntervalSince(start))),
                ("peak_rss_mb", .double(DedupBench.peakRSSMB())),
                ("candidate_pairs", .integer(stats.candidatePairs)), ("rejected", .integer(stats.rejectedCandidates)),
                ("clusters", .integer(stats.clusters)), ("spilled_runs", .integer(stats.spilledRuns)),
                ("cluster_sizes", .object(JSONObject(stats.clusterSizes.sorted { $0.key < $1.key }.map { (String($0.key), .integer($0.value)) }))),
            ]))))
        }
    }

    struct Pairs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "For pairs of documents (0-based line numbers, TAB-separated): true Jaccard, estimate, and whether LSH makes them candidates.")

        @Option var bands = 14
        @Option var rows = 8
        @Argument var file: String
        @Argument var pairs: String

        func run() throws {
            var texts: [[UInt8]] = []
            try DedupBench.forEachDocument(in: file) { texts.append($0.text) }
            let hasher = MinHasher(count: bands * rows, seed: 1)
            var shingler = Shingler()
            var sets: [Set<UInt64>] = [], signatures: [[UInt64]] = []
            var hashes: [UInt64] = []
            for text in texts {
                shingler.shingles(of: text, into: &hashes)
                sets.append(Set(hashes))
                var signature = [UInt64](repeating: 0, count: hasher.count)
                signature.withUnsafeMutableBufferPointer { hasher.signature(of: &hashes, into: $0) }
                signatures.append(signature)
            }
            var out = ""
            for line in try String(contentsOfFile: pairs, encoding: .utf8).split(separator: "\n") {
                let f = line.split(separator: "\t")
                guard f.count >= 2, let i = Int(f[0]), let j = Int(f[1]) else { continue }
                let union = sets[i].union(sets[j]).count
                let jaccard = union == 0 ? 1 : Double(sets[i].intersection(sets[j]).count) / Double(union)
                var equal = 0, candidate = false
                for k in 0..<hasher.count where signatures[i][k] == signatures[j][k] { equal += 1 }
                for b in 0..<bands where signatures[i][(b * rows)..<((b + 1) * rows)] == signatures[j][(b * rows)..<((b + 1) * rows)] {
                    candidate = true
                }
                out += "\(i)\t\(j)\t\(jaccard)\t\(Double(equal) / Double(hasher.count))\t\(candidate ? 1 : 0)\n"
            }
            print(out, terminator: "")
        }
    }
}
