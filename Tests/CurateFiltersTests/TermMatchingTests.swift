import CurateCore
@testable import CurateFilters
import Foundation
import Testing

private func matches(_ matcher: TermMatcher, _ text: [UInt8]) -> [String] {
    var found: [String] = []
    text.withUnsafeBufferPointer { p in
        matcher.forEachMatch(in: p) { found.append(matcher.terms[$0]); return true }
    }
    return found
}

private func matches(_ matcher: TermMatcher, _ text: String) -> [String] { matches(matcher, Array(text.utf8)) }

@Suite struct AhoCorasickTests {
    @Test func findsOverlappingPatternsEndingAtEachByte() {
        let automaton = AhoCorasick(patterns: ["he", "she", "his", "hers"].map { Array($0.utf8) })
        var found: [(end: Int, pattern: String)] = []
        automaton.withStepper { stepper in
            var state = AhoCorasick.start
            for (i, byte) in "ushers".utf8.enumerated() {
                state = stepper.next(state, byte)
                if stepper.hasMatch(state) {
                    automaton.forEachPattern(endingAt: state) { found.append((i + 1, String(decoding: automaton.patterns[Int($0)], as: UTF8.self))) }
                }
            }
        }
        #expect(found.map(\.end) == [4, 4, 6])
        #expect(found.map(\.pattern) == ["she", "he", "hers"])
    }

    @Test func emptyPatternsNeverMatch() {
        let automaton = AhoCorasick(patterns: [[], Array("x".utf8)])
        #expect(!SubstringDetector(automaton, byteMap: { $0 }).occurs(in: "abc"))
        #expect(automaton.stateCount == 2)
    }
}

extension SubstringDetector {
    fileprivate func occurs(in text: String) -> Bool { Array(text.utf8).withUnsafeBufferPointer { occurs(in: $0) } }
}

@Suite struct SubstringDetectorTests {
    private let patterns = ["he", "she", "his", "hers"].map { Array($0.utf8) }

    @Test func findsPatternsAnywhereInTheText() {
        let detector = SubstringDetector(AhoCorasick(patterns: patterns), byteMap: { $0 })
        #expect(detector.occurs(in: "ushers"))
        #expect(detector.occurs(in: "this"))
        #expect(detector.occurs(in: "hi, she said"))
        #expect(!detector.occurs(in: "hi, us"))
        #expect(!detector.occurs(in: "h e"))
        #expect(!detector.occurs(in: ""))
    }

    @Test func readsTheTextThroughTheByteMap() {
        // As url_filter reads a URL: letters lower-cased, digits kept, other bytes skipped.
        let detector = SubstringDetector(AhoCorasick(patterns: [Array("bigtits".utf8), Array("x3".utf8)]),
                                         byteMap: URLFilter.lowerAlphanumeric)
        #expect(detector.occurs(in: "https://example.com/Big-Tits/"))
        #expect(detector.occurs(in: "http://b.i.g.t.i.t.s"))
        #expect(detector.occurs(in: "a/X/3"))
        #expect(!detector.occurs(in: "https://example.com/big-tit/3s"))
        #expect(!detector.occurs(in: "x 4 3"))
    }

    @Test func matchesAfterAFailedLongerPattern() {
        // "she" fails at "i" of "shis" and continues as "hi" to find "his".
        let detector = SubstringDetector(AhoCorasick(patterns: patterns), byteMap: { $0 })
        #expect(detector.occurs(in: "shis"))
        #expect(detector.occurs(in: "hhis"))
        #expect(!detector.occurs(in: "shx"))
        #expect(!detector.occurs(in: "hihx"))
    }

    /// A pattern is found wherever it lies in texts of several lengths, however many skipped
    /// bytes it is spread over; a near miss nowhere.
    @Test func findsAPatternAtEveryPosition() {
        let detector = SubstringDetector(AhoCorasick(patterns: [Array("bigtits".utf8), Array("x3".utf8)]),
                                         byteMap: URLFilter.lowerAlphanumeric)
        var expected = 0, found = 0
        for length in [9, 10, 31, 64, 101] {
            for spread in ["bigtits", "b-i-g-t-i-t-s", "b//////ig.tits", "x/3"] {
                for position in 0...length {
                    let filler = String(repeating: "a-", count: length)
                    let text = String(filler.prefix(position)) + spread + String(filler.dropFirst(position).prefix(length - position))
                    expected += 1
                    if detector.occurs(in: text) { found += 1 }
                    #expect(!detector.occurs(in: String(filler.prefix(position)) + "bigtit-" + String(filler.prefix(length))))
                }
            }
        }
        #expect(found == expected)
        #expect(expected == 4 * (10 + 11 + 32 + 65 + 102))
    }

