import CurateProvenance
import Foundation
import Testing

/// `curate audit token`, `takedown` and `verify` on a run over the fixture WARC files,
/// encoded with the GPT-2 ranks into shards of at most 6,000 tokens.
@Suite(.serialized) struct AuditTakedownTests {
    let folder: String
    var output: String { folder + "/out" }
    var shards: String { output + "/shards" }

    init() throws {
        folder = scratch()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let fixtures = root + "/Tests/Fixtures"
        let pipeline = """
            {"name": "takedown", "output": "out",
             "inputs": [{"format": "warc", "paths": ["\(fixtures)/warc/cc-2020-34-resiliparse-50rec.warc.gz",
                                                      "\(fixtures)/warc/cc-2024-22-whirlwind.warc.gz"]}],
             "stages": [{"type": "html_extract"}, {"type": "length", "min_chars": 200},
                        {"type": "tokenize", "tokenizer": "\(fixtures)/tokenizer/gpt2.tiktoken", "pattern": "gpt2",
                         "shard_tokens": 6000, "frame_tokens": 1024}]}
            """
        try pipeline.write(toFile: folder + "/pipeline.json", atomically: true, encoding: .utf8)
        let result = try run(["run", folder + "/pipeline.json", "--workers", "1", "--no-report"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    private func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// The WARC-Record-ID of the record whose gzip member starts at `offset` of `path`.
    private func recordID(_ path: String, at offset: Int) throws -> String? {
        let handle = try #require(FileHandle(forReadingAtPath: path))
        try handle.seek(toOffset: UInt64(offset))
        let member = handle.readDataToEndOfFile()
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gunzip.arguments = ["-dc"]
        let input = Pipe(), out = Pipe()
        gunzip.standardInput = input
        gunzip.standardOutput = out
        gunzip.standardError = FileHandle.nullDevice
        try gunzip.run()
        input.fileHandleForWriting.write(member)
        try input.fileHandleForWriting.close()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile().prefix(4096), as: UTF8.self)
        gunzip.waitUntilExit()
        guard text.hasPrefix("WARC/") else { return nil }
        for line in text.split(separator: "\r\n") where line.hasPrefix("WARC-Record-ID: ") {
            return String(line.dropFirst("WARC-Record-ID: ".count)).trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
        }
        return nil
    }

    private func files() throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: shards) {
            out[name] = try Data(contentsOf: URL(fileURLWithPath: shards + "/" + name))
        }
        return out
    }

