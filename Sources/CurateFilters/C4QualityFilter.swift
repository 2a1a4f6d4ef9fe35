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
        var sentences = 0, keptLines = 0
        // The kept lines, joined as the page's new text.
        var joined: [UInt32] = []
        joined.reserveCapacity(text.count)
        var scratch: [Range<Int>] = []
        var line: [UInt32] = []
        for (index, unit) in units.enumerated() {
            let stripped = text.strip(unit)
            // The rules that only remove the line are tried cheapest first; their order does
            // not change which lines go. Removing citations only takes text that ends in `]`,
            // so a line ending in anything else keeps its last character.
            if filterNoTerminalPunct {
                let last = stripped.isEmpty ? 0 : text.scalars[stripped.upperBound - 1]
                let terminal = last == 0x2E || last == 0x3F || last == 0x21 || last == 0x22 || last == 0x27
                if !terminal, !(removeCitations && last == 0x5D) { continue }
            }
            // No word is longer than the line; fewer than `minWordsPerLine` words need not be
            // counted past that.
            if maxWordLength != -1, stripped.count > maxWordLength {
                let (words, longest) = text.whitespaceWords(stripped)
                if longest > maxWordLength || words < minWordsPerLine { continue }
            } else if minWordsPerLine > 0, text.wordCount(stripped, upTo: minWordsPerLine) < minWordsPerLine {
                continue
            }
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
            if filterLoremIpsum || filterJavascript || filterCurlyBracket || filterPolicy {
                let found = line.withUnsafeBufferPointer(LineMarks.init)
                if filterLoremIpsum, found.loremIpsum {
                    return .drop(reason: "c4_quality:lorem_ipsum", metrics: [Metric("line", Double(index + 1))])
                }
                if filterJavascript, found.javascript { continue }
                if filterCurlyBracket, found.curlyBracket {
                    return .drop(reason: "c4_quality:curly_bracket", metrics: [Metric("line", Double(index + 1))])
                }
                if filterPolicy, found.policy { continue }
            }
            if minNumSentences != -1 {
                sentences += splitParagraph ? tokenizer.sentenceCount(body, all, scratch: &scratch) : 1
            }
            if keptLines > 0 { joined.append(splitParagraph ? 0x0A : 0x20) }
            joined.append(contentsOf: line)
            keptLines += 1
        }
        let metrics = [Metric("lines", Double(units.count)), Metric("kept_lines", Double(keptLines)), Metric("sentences", Double(sentences))]
        if sentences < minNumSentences {
            return .drop(reason: "c4_quality:too_few_sentences", metrics: metrics)
        }
        let result = ScalarText(scalars: joined)
        let bytes = result.utf8(result.strip(0..<joined.count))
        if bytes == document.text { return .keep }
        document.text = bytes
        return .rewritten(metrics)
    }

    /// What one line mentions of the phrases the filter looks for ("lorem ipsum",
    /// "javascript", `{`, and the policy phrases "terms of use", "privacy policy",
    /// "cookie policy", "uses cookies", "use of cookies", "use cookies"), in the line
    /// lower-cased as Python does (see `matches`); found in one pass, in which only the letters
    /// that start a phrase are looked at (no scalar but `A`-`Z` lower-cases to one of them).
    struct LineMarks {
        var loremIpsum = false
        var javascript = false
        var curlyBracket = false
        var policy = false

        init(_ line: UnsafeBufferPointer<UInt32>) {
            // Bit (letter - "a") for the first letters of the phrases: c, j, l, p, t, u.
            let firstLetters: UInt32 = 1 << 2 | 1 << 9 | 1 << 11 | 1 << 15 | 1 << 19 | 1 << 20
            for i in line.indices {
                let c = line[i]
                if c &- 0x41 < 26 || c &- 0x61 < 26 {
                    let letter = (c | 0x20) &- 0x61
                    guard firstLetters >> letter & 1 != 0 else { continue }
                    switch letter {
                    case 11: loremIpsum = loremIpsum || Self.matches(line, i, "lorem ipsum")
                    case 9: javascript = javascript || Self.matches(line, i, "javascript")
                    case 19: policy = policy || Self.matches(line, i, "terms of use")
                    case 15: policy = policy || Self.matches(line, i, "privacy policy")
                    case 2: policy = policy || Self.matches(line, i, "cookie policy")
                    default:
                        policy = policy || Self.matches(line, i, "uses cookies") || Self.matches(line, i, "use of cookies")
                            || Self.matches(line, i, "use cookies")
                    }
                } else if c == 0x7B {
                    curlyBracket = true
                }
            }
        }

        /// Whether `line` has `phrase` (ASCII lower case) at `at`, once lower-cased as
        /// Python's `str.lower()` does. Besides `A`-`Z`, two scalars lower-case to ASCII
        /// letters: U+212A KELVIN SIGN to `k`, compared as `k` here; U+0130 to `i` and U+0307,
        /// which never completes a phrase (each `i` of a phrase is followed by a letter).
        @inline(__always)
        private static func matches(_ line: UnsafeBufferPointer<UInt32>, _ at: Int, _ phrase: StaticString) -> Bool {
            let n = phrase.utf8CodeUnitCount, p = phrase.utf8Start
            guard line.count - at >= n else { return false }
            for k in 0..<n {
                var c = line[at + k]
                if c &- 0x41 < 26 { c |= 0x20 } else if c == 0x212A { c = 0x6B }
                if c != UInt32(p[k]) { return false }
            }
            return true
        }
    }

    /// Appends `line` without `[digits]`, `[]`, `[edit]` and `[citation needed]`.
    static func removingCitations(_ line: ArraySlice<UInt32>, into out: inout [UInt32]) {
        let end = line.endIndex
        // The text before each citation goes in one piece.
        var copied = line.startIndex, i = copied
        while let open = line[i..<end].firstIndex(of: 0x5B) {
            var j = open + 1
            while j < end, line[j] >= 0x30, line[j] <= 0x39 { j += 1 }
            let close = j < end && line[j] == 0x5D ? j + 1 : Self.matchWord(line, open + 1, "edit]") ?? Self.matchWord(line, open + 1, "citation needed]")
            if let close {
                out.append(contentsOf: line[copied..<open])
                copied = close
                i = close
            } else {
                i = open + 1
            }
        }
        out.append(contentsOf: line[copied..<end])
    }

    private static func matchWord(_ line: ArraySlice<UInt32>, _ at: Int, _ word: StaticString) -> Int? {
        let n = word.utf8CodeUnitCount, p = word.utf8Start
        guard line.endIndex - at >= n else { return nil }
        for k in 0..<n where line[at + k] != UInt32(p[k]) { return nil }
        return at + n
    }
}