    /// An automaton too large for 16-bit transitions (about 13,000 states of 12 columns)
    /// answers as a plain search does.
    @Test func largeAutomataAnswerAsASearch() {
        var generator = SplitMix64(seed: 7)
        let letters = Array("abcdefghij".utf8)
        func word(_ length: Int) -> [UInt8] { (0..<length).map { _ in letters[Int(generator.next() % 10)] } }
        let patterns = (0..<1000).map { _ in word(16) }
        let listed = Set(patterns)
        let automaton = AhoCorasick(patterns: patterns)
        #expect((automaton.stateCount - patterns.count) * (automaton.classCount + 1) > Int(UInt16.max))
        let detector = SubstringDetector(automaton, byteMap: { $0 })
        var found = 0
        for round in 0..<200 {
            // Half the texts hold a pattern.
            var text = word(40)
            if round % 2 == 0 { text.replaceSubrange(10..<26, with: patterns[round]) }
            let expected = (0...(text.count - 16)).contains { listed.contains(Array(text[$0..<$0 + 16])) }
            #expect(text.withUnsafeBufferPointer { detector.occurs(in: $0) } == expected)
            if expected { found += 1 }
        }
        #expect(found >= 100)
    }

    /// Known starts of texts are stepped over at once: patterns inside a start, across its end
    /// and after it are found as without them; texts shorter than a start, or than eight
    /// bytes, are read byte by byte.
    @Test func knownStartsGiveTheSameAnswers() {
        let patterns = ["ttps", "pswww", "wwwbad", "ab", "0123456789abcdefz"].map { Array($0.utf8) }
        let automaton = AhoCorasick(patterns: patterns)
        let starts = ["https://www.", "http://", "0123456789abcdef", "q"].map { Array($0.utf8) }
        let plain = SubstringDetector(automaton, byteMap: URLFilter.lowerAlphanumeric)
        let known = SubstringDetector(automaton, byteMap: URLFilter.lowerAlphanumeric, knownStarts: starts)
        let texts = ["https://www.x.org", "http://www.bad.org", "http://w.ab", "http://w.x", "https://", "http:/", "q", "qab", "qxxxxxxxxx",
                     "0123456789abcdef", "0123456789abcdefz", "0123456789abcdeF/z", "HTTPS://WWW.X", "x", "", "http://wwwbad"]
        var found = 0
        for text in texts {
            let bytes = Array(text.utf8)
            let expected = bytes.withUnsafeBufferPointer { plain.occurs(in: $0) }
            #expect(bytes.withUnsafeBufferPointer { known.occurs(in: $0) } == expected, "\(text)")
            if expected { found += 1 }
        }
        #expect(found == 10)
    }

    @Test func withoutPatternsNothingOccurs() {
        let detector = SubstringDetector(AhoCorasick(patterns: []), byteMap: { $0 })
        #expect(!detector.occurs(in: "anything at all"))
    }
}

@Suite struct TermMatcherTests {
    @Test func matchesWholeWordsIgnoringCase() {
        let matcher = TermMatcher(terms: ["ass", "make me come"])
        #expect(matches(matcher, "An assassin, a class, an Ass. Too bad of Fan to MAKE ME COME alone!") == ["ass", "make me come"])
        #expect(matches(matcher, "ass_ x_ass 2ass ass2") == [])
        #expect(matches(matcher, "ass") == ["ass"])
    }

    @Test func boundariesAreThoseOfPythonsLowercasedText() {
        let matcher = TermMatcher(terms: ["ass", "ab"])
        // İ lower-cases to i + U+0307, a combining mark, which is not a word character.
        #expect(matches(matcher, "İass") == ["ass"])
        // Combining marks after a word do not extend it; letters of any script do.
        #expect(matches(matcher, "ab\u{301} abé abж ab٣") == ["ab"])
    }

    @Test func oneLetterTermsAndNonASCIISecondLetters() {
        let matcher = TermMatcher(terms: ["a", "cé", "éa"])
        #expect(matches(matcher, "a b cé, CÉ ÉA ab") == ["a", "cé", "cé", "éa"])
    }

