import CurateCore
import CurateIO
import CurateProvenance
import CurateRunner
import Foundation
import Testing

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// A scratch folder holding a pipeline file that points at the repository's fixtures.
private struct Scratch {
    let folder = NSTemporaryDirectory() + "curate-run-\(UUID().uuidString)"

    func pipeline(_ name: String = "pipeline.json", inputs: String, stages: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        try """
            {"name": "test", "inputs": \(inputs), "stages": \(stages), "output": "run"}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func parts(_ run: String = "run") throws -> [String: Data] {
        let docs = folder + "/" + run + "/docs"
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: docs) {
            out[name] = try Data(contentsOf: URL(fileURLWithPath: docs + "/" + name))
        }
        return out
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }
}

private func decompressed(_ path: String) throws -> String {
    let stream = try openDecompressed(path)
    var bytes: [UInt8] = []
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
    defer { buffer.deallocate() }
    while case let n = try stream.read(into: buffer), n > 0 { bytes += buffer[..<n] }
    return String(decoding: bytes, as: UTF8.self)
}

@Suite struct RunnerTests {
    let fixtures = root + "/Tests/Fixtures"

    @Test func runsEveryDocumentAndRecordsItsFate() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let path = try scratch.pipeline(
            inputs: #"[{"format": "jsonl", "paths": ["\#(fixtures)/jsonl/mixed.jsonl", "\#(fixtures)/jsonl/empty.jsonl"]}, {"format": "text", "paths": ["\#(fixtures)/text"]}]"#,
            stages: #"[{"type": "normalize"}, {"type": "length", "min_words": 3}]"#)
        var options = RunOptions(pipelinePath: path)
        options.workers = 2
        let report = try Runner.run(options)
        let s = report.summary
        #expect((s.docsIn, s.docsKept, s.errors) == (10, 5, 2))
        #expect(s.stages.map { [$0.docsIn, $0.docsOut, $0.rewritten] } == [[8, 8, 3], [8, 5, 0]])
        #expect(s.stages[1].drops == [RunSummary.Drop(reason: "too_few_words", documents: 3)])
        #expect(s.readerErrors == [RunSummary.Drop(reason: "invalid_record", documents: 2)])

        let store = try ProvenanceStore(path: scratch.folder + "/run/provenance.sqlite")
        #expect(try store.query("SELECT status, COUNT(*) FROM documents GROUP BY status ORDER BY status")
            == [["dropped", "3"], ["error", "2"], ["kept", "5"]])
        #expect(try store.query("SELECT line, detail FROM documents WHERE status = 'error' ORDER BY line")
            == [["3", "invalid JSON at column 46: unterminated string"], ["5", "no \"text\" field"]])
        let text = PathExpansion.display(fixtures + "/text", relativeTo: scratch.folder)
        #expect(try store.query("SELECT doc_id, reason FROM documents WHERE status = 'dropped' ORDER BY input_id, offset")
            == [["empty", "too_few_words"], [text + "/empty.txt", "too_few_words"], [text + "/whitespace.txt", "too_few_words"]])

        #expect(try decompressed(scratch.folder + "/run/docs/part-00001.jsonl.zst").isEmpty)
        let lines = try decompressed(scratch.folder + "/run/docs/part-00000.jsonl.zst").split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[2] == #"{"id":"invalid-utf8","text":"Café �� bytes, a bell and spaces\nend","source":{"input":"\#(PathExpansion.display(fixtures + "/jsonl/mixed.jsonl", relativeTo: scratch.folder))","offset":909,"line":6},"metadata":{}}"#)
    }

    @Test func outputIsTheSameWithOneWorkerOrTwo() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let path = try scratch.pipeline(
            inputs: #"[{"format": "jsonl", "paths": ["\#(root)/samples/*.jsonl*"]}, {"format": "text", "paths": ["\#(root)/samples/inaugural"]}]"#,
            stages: #"[{"type": "normalize"}, {"type": "length", "min_words": 20}]"#)
        var options = RunOptions(pipelinePath: path)
        options.workers = 1
        options.output = scratch.folder + "/one"
        let one = try Runner.run(options)
        options.workers = 2
        options.output = scratch.folder + "/two"
        let two = try Runner.run(options)
        #expect(one.summary.stages.map { [$0.docsIn, $0.docsOut, $0.rewritten] } == two.summary.stages.map { [$0.docsIn, $0.docsOut, $0.rewritten] })
        #expect((one.summary.docsIn, one.summary.docsKept) == (two.summary.docsIn, two.summary.docsKept))
        #expect(try scratch.parts("one") == scratch.parts("two"))
        #expect(try scratch.parts("one").count == 3)
    }

    @Test func aSecondRunResumesAndADifferentPipelineIsRefused() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let inputs = #"[{"format": "text", "paths": ["\#(root)/samples/inaugural"]}]"#
        let path = try scratch.pipeline(inputs: inputs, stages: #"[{"type": "length", "min_words": 1000}]"#)
        let first = try Runner.run(RunOptions(pipelinePath: path))
        let again = try Runner.run(RunOptions(pipelinePath: path))
        #expect(first.tasksRun == 1)
        #expect(again.tasksRun == 0)
        #expect(again.summary.docsKept == first.summary.docsKept)
        #expect(first.summary.docsKept == 7)

        let other = try scratch.pipeline("other.json", inputs: inputs, stages: #"[{"type": "length", "min_words": 2000}]"#)
        let firstSHA = SHA256.hex(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect {
            try Runner.run(RunOptions(pipelinePath: other))
        } throws: { error in
            guard case let .unusable(message)? = error as? RunError else { return false }
            return message.hasSuffix("holds a run of a different pipeline (sha256 \(firstSHA.prefix(12))); choose another output folder, or pass --restart to discard that run")
        }
        var restart = RunOptions(pipelinePath: other)
        restart.restart = true
        #expect(try Runner.run(restart).summary.docsKept == 3)
    }
}

@Suite struct OutputPolicyTests {
    private func pipeline(output: String) throws -> (folder: String, path: String) {
        let folder = NSTemporaryDirectory() + "curate-policy-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/pipelines", withIntermediateDirectories: true)
        let path = folder + "/pipelines/p.json"
        try """
            {"name": "p", "inputs": [{"format": "text", "paths": ["\(root)/samples/inaugural/1789-Washington.txt"]}],
             "stages": [], "output": "\(output)"}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return (folder, path)
    }

