import CurateProvenance
import Foundation
import Testing

/// SplitMix64: the kill moments are random but the same for a given seed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Kills `curate run` with SIGKILL at random moments of a WARC pipeline that has every kind of
/// stage (html_extract, filters, minhash_dedup, bpe_train, tokenize), resumes it each time, and
/// checks that the result is the uninterrupted run's, byte for byte and row for row.
/// `CURATE_CRASH_KILLS` (default 3) and `CURATE_CRASH_SEED` (default 11) choose how many kills
/// and where; scripts/crash-harness.sh runs it with 20.
@Suite struct CrashHarnessTests {
    static let kills = ProcessInfo.processInfo.environment["CURATE_CRASH_KILLS"].flatMap { Int($0) } ?? 3
    static let seed = ProcessInfo.processInfo.environment["CURATE_CRASH_SEED"].flatMap { UInt64($0) } ?? 11

    /// The files a finished run must reproduce exactly.
    static let outputs = ["docs", "shards", "tokenizer.json", "tokenizer.tiktoken", "tokenizer.tiktoken.json"]

    /// Provenance a finished run must reproduce exactly (what depends on inputs, not on time).
    static let tables = [
        "SELECT input_id, offset, line, doc_id, url, status, dropped_by, reason, metrics, detail, chars, language FROM documents ORDER BY input_id, offset",
        "SELECT stage, doc_id, kept_doc_id, estimated_jaccard, exact_jaccard FROM dedup_clusters ORDER BY stage, doc_id",
        "SELECT input_id, offset, doc_id, shard, first_token, tokens FROM shard_spans ORDER BY shard, first_token",
        "SELECT shard, file, sha256, tokens, documents, frames FROM shards ORDER BY shard",
        "SELECT stage, file, sha256, vocab_size, pattern, trained_on_documents, trained_on_bytes FROM tokenizers ORDER BY stage",
        "SELECT position, stage, SUM(docs_in), SUM(docs_out), SUM(rewritten) FROM stage_stats GROUP BY position, stage ORDER BY position",
        "SELECT position, reason, SUM(documents) FROM stage_drops GROUP BY position, reason ORDER BY position, reason",
    ]

    /// Two WARC files of HTML pages made from the Gutenberg sample's paragraphs (every tenth
    /// page a copy of the one before, for dedup), one of them gzipped whole, and a Common Crawl
    /// sample with a gzip member per record: small, since a debug build under load is slow.
    static func makeCorpus(in space: Workspace) throws {
        let paragraphs = try runCommand("/usr/bin/zstd", ["-dc", root + "/samples/gutenberg-paragraphs.jsonl.zst"], in: space.folder).stdout
            .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            .compactMap { $0["text"] as? String }.filter { $0.count > 80 }
        var page = 0
        for file in 0..<2 {
            var records: [UInt8] = []
            for _ in 0..<75 {
                let source = page % 10 == 9 ? page - 1 : page
                let body = (0..<2).map { "<p>\(paragraphs[(source * 2 + $0) % paragraphs.count])</p>" }.joined()
                let html = "<html><head><title>Page \(source)</title></head><body><nav>Home | About</nav><article>\(body)</article></body></html>"
                records += warcRecord(type: "response", id: String(format: "00000000-0000-0000-0000-%012d", page), uri: "http://example.com/\(page)",
                                      contentType: "application/http; msgtype=response", block: httpBlock(Array(html.utf8)))
                page += 1
            }
            if file == 0 {
                try space.write("data/pages-\(file).warc.gz", try compress(records, with: "gzip"))
            } else {
                try space.write("data/pages-\(file).warc", records)
            }
        }
        let sample = "cc-2020-34-resiliparse-50rec.warc.gz"
        try space.write("data/" + sample, Array(try Data(contentsOf: URL(fileURLWithPath: root + "/samples/warc/" + sample))))
        try space.write("pipeline.json", """
            {"name": "crash-harness", "workers": 2,
             "inputs": [{"format": "warc", "paths": ["data/*.warc", "data/*.warc.gz"]}],
             "stages": [{"type": "html_extract"}, {"type": "normalize"}, {"type": "length", "min_words": 10},
                        {"type": "gopher_quality"}, {"type": "minhash_dedup"},
                        {"type": "bpe_train", "vocab_size": 400}, {"type": "tokenize", "shard_tokens": 10000, "frame_tokens": 2048}],
             "output": "run"}
            """)
    }

