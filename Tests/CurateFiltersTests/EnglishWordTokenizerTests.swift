import CurateFilters
import Testing

/// Words and sentence counts as datatrove 0.10.1's English tokenizer (spaCy) gives them,
/// recorded with `load_word_tokenizer("en")`'s `word_tokenize` and `sent_tokenize`.
@Suite struct EnglishWordTokenizerTests {
    private let tokenizer = EnglishWordTokenizer()

    private func words(_ text: String) -> [String] {
        let scalars = ScalarText(Array(text.utf8))
        return tokenizer.words(scalars).map { range in
            String(String.UnicodeScalarView(scalars.scalars[range].map { Unicode.Scalar($0)! }))
        }
    }

    private func sentences(_ text: String) -> Int {
        let scalars = ScalarText(Array(text.utf8))
        var scratch: [Range<Int>] = []
        return tokenizer.sentenceCount(scalars, 0..<scalars.count, scratch: &scratch)
    }

    /// Pieces of ASCII letters and digits: whole words, except contractions written without
    /// an apostrophe and numbers followed by a unit or a time of day.
    @Test func splitsLettersAndDigitsOnlyWhereSpacyDoes() {
        #expect(words("dont stop Cannot gonna wanna") == ["do", "nt", "stop", "Can", "not", "gon", "na", "wanna"])
        #expect(words("Go 5km, 2g or 10am: abc123 4th mp3 a1b2 B2B 1st.")
            == ["Go", "5", "km", ",", "2", "g", "or", "10", "am", ":", "abc123", "4th", "mp3", "a1b2", "B2B", "1st", "."])
        #expect(words("x1y2 hello123world 99 0 Z") == ["x1y2", "hello123world", "99", "0", "Z"])
        #expect(words("") == [])
        #expect(words(" \t\n ") == [])
    }

    /// A word and one mark after it, and pieces of one character: the marks always split off,
    /// a dot only after a lower-case letter or a digit, and special cases stay whole.
    @Test func splitsAMarkAfterAWordAsSpacy() {
        #expect(words("word, word; word: Yes! why? x) say\" end. aB. A. USA. 3. x.. Mr. dont, 5km. 8) e.g., - & • 2nd. Ab. a1b.")
            == ["word", ",", "word", ";", "word", ":", "Yes", "!", "why", "?", "x", ")", "say", "\"", "end", ".", "aB.", "A.", "USA", ".",
                "3", ".", "x", "..", "Mr.", "do", "nt", ",", "5", "km", ".", "8)", "e.g.", ",", "-", "&", "•", "2nd", ".", "Ab", ".", "a1b", "."])
    }

    /// Terminals inside a piece, after quotes, in abbreviations, numbers and URLs, and pieces of
    /// punctuation alone after a terminal.
    @Test func countsSentencesAsSpacy() {
        #expect(sentences("Hello world.Then it rained. e.g. this U.S. That") == 3)
        #expect(sentences("He said \"Stop.\" Then left") == 2)
        #expect(sentences("Done... Next one") == 1)
        #expect(sentences("A sentence 。 次の文") == 2)
        #expect(sentences("Yes! -- ! No? (maybe) fine") == 3)
        #expect(sentences("Numbers 3.5 and 1.2.3 stay. Ok") == 2)
        #expect(sentences("end . -- , Next") == 2)
        #expect(sentences("Visit www.example.com. Then http://a.b/c?d. Ok") == 3)
        #expect(sentences("") == 1)
    }

    /// The sentence count of a range within a longer text looks at that range only.
    @Test func countsSentencesOfARange() {
        let text = ScalarText(Array("One. Two. Three".utf8))
        var scratch: [Range<Int>] = []
        #expect(tokenizer.sentenceCount(text, 0..<9, scratch: &scratch) == 2)
        #expect(tokenizer.sentenceCount(text, 5..<15, scratch: &scratch) == 2)
        #expect(tokenizer.sentenceCount(text, 4..<5, scratch: &scratch) == 1)
    }

    /// Counting tokens gives the number of tokens, on real texts and on pieces of every kind
    /// (21 for the mixed text, as spaCy splits it).
    @Test(arguments: ["gutenberg-austen", "warc-patent-ja", "warc-ghosthunters", "wiki-article"])
    func countsAsManyWordsAsItSplits(_ fixture: String) throws {
        let text = ScalarText(try QualityFixtures.text(fixture + ".txt"))
        #expect(tokenizer.wordCount(text) == tokenizer.words(text).count)
        let mixed = ScalarText(Array("dont 5km e.g. U.S. http://a.b/c 😀 x-y 1,2 \"q\" ... Mr. can't".utf8))
        #expect(tokenizer.wordCount(mixed) == 21)
        #expect(tokenizer.words(mixed).count == 21)
    }
}