    @Test func startsAreScreenedByTheirFirstThreeBytesOnly() {
        let matcher = TermMatcher(terms: ["xy", "abcd", "abé", "ab c"])
        // Two-byte terms at the very end, longer terms whose third byte is not ASCII or is a
        // space, and a Kelvin sign (which lower-cases to ASCII k) in third place.
        #expect(matches(matcher, "abc abcd ABCD abé ab c abd xy") == ["abcd", "abcd", "abé", "ab c", "xy"])
        #expect(matches(TermMatcher(terms: ["ok k"]), "OK \u{212A} ok k") == ["ok k", "ok k"])
        #expect(matches(TermMatcher(terms: ["ask"]), "as\u{212A}") == ["ask"])
    }

    @Test func invalidUTF8ReadsAsReplacementCharacters() {
        let matcher = TermMatcher(terms: ["ass"])
        #expect(matches(matcher, [0xFF] + Array("ass".utf8) + [0xC0]) == ["ass"])
    }

    @Test func anywhereModeMatchesInsideWords() throws {
        let text = try SafetyFixtures.text("wagahai-ja.txt")
        #expect(matches(TermMatcher(terms: ["まんこ"], boundaries: .anywhere), text) == ["まんこ"])
        #expect(matches(TermMatcher(terms: ["まんこ"], boundaries: .words), text) == [])
    }

    @Test func reportsEveryOccurrenceAndStopsWhenAsked() {
        let matcher = TermMatcher(terms: ["kick ass", "ass"])
        #expect(matches(matcher, "kick ass, ass") == ["kick ass", "ass", "ass"])
        var first: [Int] = []
        Array("ass ass".utf8).withUnsafeBufferPointer { p in matcher.forEachMatch(in: p) { first.append($0); return false } }
        #expect(first == [1])
    }
}

@Suite struct TermGroupsTests {
    @Test func defaultGroupsOnRealText() throws {
        let groups = try TermGroups.load(Resources.path("terms/default.json"))
        #expect(groups.names == ["gender_female", "gender_male", "gender_nonbinary_trans", "sexual_orientation", "religion",
                                 "nationality", "race_ethnicity", "disability"])
        let text = Array(try SafetyFixtures.text("alcott-old-fashioned-girl.txt").utf8)
        let mask = text.withUnsafeBufferPointer { groups.groups(in: $0) }
        #expect(groups.names(in: mask) == ["gender_female", "gender_male"])
        let license = Array(try SafetyFixtures.text("gutenberg-license.txt").utf8)
        #expect(license.withUnsafeBufferPointer { groups.groups(in: $0) } == 0)
    }

    @Test func sameAnswersFromManyThreads() async {
        let groups = TermGroups([("religion", ["Muslim", "Sikh"]), ("disability", ["deaf", "wheelchair-user"])])
        let texts = ["A deaf Sikh teacher.", "A wheelchair-user.", "Muslims", "MUSLIM and DEAF"].map { Array($0.utf8) }
        let expected: [UInt64] = [3, 2, 0, 3]
        let results = await withTaskGroup(of: (Int, UInt64).self) { group in
            for i in 0..<400 {
                group.addTask { (i, texts[i % 4].withUnsafeBufferPointer { groups.groups(in: $0) }) }
            }
            return await group.reduce(into: [Int: UInt64]()) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 400)
        #expect(results.allSatisfy { $0.value == expected[$0.key % 4] })
    }

    @Test(arguments: [
        ("[1, 2]", "expected an object of group name -> array of terms, got an array"),
        ("{\"a\": \"x\"}", "group \"a\" must be an array of strings, got a string"),
        ("{\"a\": [\"\"]}", "group \"a\" holds \"\", expected non-empty strings"),
        ("{\"a\": [", "is not valid JSON"),
    ])
    func malformedFilesAreRejectedNamingTheOption(json: String, message: String) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("groups-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: OptionError.self) { try TermGroups.load(path) }
        #expect(error?.key == "groups")
        #expect(error?.message.contains(message) == true)
    }

    @Test func auditTermsAnnotatesAndKeeps() throws {
        let stage = try SafetyFixtures.stage(AuditTermsStage.definition)
        var doc = SafetyFixtures.document(try SafetyFixtures.text("alcott-old-fashioned-girl.txt"))
        #expect(stage.process(&doc) == .keep)
        #expect(doc.metadata["term_groups"] == .array([.string("gender_female"), .string("gender_male")]))
        var plain = SafetyFixtures.document(try SafetyFixtures.text("gutenberg-license.txt"))
        #expect(stage.process(&plain) == .keep)
        #expect(plain.metadata["term_groups"] == .array([]))
    }
}
