import CurateCore
import CurateFilters
import Testing

@Suite struct C4QualityFilterTests {
    @Test(arguments: QualityFixtures.expectations("c4_quality"))
    func decidesAsDatatroveOnRealText(_ e: QualityFixtures.Expectation) throws {
        #expect(try QualityFixtures.mismatch(e, checkMetrics: false) == nil)
    }

    @Test(arguments: ["wiki-article", "gutenberg-crlf"])
    func keepsTheSameLinesAsDatatrove(_ name: String) throws {
        var doc = try QualityFixtures.document(name)
        guard case .rewritten = C4QualityFilter().process(&doc) else {
            Issue.record("expected a rewrite")
            return
        }
        #expect(doc.textString == String(decoding: try QualityFixtures.text(name + ".c4.txt"), as: UTF8.self))
    }

    private let page = """
        One two three four. Five six seven eight.
        Menu
        This line has no terminal punctuation
        Please enable JavaScript to see this.
        This site uses cookies to work well.
        Nine ten eleven [1] twelve. Thirteen! Fourteen?
        """

    @Test func removesLinesAndCitationsAndCountsSentences() {
        var doc = QualityFixtures.document(text: page)
        #expect(C4QualityFilter().process(&doc) == .rewritten([Metric("lines", 6), Metric("kept_lines", 2), Metric("sentences", 5)]))
        #expect(doc.textString == "One two three four. Five six seven eight.\nNine ten eleven  twelve. Thirteen! Fourteen?")
    }

    @Test func keepsUnpunctuatedLinesWhenTold() {
        var filter = C4QualityFilter()
        filter.filterNoTerminalPunct = false
        filter.minNumSentences = 6
        var doc = QualityFixtures.document(text: page)
        #expect(filter.process(&doc) == .rewritten([Metric("lines", 6), Metric("kept_lines", 3), Metric("sentences", 6)]))
    }

    @Test func dropsPagesWithLoremIpsumOrACurlyBracket() {
        var doc = QualityFixtures.document(text: "Some text here.\nLorem Ipsum dolor sit amet.")
        #expect(C4QualityFilter().process(&doc) == .drop(reason: "c4_quality:lorem_ipsum", metrics: [Metric("line", 2)]))
        doc = QualityFixtures.document(text: "function f() { return 1; }.")
        #expect(C4QualityFilter().process(&doc) == .drop(reason: "c4_quality:curly_bracket", metrics: [Metric("line", 1)]))
        // A line removed for another reason first does not drop the page.
        doc = QualityFixtures.document(text: "see { here")
        #expect(C4QualityFilter().process(&doc) == .drop(reason: "c4_quality:too_few_sentences", metrics: [Metric("lines", 1), Metric("kept_lines", 0), Metric("sentences", 0)]))
    }

    /// The phrases are found in any case, anywhere in a line, and after a citation mark that
    /// split them is removed (outcomes recorded from datatrove 0.10.1's C4QualityFilter).
    @Test func findsPhrasesInAnyCaseAndAfterCitations() {
        var doc = QualityFixtures.document(text: "One two three. Four five six.\nThis one mentions lorem [1]ipsum here.")
        #expect(C4QualityFilter().process(&doc) == .drop(reason: "c4_quality:lorem_ipsum", metrics: [Metric("line", 2)]))
        // The javascript line goes before its bracket is seen.
        doc = QualityFixtures.document(text: "One two three. Four five six.\nEnable JAVASCRIPT now { ok.")
        #expect(C4QualityFilter().process(&doc) == .drop(reason: "c4_quality:too_few_sentences", metrics: [Metric("lines", 2), Metric("kept_lines", 1), Metric("sentences", 2)]))
        doc = QualityFixtures.document(text: "Words with a brace { here.\nA line with javascript and { too.")
        #expect(C4QualityFilter().process(&doc) == .drop(reason: "c4_quality:curly_bracket", metrics: [Metric("line", 1)]))
        doc = QualityFixtures.document(text: """
            One two three. Four five six.
            We value your PRIVACY POLICY.
            Read our Terms Of Use.
            This site USES cookies.
            About our use of cookies.
            We use Cookies.
            See the Cookie Policy.
            Four five six seven. Eight nine ten. Eleven twelve thirteen.
            """)
        #expect(C4QualityFilter().process(&doc) == .rewritten([Metric("lines", 8), Metric("kept_lines", 2), Metric("sentences", 5)]))
        #expect(doc.textString == "One two three. Four five six.\nFour five six seven. Eight nine ten. Eleven twelve thirteen.")
        // Phrases cut short at the end of a line are not there.
        doc = QualityFixtures.document(text: "One two three. Four five six. Seven eight nine. Ten eleven twelve. Privacy polic.\nUse cookie.")
        #expect(C4QualityFilter().process(&doc) == .rewritten([Metric("lines", 2), Metric("kept_lines", 1), Metric("sentences", 5)]))
        #expect(doc.textString == "One two three. Four five six. Seven eight nine. Ten eleven twelve. Privacy polic.")
    }

    /// The phrases are looked for in the line lower-cased as Python does: U+212A KELVIN SIGN
    /// becomes `k`; U+0130 becomes `i` and U+0307, which completes no phrase (outcomes recorded
    /// from datatrove 0.10.1's C4QualityFilter).
    @Test func lowerCasesPhrasesAsPython() {
        let head = "One two three. Four five six.\n", tail = "\nSeven eight nine. Ten eleven twelve. Thirteen fourteen fifteen."
        var doc = QualityFixtures.document(text: head + "This site uses coo\u{212A}ies to work." + tail)
        #expect(C4QualityFilter().process(&doc) == .rewritten([Metric("lines", 3), Metric("kept_lines", 2), Metric("sentences", 5)]))
        #expect(doc.textString == "One two three. Four five six.\nSeven eight nine. Ten eleven twelve. Thirteen fourteen fifteen.")
        doc = QualityFixtures.document(text: head + "The COO\u{212A}IE POLICY applies here." + tail)
        #expect(C4QualityFilter().process(&doc) == .rewritten([Metric("lines", 3), Metric("kept_lines", 2), Metric("sentences", 5)]))
        doc = QualityFixtures.document(text: head + "This is the pr\u{130}vacy policy here." + tail)
        #expect(C4QualityFilter().process(&doc) == .keep)
    }

    /// A line ending in `]` may end in punctuation once its citations are gone; words are
    /// counted in full only when the line is longer than the longest word allowed (outcomes
    /// recorded from datatrove 0.10.1's C4QualityFilter).
    @Test func appliesTheLineRulesAroundCitationsAndLongWords() {
        let text = "One two three. Four five six.\nWords are here.[1]\nSome words here [2]\nTwo words.\nEnds in a quote.\"\n"
            + "A [citation needed]line ends here!\nShort line. Then more. And more."
        var doc = QualityFixtures.document(text: text)
        #expect(C4QualityFilter().process(&doc) == .rewritten([Metric("lines", 7), Metric("kept_lines", 5), Metric("sentences", 8)]))
        #expect(doc.textString == "One two three. Four five six.\nWords are here.\nEnds in a quote.\"\nA line ends here!\nShort line. Then more. And more.")
        var filter = C4QualityFilter()
        filter.maxWordLength = 5
        doc = QualityFixtures.document(text: text)
        #expect(filter.process(&doc) == .drop(reason: "c4_quality:too_few_sentences", metrics: [Metric("lines", 7), Metric("kept_lines", 1), Metric("sentences", 3)]))
    }
}
