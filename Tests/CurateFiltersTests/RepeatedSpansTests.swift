@testable import CurateFilters
import Testing

@Suite struct RepeatedSpansTests {
    private static func words(_ text: ScalarText) -> [Range<Int>] { EnglishWordTokenizer().words(text) }

    @Test func spanSetGrowsPastItsCapacityAndKeepsWhatItHolds() {
        let text = ScalarText(Array("a\nb\nc\nd\ne\nf\na\nf\ng".utf8))
        let lines = text.split(on: 0x0A)
        var set = ScalarSpanSet(text: text, capacity: 1)
        // Seventeen distinct lines: the table, made for 8 entries, grows twice.
        let many = ScalarText(Array((0..<17).map { "line \($0)" }.joined(separator: "\n").utf8))
        var big = ScalarSpanSet(text: many, capacity: 1)
        #expect(many.split(on: 0x0A).allSatisfy { big.insert($0) })
        #expect(many.split(on: 0x0A).allSatisfy { !big.insert($0) })
        #expect(lines.map { set.insert($0) } == [true, true, true, true, true, true, false, false, true])
    }

    @Test func mostFrequentNGramTiesGoToTheFirstToOccur() {
        // "b c" and "c d" both occur twice; "b c" comes first. 3 characters, twice.
        let text = ScalarText(Array("a b c d x c d b c".utf8))
        var grams = WordNGrams(text: text, words: Self.words(text))
        #expect(grams.topNGramChars(2) == 6)
        // Every 3-gram occurs once: the first, "a b c".
        #expect(grams.topNGramChars(3) == 5)
        #expect(grams.topNGramChars(10) == nil)
    }

    @Test func repeatedNGramsSkipPastEachRepeat() {
        // 2-grams run together: ab ab ab ... "a b" repeats at word 2 and word 4 (jumping two words each time).
        let text = ScalarText(Array("a b a b a b c".utf8))
        var grams = WordNGrams(text: text, words: Self.words(text))
        #expect(grams.repeatedNGramChars(2) == 4)
        // Equal characters from different words ("ab" + "c" and "a" + "bc") repeat too.
        let joined = ScalarText(Array("ab c a bc".utf8))
        var joinedGrams = WordNGrams(text: joined, words: Self.words(joined))
        #expect(joinedGrams.repeatedNGramChars(2) == 3)
        #expect(joinedGrams.repeatedNGramChars(5) == 0)
    }

    /// Clearing starts a new pass without writing the table; after fifteen passes it is
    /// written empty once. Growing keeps the current pass's entries only.
    @Test func positionTablePassesForgetEarlierEntries() {
        var table = PositionTable(capacity: 8)
        for pass in 0..<40 {
            table.clear()
            for k in 0..<6 { #expect(table.findOrInsert(UInt64(k + pass % 3) &* 0x9E37_79B9_7F4A_7C15, k) { _ in true } == nil) }
            #expect(table.findOrInsert(UInt64(2 + pass % 3) &* 0x9E37_79B9_7F4A_7C15, 9) { $0 == 2 } == 2)
        }
        table.reserve(100)
        #expect(table.findOrInsert(UInt64(3 + 39 % 3) &* 0x9E37_79B9_7F4A_7C15, 9) { $0 == 3 } == 3)
        table.clear()
        table.reserve(200)
        #expect(table.findOrInsert(UInt64(3 + 39 % 3) &* 0x9E37_79B9_7F4A_7C15, 9) { _ in true } == nil)
    }
}