    /// Every output file of a run folder, by path relative to it.
    static func outputFiles(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for output in outputs {
            let path = folder + "/" + output
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
            if isFolder.boolValue {
                for name in try FileManager.default.contentsOfDirectory(atPath: path) {
                    files[output + "/" + name] = try Data(contentsOf: URL(fileURLWithPath: path + "/" + name))
                }
            } else {
                files[output] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        return files
    }

    @Test func killedRunsResumeToTheUninterruptedRunsBytesAndRows() throws {
        let space = try Workspace()
        defer { space.remove() }
        try Self.makeCorpus(in: space)
        let started = Date()
        let reference = try space.curate(["run", "pipeline.json", "--output", "reference", "--no-report"])
        let duration = Date().timeIntervalSince(started)
        #expect(reference.status == 0, "\(reference.stderr)")
        let expectedFiles = try Self.outputFiles(space.path("reference"))
        #expect(expectedFiles.keys.contains("shards/manifest.json") && expectedFiles.keys.contains("tokenizer.json"))
        let referenceStore = try space.store("reference")
        let expectedRows = try Self.tables.map { try referenceStore.query($0) }
        // Every record read once: the 150 pages and the Common Crawl sample's 16 HTML responses.
        let documents = try referenceStore.query("SELECT COUNT(*) FROM documents")[0][0]!
        #expect(documents == "166")
        print("crash harness: reference run \(String(format: "%.1f", duration)) s, \(documents) documents, \(expectedFiles.count) output files; \(Self.kills) kills, seed \(Self.seed)")

        var random = SeededRandom(state: Self.seed)
        var kills = 0, chains = 0
        var run = "run-0"
        while kills < Self.kills {
            let delay = Double.random(in: 0.02...max(0.05, duration), using: &random)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: curate)
            process.arguments = ["run", "pipeline.json", "--output", run, "--no-report", "--quiet"]
            process.currentDirectoryURL = URL(fileURLWithPath: space.folder)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                kills += 1
                let done = try? space.store(run).query("SELECT COUNT(*) FILTER (WHERE status = 'done'), COUNT(*) FROM tasks")
                print("crash harness: kill \(kills) after \(String(format: "%.2f", delay)) s of \(run): \(done.map { "\($0[0][0]!) of \($0[0][1]!) tasks done" } ?? "no plan yet")")
            } else {
                process.waitUntilExit()
                #expect(process.terminationStatus == 0)
                try verify(space, run: run, expectedFiles, expectedRows)
                chains += 1
                run = "run-\(chains)"
            }
        }
        let finished = try space.curate(["run", "pipeline.json", "--output", run, "--no-report"])
        #expect(finished.status == 0, "\(finished.stderr)")
        try verify(space, run: run, expectedFiles, expectedRows)
    }

    /// Checks a finished run folder against the reference.
    private func verify(_ space: Workspace, run: String, _ expectedFiles: [String: Data], _ expectedRows: [[[String?]]]) throws {
        let files = try Self.outputFiles(space.path(run))
        #expect(files.keys.sorted() == expectedFiles.keys.sorted(), "\(run)")
        for (name, bytes) in expectedFiles { #expect(files[name] == bytes, "\(run)/\(name) differs") }
        let store = try space.store(run)
        for (query, rows) in zip(Self.tables, expectedRows) { #expect(try store.query(query) == rows, "\(run): \(query)") }
        #expect(try store.query("PRAGMA integrity_check") == [["ok"]])
        #expect(try store.query("SELECT COUNT(*) FROM tasks WHERE status != 'done'") == [["0"]])
        let runs = try store.query("SELECT status FROM runs ORDER BY id")
        #expect(runs.last == ["completed"])
    }
}
