import CurateProvenance
import Foundation
import Testing

@Suite struct BrokenPipelineTests {
    static let cases: [(String, String)] = [
        ("bad-json.json", "line 4, column 3: invalid JSON: expected ',' or '}' in an object, found '\"'"),
        ("bad-stage-type.json", "stages[1].type: unknown stage type \"lenght\"; did you mean \"length\"? (valid: audit_terms, badwords, bpe_train, c4_paragraph, c4_quality, exact_dedup, fineweb_quality, gopher_quality, gopher_repetition, html_extract, language, length, minhash_dedup, normalize, pii, tokenize, url_filter)"),
        ("bad-option-type.json", """
            stages[0].form: expected one of "NFC", "NFKC", "none", got "nfc"; did you mean "NFC"?
            error: Tests/Fixtures/pipelines/bad-option-type.json: stages[1].max_chars: expected an integer >= 0, got "100"
            error: Tests/Fixtures/pipelines/bad-option-type.json: workers: expected an integer >= 1, got 0
            """),
        ("bad-keys.json", """
            ouput: unknown key "ouput"; did you mean "output"?
            error: Tests/Fixtures/pipelines/bad-keys.json: inputs[0].text_feild: unknown option "text_feild" for input format "jsonl"; did you mean "text_field"?
            error: Tests/Fixtures/pipelines/bad-keys.json: stages[0].min_char: unknown option "min_char" for stage "length"; did you mean "min_chars"?
            """),
        ("bad-range.json", "stages[0].max_chars: must be at least min_chars (50), got 10"),
        ("bad-inputs.json", "inputs[0].paths[0]: no file matches \"../jsonl/missing-*.jsonl\" (relative to \(root)/Tests/Fixtures/pipelines)"),
    ]

    @Test(arguments: cases)
    func isRejectedWithExactMessagesAndNothingWritten(name: String, message: String) throws {
        let file = "Tests/Fixtures/pipelines/" + name
        for command in ["validate", "run"] {
            let result = try run([command, file])
            #expect(result.status == 2)
            #expect(result.stderr == "error: \(file): \(message)\n")
            #expect(result.stdout.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: root + "/Tests/Fixtures/pipelines/out"))
    }
}

@Suite struct QuickstartTests {
    @Test func summaryCountsEqualTheDocumentsRows() throws {
        let output = scratch()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try run(["run", "pipelines/quickstart.json", "--output", output, "--json"])
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let documents = json["documents"] as! [String: Int]
        let store = try ProvenanceStore(path: output + "/provenance.sqlite")
        func count(_ condition: String) throws -> Int { Int(try store.query("SELECT COUNT(*) FROM documents WHERE \(condition)")[0][0]!)! }
        #expect(documents["read"] == (try count("1")))
        #expect(documents["kept"] == (try count("status = 'kept'")))
        #expect(documents["dropped"] == (try count("status = 'dropped'")))
        #expect(documents["unreadable"] == (try count("status = 'error'")))
        #expect(documents == ["read": 805, "kept": 610, "dropped": 195, "unreadable": 0])
        #expect(try store.query("SELECT status, COUNT(*) FROM runs GROUP BY status") == [["completed", "1"]])
    }

