import CurateProvenance
import Foundation
import Testing

/// A full disk, as a file-size limit (RLIMIT_FSIZE through `prlimit`, with SIGXFSZ ignored so
/// that write() fails with EFBIG instead of killing the process): the run stops with a clear
/// error, nothing partial is left under a final name or marked done, and the same run without
/// the limit then completes with the output of a run that never failed.
@Suite struct DiskFullTests {
    /// JSONL files of pseudo-random words, `documents` documents of `words` words in each.
    static func writeDocuments(in space: Workspace, files: [(name: String, documents: Int, words: Int)]) throws {
        var random = SeededRandom(state: 7)
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let vocabulary = (0..<5000).map { _ in String((0..<Int.random(in: 2...9, using: &random)).map { _ in letters.randomElement(using: &random)! }) }
        for file in files {
            var lines = ""
            for i in 0..<file.documents {
                let text = (0..<file.words).map { _ in vocabulary.randomElement(using: &random)! }.joined(separator: " ")
                lines += #"{"id": "\#(file.name)-\#(i)", "text": "\#(text)"}"# + "\n"
            }
            try space.write("data/\(file.name).jsonl", lines)
        }
    }

    /// `curate ARGUMENTS` in `space` with files limited to `bytes`.
    static func curateLimited(_ space: Workspace, bytes: Int, _ arguments: [String]) throws -> CommandResult {
        try runCommand("/bin/sh", ["-c", #"trap "" XFSZ; exec prlimit --fsize=\#(bytes) "$0" "$@""#, curate] + arguments, in: space.folder)
    }

    /// The files under the run's `docs/`, `work/phase-0/` and `shards/` folders, by relative path.
    static func outputs(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for sub in ["docs", "work/phase-0", "shards"] where FileManager.default.fileExists(atPath: folder + "/" + sub) {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder + "/" + sub) {
                files[sub + "/" + name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + sub + "/" + name))
            }
        }
        return files
    }

    /// The limits and corpora: provenance cannot be created (the run refuses to start, status
    /// 2); a part cannot be written while the reader is still many batches ahead (the task
    /// fails); the shard cannot be written (the tokenize barrier fails). Parts are ~120 KB for
    /// the tokenize pipeline, its shard ~640 KB and provenance ~200 KB; the large file's part
    /// in the other is ~1.4 MB.
    @Test(arguments: [
        (60_000, "tokenize", 2, "provenance database: disk I/O error"),
        (300_000, "normalize", 1, "run/docs/.part-00001.jsonl.zst.tmp: write failed: File too large"),
        (400_000, "tokenize", 1, "run/shards/.shard-00000.tok.zst.tmp: write failed: File too large"),
    ])
    func aFailedWriteLeavesNothingMarkedCompleteAndTheRunResumes(limit: Int, pipeline: String, status: Int32, error: String) throws {
        let space = try Workspace()
        defer { space.remove() }
        let stages: String
        let documents: Int
        if pipeline == "tokenize" {
            try Self.writeDocuments(in: space, files: [("a", 600, 150), ("b", 600, 150)])
            stages = #"[{"type": "normalize"}, {"type": "tokenize", "tokenizer": "\#(root)/Tests/Fixtures/tokenizer/gpt2.tiktoken", "pattern": "gpt2"}]"#
            documents = 1200
        } else {
            try Self.writeDocuments(in: space, files: [("a", 50, 150), ("b", 3000, 150), ("c", 50, 150)])
            stages = #"[{"type": "normalize"}, {"type": "length", "min_words": 5}]"#
            documents = 3100
        }
        try space.pipeline(inputs: #"[{"format": "jsonl", "paths": ["data/*.jsonl"]}]"#, stages: stages)
        #expect(try space.curate(["run", "pipeline.json", "--output", "reference", "--no-report"]).status == 0)
        let expected = try Self.outputs(space.path("reference"))

        let failed = try Self.curateLimited(space, bytes: limit, ["run", "pipeline.json", "--no-report"])
        #expect(failed.status == status)
        #expect(failed.stderr == "error: \(error.hasPrefix("run/") ? space.path(error) : error)\n")
        // Whatever exists under a final name is complete and is what a full run writes; no
        // task is done whose output is not there.
        for (name, bytes) in try Self.outputs(space.path("run")) where !name.hasSuffix(".tmp") {
            #expect(bytes == expected[name], "\(name) is partial")
        }
        if let store = try? space.store() {
            for row in try store.query("SELECT output FROM tasks WHERE status = 'done' AND output IS NOT NULL") {
                #expect(FileManager.default.fileExists(atPath: space.path("run/" + row[0]!)), "task output \(row[0]!) missing")
            }
            #expect(try store.query("SELECT COUNT(*) FROM runs WHERE status = 'completed'") == [["0"]])
        }
        #expect(!FileManager.default.fileExists(atPath: space.path("run/shards/manifest.json")))

        let resumed = try space.curate(["run", "pipeline.json", "--no-report"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Self.outputs(space.path("run")) == expected)
        let store = try space.store()
        #expect(try store.query("SELECT COUNT(*) FROM documents") == [[String(documents)]])
        #expect(try store.query("PRAGMA integrity_check") == [["ok"]])
    }
}
