import CurateCore
import CurateFilters
import Foundation
import Testing

/// The texts under Tests/Fixtures/quality and the decisions datatrove 0.10.1 made on them
/// (recorded with bench/filters_fixtures.py; see the folder's SOURCES.md).
enum QualityFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/quality").path

    static func text(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
    }

    static func document(_ name: String) throws -> Document {
        Document(id: name, text: try text(name + ".txt"), source: SourceRef(input: name, offset: 0))
    }

    static func document(text: String) -> Document {
        Document(id: "d", text: Array(text.utf8), source: SourceRef(input: "t", offset: 0))
    }

    /// One recorded decision: nil for keep, "rewrite" for a kept and changed text, else the
    /// drop reason, with the measures behind a drop.
    struct Expectation: Sendable, CustomTestStringConvertible {
        let fixture: String
        let stage: String
        let outcome: String?
        let metrics: [(String, Double)]

        var testDescription: String { "\(fixture) \(stage)" }
    }

    /// The decisions recorded for `stage`.
    static func expectations(_ stage: String) -> [Expectation] {
        recorded.filter { $0.1 == stage }.map { Expectation(fixture: $0.0, stage: $0.1, outcome: $0.2, metrics: $0.3) }
    }

    /// Runs `stage` with its defaults on the fixture and says how the outcome differs from the
    /// recorded one (nil when it matches).
    static func mismatch(_ e: Expectation, checkMetrics: Bool = true) throws -> String? {
        let definitions = [GopherQualityFilter.definition, GopherRepetitionFilter.definition, C4QualityFilter.definition,
                           C4ParagraphFilter.definition, FineWebQualityFilter.definition]
        guard let definition = definitions.first(where: { $0.type == e.stage }) else { return "no stage \(e.stage)" }
        let options = Options.defaults(definition.parameters)
        guard let stage = try definition.make(options).streaming else { return "not streaming" }
        var doc = try document(e.fixture)
        let verdict = stage.process(&doc)
        switch (verdict, e.outcome) {
        case (.keep, nil), (.rewritten, "rewrite"?):
            return nil
        case let (.drop(reason, metrics, _), expected?) where reason == expected:
            guard checkMetrics else { return nil }
            let got = metrics.map { ($0.name, $0.value) }
            for (name, value) in e.metrics where !got.contains(where: { $0.0 == name && $0.1 == value }) {
                return "metric \(name): expected \(value), got \(got)"
            }
            return nil
        default:
            return "expected \(e.outcome ?? "keep"), got \(verdict)"
        }
    }

    private static let recorded: [(String, String, String?, [(String, Double)])] = [
        ("gutenberg-austen", "gopher_quality", nil, []),
        ("gutenberg-austen", "gopher_repetition", nil, []),
        ("gutenberg-austen", "c4_quality", "c4_quality:too_few_sentences", []),
        ("gutenberg-austen", "c4_paragraph", "c4_paragraph:too_few_paragraphs", [("lines", 97.0), ("long_lines", 0.0)]),
        ("gutenberg-austen", "fineweb_quality", "fineweb_quality:line_punct_ratio", [("line_punct_ratio", 0.0684931506849315)]),
        ("gutenberg-crlf", "gopher_quality", nil, []),
        ("gutenberg-crlf", "gopher_repetition", nil, []),
        ("gutenberg-crlf", "c4_quality", "rewrite", []),
        ("gutenberg-crlf", "c4_paragraph", "c4_paragraph:too_few_paragraphs", [("lines", 61.0), ("long_lines", 0.0)]),
        ("gutenberg-crlf", "fineweb_quality", "fineweb_quality:line_punct_ratio", [("line_punct_ratio", 0.02040816326530612)]),
        ("warc-affidavit", "gopher_quality", "gopher_quality:short_doc", [("words", 24.0)]),
        ("warc-affidavit", "gopher_repetition", "gopher_repetition:top_4_gram", [("top_4_gram_frac", 0.16901408450704225)]),
        ("warc-affidavit", "c4_quality", "c4_quality:too_few_sentences", []),
        ("warc-affidavit", "c4_paragraph", "c4_paragraph:too_few_paragraphs", [("lines", 1.0), ("long_lines", 0.0)]),
        ("warc-affidavit", "fineweb_quality", nil, []),
        ("warc-agrar", "gopher_quality", "gopher_quality:below_alpha_threshold", [("alpha_words_ratio", 0.7419354838709677)]),
        ("warc-agrar", "gopher_repetition", nil, []),
        ("warc-agrar", "c4_quality", "c4_quality:too_few_sentences", []),
        ("warc-agrar", "c4_paragraph", "c4_paragraph:too_few_paragraphs", [("lines", 25.0), ("long_lines", 0.0)]),
        ("warc-agrar", "fineweb_quality", "fineweb_quality:line_punct_ratio", [("line_punct_ratio", 0.0)]),
        ("warc-football", "gopher_quality", "gopher_quality:too_many_end_ellipsis", [("ellipsis_lines_ratio", 0.3333333333333333)]),
        ("warc-football", "gopher_repetition", nil, []),
        ("warc-football", "c4_quality", "c4_quality:too_few_sentences", []),
        ("warc-football", "c4_paragraph", "c4_paragraph:too_few_paragraphs", [("lines", 3.0), ("long_lines", 2.0)]),
        ("warc-football", "fineweb_quality", nil, []),
        ("warc-ghosthunters", "gopher_quality", "gopher_quality:enough_stop_words", [("stop_words", 0.0)]),
        ("warc-ghosthunters", "gopher_repetition", nil, []),
        ("warc-ghosthunters", "c4_quality", "rewrite", []),
        ("warc-ghosthunters", "c4_paragraph", "c4_paragraph:too_few_paragraphs", [("lines", 10.0), ("long_lines", 1.0)]),
        ("warc-ghosthunters", "fineweb_quality", "fineweb_quality:short_line_ratio", [("short_line_ratio", 0.7142857142857143)]),
        ("warc-kaffee", "gopher_quality", "gopher_quality:enough_stop_words", [("stop_words", 0.0)]),
        ("warc-kaffee", "gopher_repetition", nil, []),
        ("warc-kaffee", "c4_quality", "c4_quality:too_few_sentences", []),
        ("warc-kaffee", "c4_paragraph", "c4_paragraph:too_few_paragraphs", [("lines", 14.0), ("long_lines", 0.0)]),
        ("warc-kaffee", "fineweb_quality", nil, []),
        ("warc-patent-ja", "gopher_quality", "gopher_quality:short_doc", [("words", 23.0)]),
        ("warc-patent-ja", "gopher_repetition", nil, []),
        ("warc-patent-ja", "c4_quality", "c4_quality:too_few_sentences", []),
        ("warc-patent-ja", "c4_paragraph", "c4_paragraph:too_few_paragraphs", [("lines", 31.0), ("long_lines", 0.0)]),
        ("warc-patent-ja", "fineweb_quality", "fineweb_quality:list_ratio", [("list_ratio", 0.7142857142857143)]),
        ("warc-repeated-lines", "gopher_quality", nil, []),
        ("warc-repeated-lines", "gopher_repetition", nil, []),
        ("warc-repeated-lines", "c4_quality", "rewrite", []),
        ("warc-repeated-lines", "c4_paragraph", "c4_paragraph:too_few_paragraphs", [("lines", 80.0), ("long_lines", 2.0)]),
        ("warc-repeated-lines", "fineweb_quality", "fineweb_quality:char_dup_ratio", [("char_dup_ratio", 0.04691516709511568)]),
        ("warc-repeated-ngrams", "gopher_quality", nil, []),
        ("warc-repeated-ngrams", "gopher_repetition", "gopher_repetition:duplicated_5_n_grams", [("dup_5_gram_frac", 0.17522388059701494)]),
        ("warc-repeated-ngrams", "c4_quality", "rewrite", []),
        ("warc-repeated-ngrams", "c4_paragraph", nil, []),
        ("warc-repeated-ngrams", "fineweb_quality", nil, []),
        ("wiki-article", "gopher_quality", nil, []),
        ("wiki-article", "gopher_repetition", nil, []),
        ("wiki-article", "c4_quality", "rewrite", []),
        ("wiki-article", "c4_paragraph", nil, []),
        ("wiki-article", "fineweb_quality", nil, []),
    ]
}