    @Test func theTableNamesEveryStageAndReason() throws {
        let output = scratch()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try run(["run", "pipelines/quickstart.json", "--output", output, "--workers", "1"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("pipeline quickstart: 10 input files, 15 tasks (15 run, 0 already complete), 1 worker, "))
        #expect(lines[2].split(separator: " ") == ["stage", "type", "in", "out", "dropped", "rewritten", "time"])
        #expect(lines[4].split(separator: " ").prefix(6) == ["normalize", "normalize", "805", "805", "0", "415"])
        #expect(lines[5].split(separator: " ").prefix(6) == ["length", "length", "805", "651", "154", "0"])
        #expect(lines[6].split(separator: " ") == ["too_few_words", "154"])
        #expect(lines[7].split(separator: " ").prefix(6) == ["minhash_dedup", "minhash_dedup", "651", "610", "41", "0"])
        #expect(lines[9].split(separator: " ").prefix(6) == ["bpe_train", "bpe_train", "610", "610", "0", "0"])
        #expect(lines[10].split(separator: " ").prefix(6) == ["tokenize", "tokenize", "610", "610", "0", "0"])
        #expect(lines[12] == "documents: 805 read, 610 kept, 195 dropped, 0 unreadable")
        #expect(lines[14] == "shards: 121,321 tokens in 1 shard, \(output)/shards/manifest.json")
    }
}

@Suite struct QuickstartShardTests {
    @Test func oneAndTwoWorkersGiveTheSameTokenizerAndShardsThatVerify() throws {
        let one = scratch(), two = scratch()
        defer { for folder in [one, two] { try? FileManager.default.removeItem(atPath: folder) } }
        #expect(try run(["run", "pipelines/quickstart.json", "--output", one, "--workers", "1"]).status == 0)
        #expect(try run(["run", "pipelines/quickstart.json", "--output", two, "--workers", "2", "--no-report"]).status == 0)
        for file in ["tokenizer.json", "tokenizer.tiktoken", "shards/manifest.json", "shards/shard-00000.tok.zst", "shards/shard-00000.docs"] {
            let a = FileManager.default.contents(atPath: one + "/" + file)
            #expect(a != nil && a == FileManager.default.contents(atPath: two + "/" + file), "\(file) differs")
        }
        let report = try String(contentsOfFile: one + "/report.html", encoding: .utf8)
        #expect(report.contains("encoded 397605 bytes into 120711 tokens (3.29 bytes per token)"))
        let verify = try run(["shards", "verify", one + "/shards"])
        #expect(verify.stdout == "ok: 1 shard, 121321 tokens, 610 documents, 2 frames\n")
        let store = try ProvenanceStore(path: one + "/provenance.sqlite")
        #expect(try store.query("SELECT COUNT(*), SUM(tokens) FROM shard_spans") == [["610", "121321"]])
        #expect(try store.query("SELECT stage, file, vocab_size, pattern, trained_on_documents FROM tokenizers ORDER BY stage")
            == [["bpe_train", "tokenizer.json", "2048", "cl100k", "610"], ["tokenize", "tokenizer.json", "2048", "cl100k", nil]])
        // Text bytes and tokens without the end-of-document ids, and their ratio in the report.
        #expect(try store.query("SELECT encoded_bytes, encoded_tokens FROM tokenizers WHERE stage = 'tokenize'") == [["397605", "120711"]])
        // Every sampled token position maps back to the document whose span holds it.
        let token = try run(["audit", one, "token", "0:60000"])
        let span = try store.query("SELECT doc_id, first_token, tokens FROM shard_spans WHERE first_token <= 60000 AND first_token + tokens > 60000")
        #expect(span.count == 1 && token.stdout.hasPrefix("document \(span[0][0]!)\n"))
        // The shard decodes, with the run's tokenizer, to the text the run kept.
        let inspect = try run(["shards", "inspect", one + "/shards", "--doc", span[0][0]!, "--json"])
        let decoded = try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as! [String: Any]
        let zstd = Process()
        zstd.executableURL = URL(fileURLWithPath: "/usr/bin/zstd")
        zstd.arguments = ["-dc"] + (0..<3).map { one + "/docs/part-0000\($0).jsonl.zst" }
        let pipe = Pipe()
        zstd.standardOutput = pipe
        try zstd.run()
        let parts = pipe.fileHandleForReading.readDataToEndOfFile()
        zstd.waitUntilExit()
        let kept = parts.split(separator: UInt8(ascii: "\n")).map { try! JSONSerialization.jsonObject(with: Data($0)) as! [String: Any] }
        let original = kept.first { $0["id"] as? String == span[0][0]! }?["text"] as? String
        #expect(original != nil && decoded["text"] as? String == original)
        // A model trained on the shards exports with the run's tokenizer beside it.
        #expect(try run(["train", "--shards", one + "/shards", "--config", "tiny", "--steps", "3", "--out", one + "/ckpt"]).status == 0)
        #expect(try run(["train", "export", one + "/ckpt", "-o", one + "/hf"]).status == 0)
        for file in ["config.json", "model.safetensors"] { #expect(FileManager.default.fileExists(atPath: one + "/hf/" + file)) }
        #expect(FileManager.default.contents(atPath: one + "/hf/tokenizer.json") == FileManager.default.contents(atPath: one + "/tokenizer.json"))
        // Sampling from a text prompt encodes it with the shards' tokenizer and decodes the continuation.
        let sample = try run(["sample", one + "/ckpt", "--prompt", "It was the best of times", "--tokens", "8", "--temperature", "0", "--json"])
        let sampled = try JSONSerialization.jsonObject(with: Data(sample.stdout.utf8)) as! [String: Any]
        let promptIDs = sampled["prompt_ids"] as! [Int], ids = sampled["ids"] as! [Int]
        #expect(sample.status == 0 && !promptIDs.isEmpty && (1...8).contains(ids.count))
        #expect((sampled["text"] as! String).hasPrefix("It was the best of times"))
        let byIDs = try run(["train", "sample", one + "/ckpt", "--prompt-ids", promptIDs.map(String.init).joined(separator: ","),
                             "--tokens", "8", "--temperature", "0"])
        #expect(byIDs.stdout == "[" + ids.map(String.init).joined(separator: ",") + "]\n")
        #expect(try run(["sample", one + "/ckpt", "--prompt", "x", "--prompt-ids", "1"]).status == 64)
    }
}

@Suite struct SamplePipelineTests {
    /// Runs a sample pipeline into a scratch folder and returns its JSON summary and provenance.
    private func runSample(_ name: String) throws -> (documents: [String: Int], store: ProvenanceStore, output: String) {
        let output = scratch()
        let result = try run(["run", "pipelines/\(name).json", "--output", output, "--json"])
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        return (json["documents"] as! [String: Int], try ProvenanceStore(path: output + "/provenance.sqlite"), output)
    }

