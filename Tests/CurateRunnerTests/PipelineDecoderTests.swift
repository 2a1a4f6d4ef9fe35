import CurateCore
import CurateRunner
import Foundation
import Testing

private func problems(_ json: String) -> [String] {
    do {
        _ = try PipelineDecoder(registry: .standard).decode(Array(json.utf8), file: "p.json")
        return []
    } catch {
        return error.problems.map(\.description)
    }
}

@Suite struct PipelineDecoderTests {
    @Test func acceptsAValidPipelineAndFillsDefaults() throws {
        let pipeline = try PipelineDecoder(registry: .standard).decode(Array("""
            {"name": "p", "inputs": [{"format": "jsonl", "paths": ["x.jsonl"], "text_field": "body"}],
             "stages": [{"type": "length", "min_words": 3}, {"type": "length", "name": "long", "max_chars": 9}, {"type": "length"}],
             "workers": 3}
            """.utf8), file: "p.json")
        #expect(pipeline.steps.map(\.name) == ["length", "long", "length_2"])
        #expect(pipeline.steps[0].options.values == JSONObject([("min_chars", .integer(0)), ("min_words", .integer(3))]))
        #expect(pipeline.inputs[0].options.string("text_field") == "body")
        #expect(pipeline.workers == 3)
        #expect(pipeline.output == nil)
    }

    @Test func reportsEveryProblemWithItsPath() {
        #expect(problems(#"{"inputs": [], "stages": {}, "workers": 1.5}"#) == [
            "(top level): missing required key \"name\"",
            "inputs: expected a non-empty array, got []",
            "stages: expected an array, got {}",
            "workers: expected an integer >= 1, got 1.5",
        ])
        #expect(problems(#"{"name": "p", "inputs": [{"format": "jsnl", "paths": ["a"]}, {"paths": []}], "stages": [7, {"min_chars": 1}]}"#) == [
            "inputs[0].format: unknown input format \"jsnl\"; did you mean \"jsonl\"? (valid: html, jsonl, mediawiki, text, warc)",
            "inputs[1]: missing required key \"format\" (one of: html, jsonl, mediawiki, text, warc)",
            "stages[0]: expected an object with a \"type\", got 7",
            "stages[1]: missing required key \"type\" (one of: audit_terms, badwords, bpe_train, c4_paragraph, c4_quality, exact_dedup, fineweb_quality, gopher_quality, gopher_repetition, html_extract, language, length, minhash_dedup, normalize, pii, tokenize, url_filter)",
        ])
        #expect(problems(#"{"name": "p", "inputs": [{"format": "text", "paths": [""]}], "stages": [{"type": "normalize", "trim": "yes", "max_blank_lines": -1}]}"#) == [
            "inputs[0].paths: expected a non-empty array of non-empty strings (paths or globs)",
            "stages[0].trim: expected true or false, got \"yes\"",
            "stages[0].max_blank_lines: expected an integer >= 0, got -1",
        ])
    }

    @Test func reportsSyntaxErrorsByLineAndColumn() {
        #expect(problems("{\n  \"name\": \"p\",\n  \"inputs\": [}\n}") == ["line 3, column 14: invalid JSON: unexpected '}', expected a value"])
    }

    @Test func theCommittedSchemaIsTheGeneratedOne() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let committed = try String(contentsOf: root.appendingPathComponent("schemas/pipeline.schema.json"), encoding: .utf8)
        #expect(committed == JSONWriter.serialize(PipelineSchema.make(.standard), pretty: true) + "\n")
    }
}