    @Test func tokensMapBackToTheirDocumentAndWARCRecord() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let manifest = json(try String(contentsOfFile: shards + "/manifest.json", encoding: .utf8))
        let shardList = try #require(manifest["shards"] as? [[String: Any]])
        #expect(shardList.count >= 4)
        var checked = 0
        for (number, shard) in shardList.enumerated() {
            let tokens = try #require(shard["tokens"] as? Int)
            for position in stride(from: number % 7, to: tokens, by: 2_503) {
                let audit = try run(["audit", output, "token", "\(number):\(position)", "--json"])
                let lineage = json(audit.stdout)
                // The shard's own index names the same document.
                let inspect = json(try run(["shards", "inspect", shards, "--at", "\(number):\(position)", "--json"]).stdout)
                let id = try #require(lineage["id"] as? String)
                #expect(inspect["id"] as? String == id)
                let first = try #require(lineage["first_token"] as? Int), count = try #require(lineage["tokens"] as? Int)
                #expect(first <= position && position < first + count)
                // Re-reading the record at the recorded offset gives the document's record.
                let input = URL(fileURLWithPath: folder + "/" + (lineage["input"] as! String)).standardized.path
                #expect(try recordID(input, at: lineage["offset"] as! Int) == id, "token \(number):\(position)")
                checked += 1
            }
        }
        #expect(checked >= 10)
    }

    @Test func takedownOfADomainRewritesOnlyItsShardsAndVerifyNoticesAModifiedShard() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try ProvenanceStore(path: output + "/provenance.sqlite")
        // A domain whose documents all sit in one shard.
        let domains = try store.query("""
            SELECT d.domain, MIN(s.shard), COUNT(*) FROM documents d JOIN shard_spans s USING (input_id, offset)
            GROUP BY d.domain HAVING COUNT(DISTINCT s.shard) = 1 ORDER BY COUNT(*) DESC, d.domain LIMIT 1
            """)
        let domain = try #require(domains.first?[0]), shard = Int(domains[0][1]!)!, count = Int(domains[0][2]!)!
        let before = try files()
        let manifestBefore = json(String(decoding: before["manifest.json"]!, as: UTF8.self))
        let idsBefore = try store.query("SELECT doc_id FROM shard_spans WHERE shard = \(shard) ORDER BY first_token").map { $0[0]! }
        let removed = try store.query("""
            SELECT d.doc_id FROM documents d JOIN shard_spans s USING (input_id, offset) WHERE d.domain = '\(domain)' ORDER BY s.first_token
            """).map { $0[0]! }
        #expect(removed.count == count)

        let takedown = try run(["audit", output, "takedown", "--domain", domain, "--json"])
        #expect(takedown.status == 0, "\(takedown.stderr)")
        let outcome = json(takedown.stdout)
        #expect(outcome["manifest_version"] as? Int == 2)
        #expect((outcome["documents"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.sorted() == removed.sorted())

        let after = try files()
        let old = String(format: "shard-%05d", shard)
        for (name, bytes) in before where name != "manifest.json" && !name.hasPrefix(old) {
            #expect(after[name] == bytes, "\(name) changed")
        }
        #expect(after["\(old).tok.zst"] == nil && after["\(old).docs"] == nil)
        #expect(after["\(old).v2.tok.zst"] != nil && after["\(old).v2.docs"] != nil)
        let manifestAfter = json(String(decoding: after["manifest.json"]!, as: UTF8.self))
        #expect(manifestAfter["version"] as? Int == 2)
        let removedTokens = try #require((outcome["rewritten"] as? [[String: Any]])?.first?["removed_tokens"] as? Int)
        #expect(manifestAfter["tokens"] as? Int == (manifestBefore["tokens"] as! Int) - removedTokens)
        #expect(manifestAfter["documents"] as? Int == (manifestBefore["documents"] as! Int) - count)

        // The rewritten shard holds exactly the other documents, in order, where provenance says.
        let idsAfter = try store.query("SELECT doc_id FROM shard_spans WHERE shard = \(shard) ORDER BY first_token").map { $0[0]! }
        #expect(idsAfter == idsBefore.filter { !removed.contains($0) })
        for row in try store.query("SELECT doc_id, first_token FROM shard_spans WHERE shard = \(shard)") {
            let inspect = json(try run(["shards", "inspect", shards, "--at", "\(shard):\(row[1]!)", "--json"]).stdout)
            #expect(inspect["id"] as? String == row[0]!)
        }
        #expect(try store.query("SELECT COUNT(*) FROM documents WHERE taken_down_by = 1") == [["\(count)"]])
        #expect(try store.query("SELECT selector, value, removed_documents FROM takedowns") == [["domain", domain, "\(count)"]])
        let report = try run(["audit", output, "domain", domain])
        #expect(report.stdout == "\(domain): \(count) documents, \(count) kept, 0 dropped, 0 unreadable, \(count) taken down; 0 tokens in no shard\n")

        #expect(try run(["shards", "verify", shards]).status == 0)
        let verify = try run(["audit", output, "verify"])
        #expect(verify.status == 0 && verify.stdout.hasSuffix("all match the manifest and provenance\n"), "\(verify.stdout)")
        let again = try run(["audit", output, "takedown", "--domain", domain])
        #expect(again.status != 0 && again.stderr.contains("no document of this run that is not already taken down matches domain"))

        // One flipped byte in a shard that the takedown left alone.
        let untouched = try #require(before.keys.filter { $0.hasSuffix(".tok.zst") && !$0.hasPrefix(old) }.sorted().first)
        var bytes = after[untouched]!
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: shards + "/" + untouched))
        let broken = try run(["audit", output, "verify", "--json"])
        #expect(broken.status == 1)
        let problems = json(broken.stdout)["problems"] as? [String] ?? []
        #expect(problems.count == 2 && problems.allSatisfy { $0.contains(untouched) }, "\(problems)")
    }
}
