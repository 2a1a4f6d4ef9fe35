import CurateCore
@testable import CurateFilters
import Foundation
import Testing

private func count(_ terms: [String], _ text: [UInt8], _ boundaries: TermMatcher.Boundaries = .words) -> Int {
    text.withUnsafeBufferPointer { TermCounter(terms: terms, boundaries: boundaries).count(in: $0) }
}

private func count(_ terms: [String], _ text: String, _ boundaries: TermMatcher.Boundaries = .words) -> Int {
    count(terms, Array(text.utf8), boundaries)
}

/// A fixed sequence of pseudo-random numbers (splitmix64).
private struct Draws {
    var state: UInt64

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

@Suite struct TermCounterTests {
    @Test func countsWholeWordsIgnoringCase() {
        let terms = ["ass", "make me come"]
        #expect(count(terms, "An assassin, a class, an Ass. Too bad of Fan to MAKE ME COME alone!") == 2)
        #expect(count(terms, "ass_ x_ass 2ass ass2") == 0)
        #expect(count(terms, "ass") == 1)
        #expect(count(terms, "") == 0)
    }

    @Test func countsEveryOccurrenceOfEveryTerm() {
        #expect(count(["kick ass", "ass"], "kick ass, ass") == 3)
        // Terms that lower-case alike are counted once each.
        #expect(count(["Ass", "ass"], "ASS") == 2)
        // A term that ends where another starts, and a longer term that fails late.
        #expect(count(["a b", "b c", "a b c d"], "a b c x") == 2)
    }

    @Test func boundariesAreThoseOfPythonsLowercasedText() {
        // İ lower-cases to i + U+0307, a combining mark, which is not a word character.
        #expect(count(["ass", "ab"], "İass") == 1)
        #expect(count(["i\u{307}x"], "İX") == 1)
        // Combining marks after a word do not extend it; letters of any script do.
        #expect(count(["ass", "ab"], "ab\u{301} abé abж ab٣") == 1)
        #expect(count(["a", "cé", "éa"], "a b cé, CÉ ÉA ab") == 4)
    }

    @Test func charactersThatLowerCaseToTermCharacters() {
        // The Kelvin sign lower-cases to ASCII k; Deseret capitals (beyond the BMP) to their
        // small letters.
        #expect(count(["ok k"], "OK \u{212A} ok k") == 2)
        #expect(count(["ask"], "as\u{212A}") == 1)
        #expect(count(["\u{10428}x"], "\u{10400}X \u{10428}x") == 2)
        // Outside the tables (U+20000 on): classed as read.
        #expect(count(["\u{20000}"], "x\u{20000}y", .anywhere) == 1)
        #expect(count(["\u{20000}"], "x\u{20000}y \u{20000}") == 1)
        // Emoji are not word characters.
        #expect(count(["\u{1F595}"], "a \u{1F595} b a\u{1F595}b") == 1)
    }

    @Test func invalidUTF8ReadsAsReplacementCharacters() {
        #expect(count(["ass"], [0xFF] + Array("ass".utf8) + [0xC0]) == 1)
        #expect(count(["ass"], Array("ass".utf8) + [0xE3, 0x81]) == 1)
        #expect(count(["\u{FFFD}ass"], [0xFF] + Array("ass".utf8)) == 1)
    }

    @Test func anywhereModeCountsInsideWords() throws {
        let text = try SafetyFixtures.text("wagahai-ja.txt")
        #expect(count(["まんこ"], text, .anywhere) == 1)
        #expect(count(["まんこ"], text, .words) == 0)
        #expect(count(["he", "she", "hers"], "USHERS", .anywhere) == 3)
    }

    @Test func wordRunsAreMeasuredEightBytesAtATime() {
        let isWord = { (b: UInt8) in b < 0x80 && WordCharacters.isWord(UInt32(b)) }
        for byte in 0...255 {
            for k in 0..<8 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
                bytes[k] = UInt8(byte)
                let x = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
                #expect(WordStartScreen.wordPrefixLength(x) == (isWord(UInt8(byte)) ? 8 : k), "byte \(byte) at \(k)")
            }
        }
        for text in ["", "a", "abc def", "abcdefgh", "abcdefghijklmnop q", "abcdefghij_0123456789XYZé", "abcdefghijklmnopqrstuvw"] {
            let bytes = Array(text.utf8)
            let end = bytes.firstIndex { !isWord($0) } ?? bytes.count
            #expect(bytes.withUnsafeBufferPointer { WordStartScreen.endOfWord($0, from: 0) } == end, "\(text)")
        }
    }

    @Test func termsAtEveryPlaceOfTheEightByteBlocks() {
        for k in 0..<17 {
            let words = String(repeating: "w", count: k), spaces = String(repeating: " ", count: k)
            #expect(count(["ass", "kick ass"], spaces + "ass kick ass.") == 3, "\(k)")
            #expect(count(["ass"], spaces + words + "ass " + words) == (k == 0 ? 1 : 0), "\(k)")
            #expect(count(["ass"], words + " " + spaces + "aSs" + spaces + "ass" + words) == (k == 0 ? 0 : 1), "\(k)")
            // A term that begins with a non-word character turns the blocks off.
            #expect(count(["-x", "ab"], words + " -x ab-x " + spaces + "ab") == 3, "\(k)")
        }
    }

    /// The bundled lists over the fixture texts and over texts made of pieces of their own words,
    /// changed in case, joined by word and non-word characters of several scripts and broken
    /// UTF-8: the same counts as ``TermMatcher``.
    @Test(arguments: BadWordsFilter.bundledLanguages)
    func sameCountsAsTermMatcher(language: String) throws {
        let list = try String(contentsOfFile: Resources.path("wordlists/ldnoobw/\(language)"), encoding: .utf8)
        let terms = list.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var texts = try ["alcott-old-fashioned-girl.txt", "wagahai-ja.txt", "debian-reference-network.txt"].map {
            Array(try SafetyFixtures.text($0).utf8)
        }
        let glue: [[UInt8]] = [" ", "  ", "_", "-", ", ", "é", "ж", "\u{301}", "٣", "İ", "\u{212A}", "\u{1F595}", "\u{20000}", "x", "3"]
            .map { Array($0.utf8) } + [[0xFF], [0xC0], [0xE3, 0x81], [0xED, 0xA0, 0x80]]
        var draws = Draws(state: UInt64(language.utf8.count) &* 7919)
        for _ in 0..<150 {
            var text: [UInt8] = []
            for _ in 0..<(1 + draws.next(8)) {
                var term = terms[draws.next(terms.count)]
                switch draws.next(4) {
                case 0: term = term.uppercased()
                case 1: term = String(term.prefix(max(1, term.count - 1)))
                default: break
                }
                text += Array(term.utf8)
                text += glue[draws.next(glue.count)]
            }
            texts.append(text)
        }
        for boundaries in [TermMatcher.Boundaries.words, .anywhere] {
            let matcher = TermMatcher(terms: terms, boundaries: boundaries)
            let counter = TermCounter(terms: terms, boundaries: boundaries)
            var total = 0
            for text in texts {
                let expected = text.withUnsafeBufferPointer { matcher.count(in: $0) }
                #expect(text.withUnsafeBufferPointer { counter.count(in: $0) } == expected, "\(language) \(boundaries): \(String(decoding: text, as: UTF8.self))")
                total += expected
            }
            #expect(total > 0)
        }
    }
}
