import CurateCore
import CurateFilters
import Foundation
import Testing

@Suite struct BadWordsFilterTests {
    let filter: any Stage

    init() throws { filter = try SafetyFixtures.stage(BadWordsFilter.definition) }

    @Test func dropsRealEnglishTextWithListedWordsAndCountsThem() throws {
        var doc = SafetyFixtures.document(try SafetyFixtures.text("alcott-old-fashioned-girl.txt"))
        #expect(filter.process(&doc) == .drop(reason: "badwords:en", metrics: [Metric("badwords", 2)]))
        var clean = SafetyFixtures.document(try SafetyFixtures.text("gutenberg-license.txt"))
        #expect(filter.process(&clean) == .keep)
    }

    @Test func languageSelectsTheListAndUnspacedLanguagesMatchInsideWords() throws {
        let text = try SafetyFixtures.text("wagahai-ja.txt")
        var ja = SafetyFixtures.document(text, language: "ja")
        #expect(filter.process(&ja) == .drop(reason: "badwords:ja", metrics: [Metric("badwords", 1)]))
        var en = SafetyFixtures.document(text, language: "en")
        #expect(filter.process(&en) == .keep)
    }

    @Test func allowListedWordsNeverMatch() {
        var doc = SafetyFixtures.document("女の子が好きな性格", language: "ja")
        #expect(filter.process(&doc) == .keep)
    }

    @Test func missingLanguage() throws {
        var doc = SafetyFixtures.document("nothing to see", language: "xx")
        #expect(filter.process(&doc) == .drop(reason: "badwords:missing_language", metrics: [], detail: "no bad-word list for language \"xx\""))
        let lenient = try SafetyFixtures.stage(BadWordsFilter.definition, [("fail_on_missing_language", .bool(false))])
        #expect(lenient.process(&doc) == .keep)
        let german = try SafetyFixtures.stage(BadWordsFilter.definition, [("default_language", .string("de"))])
        var unmarked = SafetyFixtures.document("Das ist Scheiße.")
        #expect(german.process(&unmarked) == .drop(reason: "badwords:de", metrics: [Metric("badwords", 1)]))
    }

    @Test func keepFractionIsADeterministicDrawPerDocumentID() throws {
        let half = try SafetyFixtures.stage(BadWordsFilter.definition, [("keep_fraction", .double(0.5)), ("seed", .integer(7))])
        let text = try SafetyFixtures.text("alcott-old-fashioned-girl.txt")
        var kept = 0
        for i in 0..<1000 {
            var doc = SafetyFixtures.document(text, id: "doc-\(i)")
            let verdict = half.process(&doc)
            #expect(verdict == (BadWordsFilter.draw(id: "doc-\(i)", seed: 7) < 0.5 ? .keep : .drop(reason: "badwords:en", metrics: [Metric("badwords", 2)])))
            if verdict == .keep { kept += 1 }
        }
        #expect(kept == 490)
        #expect(BadWordsFilter.draw(id: "doc-1", seed: 7) != BadWordsFilter.draw(id: "doc-1", seed: 8))
        #expect(BadWordsFilter.draw(id: "doc-1", seed: 7) == BadWordsFilter.draw(id: "doc-1", seed: 7))
    }

    @Test func otherListsByLanguage() throws {
        let dolma = try SafetyFixtures.stage(BadWordsFilter.definition, [("lists", .array([.string("en=resource:wordlists/ldnoobw-en.dolma.txt")]))])
        var doc = SafetyFixtures.document("She was horny.")
        #expect(dolma.process(&doc) == .drop(reason: "badwords:en", metrics: [Metric("badwords", 1)]))
        #expect(filter.process(&doc) == .keep)
    }

    @Test(arguments: [
        ("en", "expected \"LANG=PATH\", got \"en\""),
        ("en=missing.txt", "cannot read"),
    ])
    func badListOptionsNameTheOption(entry: String, message: String) {
        let error = #expect(throws: OptionError.self) {
            try SafetyFixtures.stage(BadWordsFilter.definition, [("lists", .array([.string(entry)]))])
        }
        #expect(error?.key == "lists")
        #expect(error?.message.contains(message) == true)
    }
}
