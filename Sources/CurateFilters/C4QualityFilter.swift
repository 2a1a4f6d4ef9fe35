import CurateCore

/// C4's line and page rules (Raffel et al. 2020, as datatrove's `C4QualityFilter`). Each
/// line (or each sentence, with `split_paragraph` off) is stripped and removed when it has a
/// word longer than `max_word_length`, does not end in terminal punctuation (`.`, `?`, `!`,
/// `"`, `'`, but not `...`), has fewer than `min_words_per_line` words, mentions
/// "javascript", or mentions a cookie or terms-of-use phrase; Wikipedia citation marks
/// (`[1]`, `[edit]`, `[citation needed]`) are removed first. The page is dropped when a
/// kept line contains "lorem ipsum" or `{`, or when fewer than `min_num_sentences` sentences
/// remain; otherwise its text becomes the kept lines (a rewrite when that changes it).
///
/// Drop reasons: `c4_quality:lorem_ipsum`, `c4_quality:curly_bracket` (with the 1-based
/// line or sentence that has it), `c4_quality:too_few_sentences` (datatrove's reasons).
public struct C4QualityFilter: Stage {
    public var splitParagraph = true
    public var removeCitations = true
    public var filterNoTerminalPunct = true
    public var minNumSentences = 5
    public var minWordsPerLine = 3
    public var maxWordLength = 1000
    public var filterLoremIpsum = true
    public var filterJavascript = true
    public var filterCurlyBracket = true
    public var filterPolicy = true

    private let tokenizer = EnglishWordTokenizer()

    public init() {}

    public static let definition = StageDefinition(
        type: "c4_quality",
        summary: "Keep only C4-quality lines (terminal punctuation, 3+ words, no javascript or cookie notices); drop pages with lorem ipsum, `{` or under 5 sentences.",
        parameters: [
            Parameter("split_paragraph", .boolean, default: .bool(true), "Apply the line rules to lines; false: to sentences (joined back with spaces)."),
            Parameter("remove_citations", .boolean, default: .bool(true), "Remove `[1]`, `[edit]` and `[citation needed]` marks."),
            Parameter("filter_no_terminal_punct", .boolean, default: .bool(true), "Remove lines that do not end in terminal punctuation (FineWeb turns this off)."),
            Parameter("min_num_sentences", .integer(min: -1), default: .integer(5), "Fewest sentences left for the page to be kept; -1: no check."),
            Parameter("min_words_per_line", .integer(min: -1), default: .integer(3), "Fewest words a kept line has; -1: no check."),
            Parameter("max_word_length", .integer(min: -1), default: .integer(1000), "Remove lines with a longer word (in characters); -1: no check."),
            Parameter("filter_lorem_ipsum", .boolean, default: .bool(true), "Drop pages with a kept line containing \"lorem ipsum\"."),
            Parameter("filter_javascript", .boolean, default: .bool(true), "Remove lines mentioning \"javascript\"."),
            Parameter("filter_curly_bracket", .boolean, default: .bool(true), "Drop pages with a kept line containing `{`."),
            Parameter("filter_policy", .boolean, default: .bool(true), "Remove lines mentioning terms of use, privacy or cookie policies."),
        ]
    ) { options throws(OptionError) in
        var f = C4QualityFilter()
        f.splitParagraph = options.bool("split_paragraph") ?? true
        f.removeCitations = options.bool("remove_citations") ?? true
        f.filterNoTerminalPunct = options.bool("filter_no_terminal_punct") ?? true
        f.minNumSentences = options.int("min_num_sentences") ?? 5
        f.minWordsPerLine = options.int("min_words_per_line") ?? 3
        f.maxWordLength = options.int("max_word_length") ?? 1000
        f.filterLoremIpsum = options.bool("filter_lorem_ipsum") ?? true
        f.filterJavascript = options.bool("filter_javascript") ?? true
        f.filterCurlyBracket = options.bool("filter_curly_bracket") ?? true
        f.filterPolicy = options.bool("filter_policy") ?? true
        return f
    }

