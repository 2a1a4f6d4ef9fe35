import Foundation
import Testing

/// `curate langid` run as a process from the repository's root.
@Suite struct LangIDCommandTests {
    /// One line per fixture line, in order, with the labels and probabilities recorded from
    /// fastText's Python binding (k=3).
    @Test func printsTheTopLabelsOfEachDocument() throws {
        let result = try run(["langid", "--model", "resources/models/lid.176.ftz", "--input", "Tests/Fixtures/langid/lines.jsonl", "-k", "3"])
        #expect(result.status == 0 && result.stderr.isEmpty)
        let expected = try String(contentsOfFile: root + "/Tests/Fixtures/langid/expected.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            .filter { $0["model"] as! String == "lid.176.ftz" && $0["k"] as! Int == 3 }
        let printed = try result.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(printed.count == 251 && printed.count == expected.count)
        for (got, want) in zip(printed, expected) {
            #expect(got["id"] as! String == want["id"] as! String)
            #expect(got["labels"] as! [String] == want["labels"] as! [String])
            let probabilities = zip(got["probs"] as! [Double], want["probs"] as! [Double])
            #expect(probabilities.allSatisfy { abs($0 - $1) <= 1e-4 }, "\(want["id"]!)")
        }
        #expect(result.stdout.hasPrefix(#"{"id":"udhr/arb/1","labels":["__label__ar","__label__arz","__label__ur"],"probs":[0.9893365502357483,0.003888394683599472,0.002825324423611164]}"#))
    }

    @Test func reportsAnUnreadableModelOrBadLines() throws {
        let missing = try run(["langid", "--model", "missing.ftz", "--input", "Tests/Fixtures/langid/lines.jsonl"])
        #expect(missing.status == 2 && missing.stderr == "error: --model missing.ftz: no such file\n" && missing.stdout.isEmpty)
        let broken = try run(["langid", "--model", "Tests/Fixtures/langid/lines.jsonl", "--input", "Tests/Fixtures/langid/lines.jsonl"])
        #expect(broken.status == 2)
        #expect(broken.stderr == "error: --model Tests/Fixtures/langid/lines.jsonl: not a fastText model: magic number 1684611707, expected 793712314\n")
        let mixed = try run(["langid", "--model", "resources/models/lid.176.ftz", "--input", "Tests/Fixtures/jsonl/mixed.jsonl"])
        #expect(mixed.status == 1 && mixed.stderr.contains("error: Tests/Fixtures/jsonl/mixed.jsonl:"))
        #expect(!mixed.stdout.isEmpty)
    }
}