    @Test func commonCrawlWARCsBecomeMainText() throws {
        let (documents, store, output) = try runSample("commoncrawl")
        defer { try? FileManager.default.removeItem(atPath: output) }
        #expect(documents == ["read": 17, "kept": 11, "dropped": 6, "unreadable": 0])
        #expect(try store.query("SELECT doc_id, url, offset FROM documents WHERE offset = 1023")
            == [["urn:uuid:2aabeff2-67f5-4608-8466-e87c6296e2b6", "https://an.wikipedia.org/wiki/Escopete", "1023"]])
        #expect(try store.query("SELECT reason, COUNT(*) FROM documents WHERE status = 'dropped' GROUP BY reason")
            == [["too_few_chars", "6"]])

        let doc = try run(["audit", output, "doc", "urn:uuid:8ed3a686-65da-4101-830e-298f87a11487"])
        #expect(doc.stdout == """
            document urn:uuid:8ed3a686-65da-4101-830e-298f87a11487
              record: ../samples/warc/cc-2020-34-resiliparse-50rec.warc.gz at byte 32353
              url: http://035.psb556.com/24/i/u_1090813/article.html
              html_extract: passed
              normalize: passed
              length: dropped, too_few_chars {"chars":92}

            """)
        let drops = try run(["audit", "drops", output, "--stage", "length", "--sample", "1"])
        #expect(drops.stdout.hasPrefix("length dropped 6 documents; 1 shown\n\nurn:uuid:8ed3a686-65da-4101-830e-298f87a11487  too_few_chars"))
        #expect(drops.stdout.contains("\n  意见建议： 点击【提交】按钮，您访问的错误链接会直接发送给我们~~~"))
        let domain = try run(["audit", output, "domain", "AN.wikipedia.org", "--json"])
        #expect(domain.stdout == #"{"domain":"an.wikipedia.org","documents":1,"kept":1,"dropped":0,"unreadable":0,"taken_down":0,"tokens":0,"shards":[]}"# + "\n")
        let unknown = try run(["audit", output, "drops", "--stage", "lenght"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix(#"error: no stage "lenght" in this run; did you mean "length"?"#))
        let report = try String(contentsOfFile: output + "/report.html", encoding: .utf8)
        #expect(report.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>curate report: commoncrawl</title>"))
        let sections = report.components(separatedBy: "<section id=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(sections == ["funnel", "drops", "lengths", "languages", "dedup", "tokens", "representation"])
        for tag in ["section", "svg", "details", "ul", "p", "h2", "h3"] {
            #expect(report.components(separatedBy: "<\(tag)").count == report.components(separatedBy: "</\(tag)>").count, "unbalanced <\(tag)>")
        }
        #expect(report.contains("<p>17 documents read, 11 kept, 6 dropped, 0 unreadable; 2 of 2 tasks done.</p>"))
        #expect(report.contains("<li>urn:uuid:8ed3a686-65da-4101-830e-298f87a11487: 意见建议"))
        #expect(!report.contains("src=") && !report.contains("href=") && !report.contains("@import"), "no external assets")
        let summary = try run(["audit", output, "summary"])
        #expect(summary.stdout.hasPrefix("run \(output): pipeline commoncrawl, 2 input files, 2 of 2 tasks done\n"))
    }

    @Test func wikipediaDumpsBecomeArticles() throws {
        let (documents, store, output) = try runSample("wikipedia")
        defer { try? FileManager.default.removeItem(atPath: output) }
        #expect(documents == ["read": 9, "kept": 9, "dropped": 0, "unreadable": 0])
        let en = "https://en.wikipedia.org/wiki/"
        let ja = "https://ja.wikipedia.org/wiki/"
        #expect(try store.query("SELECT doc_id, url FROM documents ORDER BY input_id, offset") == [
            ["330", en + "Actrius"], ["334", en + "International_Atomic_Time"], ["340", en + "Alain_Connes"],
            ["572", en + "Agricultural_science"], ["651", en + "America_the_Beautiful"], ["683", en + "Adventure"],
            ["5", ja + "%E3%82%A2%E3%83%B3%E3%83%91%E3%82%B5%E3%83%B3%E3%83%89"],
            ["12", ja + "%E5%9C%B0%E7%90%86%E5%AD%A6"],
            ["14", ja + "EU_(%E6%9B%96%E6%98%A7%E3%81%95%E5%9B%9E%E9%81%BF)"],
        ])
    }
}

@Suite struct CrashTests {
    /// A corpus big enough to be killed in the middle of: the sample books, many times over.
    private func makeCorpus(in folder: String) throws -> String {
        let paragraphs = try String(contentsOfFile: root + "/samples/inaugural/1861-Lincoln.txt", encoding: .utf8)
            .components(separatedBy: "\n\n")
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        for file in 0..<8 {
            var lines = ""
            for i in 0..<6000 {
                let text = paragraphs[(i * 7 + file) % paragraphs.count]
                let object: [String: Any] = ["id": "f\(file)-\(i)", "text": text + " " + String(i)]
                lines += String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self) + "\n"
            }
            try lines.write(toFile: folder + "/data/part-\(file).jsonl", atomically: true, encoding: .utf8)
        }
        let pipeline = folder + "/pipeline.json"
        try """
            {"name": "crash", "inputs": [{"format": "jsonl", "paths": ["data/*.jsonl"]}],
             "stages": [{"type": "normalize"}, {"type": "length", "min_words": 30}], "output": "run"}
            """.write(toFile: pipeline, atomically: true, encoding: .utf8)
        return pipeline
    }

    @Test func killedRunsResumeToByteIdenticalOutputAndConsistentProvenance() throws {
        let folder = scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pipeline = try makeCorpus(in: folder)
        let reference = try run(["run", pipeline, "--output", folder + "/reference", "--json"])
        #expect(reference.status == 0)
        let expected = try files(in: folder + "/reference/docs")
        #expect(expected.count == 8)

        var killedMidway = 0
        for delay in [0.05, 0.3, 0.8, 1.5] {
            let process = try start(["run", pipeline, "--output", folder + "/run"])
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killedMidway += 1
            }
            process.waitUntilExit()
        }
        #expect(killedMidway >= 2)
        let resumed = try run(["run", pipeline, "--output", folder + "/run", "--json"])
        #expect(resumed.status == 0)
        #expect(try files(in: folder + "/run/docs") == expected)

        let store = try ProvenanceStore(path: folder + "/run/provenance.sqlite")
        let ref = try ProvenanceStore(path: folder + "/reference/provenance.sqlite")
        let rows = "SELECT input_id, offset, doc_id, status, reason FROM documents ORDER BY input_id, offset"
        #expect(try store.query(rows) == ref.query(rows))
        #expect(try store.query("SELECT COUNT(*) FROM documents") == [["48000"]])
        #expect(try store.query("PRAGMA integrity_check") == [["ok"]])
        #expect(try store.query("SELECT COUNT(*) FROM tasks WHERE status != 'done'") == [["0"]])
        #expect(try store.query("SELECT * FROM stage_funnel").map { Array($0.prefix(6)) } == ref.query("SELECT * FROM stage_funnel").map { Array($0.prefix(6)) })
    }
}

@Suite struct HelpTests {
    @Test func topLevelHelpListsTheSubcommands() throws {
        let result = try run(["--help"])
        #expect(result.status == 0)
        for line in ["OVERVIEW: Turn raw crawl dumps into training data for language models", "run ", "validate ", "stages ", "schema "] {
            #expect(result.stdout.contains(line))
        }
    }

    @Test func runHelpDescribesItsOptions() throws {
        let result = try run(["run", "--help"])
        #expect(result.status == 0)
        for option in ["--output", "--workers", "--restart", "--provenance", "--json", "--quiet"] {
            #expect(result.stdout.contains(option))
        }
    }

    @Test func stagesListsEveryOptionWithItsDefault() throws {
        let result = try run(["stages"])
        #expect(result.stdout.contains("    min_words (an integer >= 0, default 0): Fewest words (white-space separated) a kept document has."))
        #expect(result.stdout.contains("    text_field (a string, default \"text\"): Field holding the document text."))
    }
}

@Suite struct ApplyTests {
    @Test func printsOneVerdictPerDocumentAndWarnsAboutUnreadableLines() throws {
        let result = try run(["apply", #"{"type": "length", "min_words": 20}"#, "--input", "Tests/Fixtures/jsonl/mixed.jsonl"])
        #expect(result.status == 1)
        #expect(result.stdout == """
            {"id":"lincoln-1861-1","verdict":"keep"}
            {"id":"42","verdict":"keep"}
            {"id":"invalid-utf8","verdict":"drop","reason":"too_few_words","metrics":{"chars":40,"words":8}}
            {"id":"empty","verdict":"drop","reason":"too_few_words","metrics":{"chars":0,"words":0}}
            {"id":"lincoln-1861-3","verdict":"keep"}

            """)
        #expect(result.stderr == """
            warning: Tests/Fixtures/jsonl/mixed.jsonl:3: invalid JSON at column 46: unterminated string
            warning: Tests/Fixtures/jsonl/mixed.jsonl:5: no "text" field

            """)
    }

    @Test func showsTheRewrittenText() throws {
        let result = try run(["apply", #"{"type": "normalize"}"#, "--input", "Tests/Fixtures/jsonl/mixed.jsonl"])
        let line = result.stdout.split(separator: "\n").first { $0.contains("invalid-utf8") }
        #expect(line == #"{"id":"invalid-utf8","verdict":"rewrite","metrics":{"invalid_utf8":2,"control_chars":1},"text":"Café �� bytes, a bell and spaces\nend"}"#)
    }

    @Test func rejectsAnUnknownStageWithItsPath() throws {
        let result = try run(["apply", #"{"type": "lenth"}"#, "--input", "Tests/Fixtures/jsonl/mixed.jsonl"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix(#"(stage): stage.type: unknown stage type "lenth"; did you mean "length"?"#))
    }
}