    public func process(_ document: inout Document) -> Verdict {
        let text = ScalarText(document.text)
        let units = splitParagraph ? text.splitLines() : tokenizer.sentenceRanges(text)
        var sentences = 0
        var kept: [[UInt32]] = []
        var scratch: [Range<Int>] = []
        var line: [UInt32] = []
        for (index, unit) in units.enumerated() {
            let stripped = text.strip(unit)
            let (words, longest) = text.whitespaceWords(stripped)
            if maxWordLength != -1, longest > maxWordLength { continue }
            line.removeAll(keepingCapacity: true)
            if removeCitations {
                Self.removingCitations(text.scalars[stripped], into: &line)
            } else {
                line.append(contentsOf: text.scalars[stripped])
            }
            let body = ScalarText(scalars: line)
            let all = 0..<line.count
            if filterNoTerminalPunct {
                let last = line.last ?? 0
                let terminal = last == 0x2E || last == 0x3F || last == 0x21 || last == 0x22 || last == 0x27
                if !terminal || body.hasSuffix("...", in: all) { continue }
            }
            if words < minWordsPerLine { continue }
            if filterLoremIpsum, body.containsCaseInsensitive("lorem ipsum", in: all) {
                return .drop(reason: "c4_quality:lorem_ipsum", metrics: [Metric("line", Double(index + 1))])
            }
            if filterJavascript, body.containsCaseInsensitive("javascript", in: all) { continue }
            if filterCurlyBracket, line.contains(0x7B) {
                return .drop(reason: "c4_quality:curly_bracket", metrics: [Metric("line", Double(index + 1))])
            }
            if filterPolicy, Self.policyPhrases.contains(where: { body.containsCaseInsensitive($0, in: all) }) { continue }
            if minNumSentences != -1 {
                sentences += splitParagraph ? tokenizer.sentenceCount(body, all, scratch: &scratch) : 1
            }
            kept.append(line)
        }
        let metrics = [Metric("lines", Double(units.count)), Metric("kept_lines", Double(kept.count)), Metric("sentences", Double(sentences))]
        if sentences < minNumSentences {
            return .drop(reason: "c4_quality:too_few_sentences", metrics: metrics)
        }
        var joined: [UInt32] = []
        for (k, l) in kept.enumerated() {
            if k > 0 { joined.append(splitParagraph ? 0x0A : 0x20) }
            joined.append(contentsOf: l)
        }
        let result = ScalarText(scalars: joined)
        let final = result.strip(0..<joined.count)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(document.text.count)
        result.utf8(final, into: &bytes)
        if bytes == document.text { return .keep }
        document.text = bytes
        return .rewritten(metrics)
    }

    private static let policyPhrases: [StaticString] = [
        "terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies",
    ]

    /// Appends `line` without `[digits]`, `[]`, `[edit]` and `[citation needed]`.
    static func removingCitations(_ line: ArraySlice<UInt32>, into out: inout [UInt32]) {
        var i = line.startIndex
        let end = line.endIndex
        while i < end {
            if line[i] == 0x5B {
                var j = i + 1
                while j < end, line[j] >= 0x30, line[j] <= 0x39 { j += 1 }
                if j < end, line[j] == 0x5D { i = j + 1; continue }
                if let skip = Self.matchWord(line, i + 1, "edit]") ?? Self.matchWord(line, i + 1, "citation needed]") {
                    i = skip
                    continue
                }
            }
            out.append(line[i])
            i += 1
        }
    }

    private static func matchWord(_ line: ArraySlice<UInt32>, _ at: Int, _ word: StaticString) -> Int? {
        let n = word.utf8CodeUnitCount, p = word.utf8Start
        guard line.endIndex - at >= n else { return nil }
        for k in 0..<n where line[at + k] != UInt32(p[k]) { return nil }
        return at + n
    }
}