    @Test(arguments: ["../escaped", "link/run"])
    func refusesAnOutputThatLeavesThePipelineFolderThroughDotDotOrALink(output: String) throws {
        let (folder, path) = try pipeline(output: output)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/elsewhere", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/pipelines/link", withDestinationPath: folder + "/elsewhere")
        #expect(throws: RunError.self) { try Runner.run(RunOptions(pipelinePath: path)) }
        do {
            _ = try Runner.run(RunOptions(pipelinePath: path))
        } catch {
            #expect(error.description.contains("output: the run folder \(folder)/"))
            #expect(error.description.contains("is outside both the pipeline's folder and the current directory"))
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/escaped"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/elsewhere/run"))
        var allowed = RunOptions(pipelinePath: path)
        allowed.allowOutputAnywhere = true
        #expect(try Runner.run(allowed).summary.docsKept == 1)
    }

    @Test func acceptsAnOutputInsideThePipelineFolder() throws {
        let (folder, path) = try pipeline(output: "run")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try Runner.run(RunOptions(pipelinePath: path)).summary.docsKept == 1)
    }
}

@Suite struct HostileInputTests {
    let hostile = root + "/Tests/Fixtures/hostile"

    @Test func decompressionBombsAreRecordedAsErrorsAndEverythingElseIsRead() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let path = try scratch.pipeline(
            inputs: #"[{"format": "jsonl", "paths": ["\#(hostile)/bomb.jsonl.gz", "\#(hostile)/bomb.jsonl.bz2", "\#(hostile)/whitespace-and-nul.jsonl"]}, {"format": "text", "paths": ["\#(hostile)/bomb.txt.zst"]}]"#,
            stages: #"[{"type": "normalize"}, {"type": "length", "min_chars": 1}]"#)
        let report = try Runner.run(RunOptions(pipelinePath: path))
        #expect((report.summary.docsIn, report.summary.docsKept, report.summary.errors) == (9, 5, 3))
        let store = try ProvenanceStore(path: scratch.folder + "/run/provenance.sqlite")
        let errors = try store.query("""
            SELECT i.path, d.offset, d.reason, d.detail FROM documents d JOIN inputs i ON i.id = d.input_id
            WHERE d.status = 'error' ORDER BY i.path
            """).map { [String($0[0]!.split(separator: "/").last!)] + $0.dropFirst() }
        let limit = 64 << 20
        #expect(errors == [
            ["bomb.jsonl.bz2", "84", "corrupt_input", "line 2 is 104857626 bytes, more than the \(limit) a document may have (max_document_bytes); skipped"],
            ["bomb.jsonl.gz", "84", "corrupt_input", "line 2 is 104857626 bytes, more than the \(limit) a document may have (max_document_bytes); skipped"],
            ["bomb.txt.zst", "0", "corrupt_input", "the file holds more than the \(limit) bytes a document may have (max_document_bytes); skipped"],
        ])
        #expect(try store.query("SELECT doc_id, status, reason FROM documents WHERE status != 'error' ORDER BY doc_id") == [
            ["after", "kept", nil], ["after", "kept", nil], ["before", "kept", nil], ["before", "kept", nil],
            ["nul", "kept", nil], ["ws", "dropped", "too_few_chars"],
        ])
    }

    @Test func entitiesAreNeitherExpandedNorFetched() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let path = try scratch.pipeline(inputs: #"[{"format": "mediawiki", "paths": ["\#(hostile)/entities.xml"]}]"#, stages: "[]")
        let report = try Runner.run(RunOptions(pipelinePath: path))
        #expect((report.summary.docsIn, report.summary.docsKept) == (2, 2))
        let parts = try scratch.parts()
        let text = try decompressed(scratch.folder + "/run/docs/" + parts.keys.sorted()[0])
        #expect(text.contains(#""id":"1","text":"and and""#))
        #expect(!text.contains("root:") && !text.contains("lollol"))
    }
}
