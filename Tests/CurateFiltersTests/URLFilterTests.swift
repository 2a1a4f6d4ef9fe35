import CurateCore
@testable import CurateFilters
import Foundation
import Testing

@Suite struct URLFilterTests {
    /// Each line: a URL and the decision of datatrove 0.10.1's URLFilter given the same lists
    /// (its word lists, url-domains.txt, url-urls.txt; reasons renamed as curate names them).
    @Test func sameDecisionsAsDatatroveOnRealURLs() throws {
        let filter = try SafetyFixtures.stage(URLFilter.definition, [
            ("domains", .array([.string("url-domains.txt")])), ("urls", .array([.string("url-urls.txt")])),
        ])
        let lines = try SafetyFixtures.text("urls.tsv").split(separator: "\n")
        #expect(lines.count == 16)
        for line in lines {
            let fields = line.split(separator: "\t").map(String.init)
            var doc = SafetyFixtures.document("", url: fields[0])
            let verdict = filter.process(&doc)
            let reason: String = switch verdict {
            case .keep: "keep"
            case let .drop(reason, _, _): String(reason.dropFirst("url_filter:".count))
            case .rewritten: "rewritten"
            }
            #expect(reason == fields[1], "\(fields[0])")
        }
    }

    @Test func softBannedWordsAreCountedOncePerWord() throws {
        let filter = try SafetyFixtures.stage(URLFilter.definition, [("soft_word_threshold", .integer(3))])
        var doc = SafetyFixtures.document("", url: "http://pornpics.click/fr/pix/beautiful-model-sunny-leone-poses-in-sexy-lingerie-on-the-balcony-at-ni")
        #expect(filter.process(&doc) == .keep)
        var twice = SafetyFixtures.document("", url: "http://example.com/sexy/sexy/lingerie")
        let two = try SafetyFixtures.stage(URLFilter.definition)
        #expect(two.process(&twice) == .drop(reason: "url_filter:soft_banned_words", metrics: [Metric("soft_banned_words", 2)]))
    }

    @Test func documentsWithoutURLAreKept() throws {
        let filter = try SafetyFixtures.stage(URLFilter.definition)
        var doc = SafetyFixtures.document("porn")
        #expect(filter.process(&doc) == .keep)
    }

    /// Expected values from tldextract 5.4.0 (registered_domain, fqdn) with its bundled list.
    @Test(arguments: [
        ("http://forums.news.cnn.com/", "cnn.com", "forums.news.cnn.com"),
        ("http://forums.bbc.co.uk/path", "bbc.co.uk", "forums.bbc.co.uk"),
        ("https://user:pw@Example.COM:8080/x?y#z", "Example.COM", "Example.COM"),
        ("www.example.com/path", "example.com", "www.example.com"),
        ("//cdn.example.org/a.js", "example.org", "cdn.example.org"),
        ("http://localhost:8080", "", ""),
        ("http://192.168.1.1/", "", ""),
        ("http://[2001:db8::1]/", "", ""),
        ("http://co.uk/", "", ""),
        ("http://a.b.c.kawasaki.jp/", "b.c.kawasaki.jp", "a.b.c.kawasaki.jp"),
        ("http://city.kawasaki.jp/", "city.kawasaki.jp", "city.kawasaki.jp"),
        ("http://waiterrant.blogspot.com", "blogspot.com", "waiterrant.blogspot.com"),
        ("http://www.xn--p1ai/", "www.xn--p1ai", "www.xn--p1ai"),
        ("http://пример.рф/", "пример.рф", "пример.рф"),
        ("http://example.com./", "example.com", "example.com"),
        // Schemes, user parts, ports and stops at the edges of what the host scan accepts.
        ("a:////b.example.com/x", "", ""),
        ("://x.example.com/", "", ""),
        ("ht tp://x.example.com", "", ""),
        ("HTTP://WWW.Example.co.uk:80/", "Example.co.uk", "WWW.Example.co.uk"),
        ("mailto:x@y.example.com", "example.com", "y.example.com"),
        ("x//y.example.com/z", "", ""),
        ("http://a@b@c.example.com:1:2/", "example.com", "c.example.com"),
        ("http://user:pw@[::1]:80/x", "", ""),
        ("  http://x.example.com./ ", "", ""),
        ("https://ex.example.com\u{3002}/p", "example.com", "ex.example.com"),
        ("http://x.example.com?q=//a.b.com", "example.com", "x.example.com"),
        ("h+t.t-p://x.example.org#f", "example.org", "x.example.org"),
        ("1http://x.example.org", "example.org", "x.example.org"),
        ("http:/x.example.com", "", ""),
        ("http://x.example.com:/", "example.com", "x.example.com"),
        ("http://münchen.example.de/", "example.de", "münchen.example.de"),
        ("http://ü@x.example.com/", "example.com", "x.example.com"),
        ("http://x.example.com:ü/", "example.com", "x.example.com"),
        // Hosts of the one-pass scan (ASCII, no user part or port): case, empty labels, the
        // rules with wildcards and exceptions, more dots than it records.
        ("http://WWW.EXAMPLE.COM/", "EXAMPLE.COM", "WWW.EXAMPLE.COM"),
        ("http://a..example.com/", "example.com", "a..example.com"),
        ("http://a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.example.com/x", "example.com", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.example.com"),
        ("http:///x", "", ""),
        ("http://www.city.kawasaki.jp/", "city.kawasaki.jp", "www.city.kawasaki.jp"),
        ("http://x.y.kawasaki.jp/p", "x.y.kawasaki.jp", "x.y.kawasaki.jp"),
        ("http://.example.com/", "example.com", "example.com"),
        ("http://example..com/", "", ""),
        ("http://ex-ample.co.uk?x", "ex-ample.co.uk", "ex-ample.co.uk"),
        ("https://a_b.example.com#f", "example.com", "a_b.example.com"),
        ("http://x.example.com", "example.com", "x.example.com"),
        ("http://com/", "", ""),
    ])
    func hostSplitAsTldextract(url: String, registered: String, fqdn: String) throws {
        let list = try Self.suffixes()
        var url = url
        let (r, f) = url.withUTF8 { list.withDomains(ofURL: $0) { (String(decoding: $0, as: UTF8.self), String(decoding: $1, as: UTF8.self)) } }
        #expect(r == registered)
        #expect(f == fqdn)
    }

    private static let list = Result { PublicSuffixList(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: Resources.path("url_filter/public_suffix_list.dat"))))) }
    private static func suffixes() throws -> PublicSuffixList { try list.get() }

    /// A filter whose word lists are `lists` (option name -> lines), written to temporary files.
    private static func filter(_ lists: [String: [String]]) throws -> any Stage {
        var values: [(String, JSONValue)] = []
        for (option, lines) in lists {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("url-\(option)-\(UUID().uuidString).txt").path
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            values.append((option, .array([.string(path)])))
        }
        return try SafetyFixtures.stage(URLFilter.definition, values)
    }

    private static func reason(_ filter: any Stage, _ url: String) -> String {
        var doc = SafetyFixtures.document("", url: url)
        if case let .drop(reason, _, _) = filter.process(&doc) { return reason }
        return "keep"
    }

    @Test func subwordsAreFoundAcrossSeparatorsAndCase() throws {
        let filter = try Self.filter(["banned_subwords": ["Foo Bar-baz", "xyzzy"], "banned_words": [], "soft_banned_words": []])
        #expect(Self.reason(filter, "http://example.com/a/FOO-bar/BAZ.html") == "url_filter:banned_subwords")
        #expect(Self.reason(filter, "http://example.com/x_y_z_z_y") == "url_filter:banned_subwords")
        #expect(Self.reason(filter, "http://example.com/foobarba/z") == "url_filter:banned_subwords")
        #expect(Self.reason(filter, "http://example.com/foobarbaxyzz") == "keep")
        #expect(Self.reason(filter, "xyzz") == "keep")
        // Sub-words shorter than three characters: every place is a candidate.
        let short = try Self.filter(["banned_subwords": ["qx", "longer"], "banned_words": [], "soft_banned_words": []])
        #expect(Self.reason(short, "http://example.com/aq-x") == "url_filter:banned_subwords")
        #expect(Self.reason(short, "http://example.com/lon/ger") == "url_filter:banned_subwords")
        #expect(Self.reason(short, "http://example.com/q") == "keep")
    }

    @Test func wordsOfEveryListedLengthAreLookedUp() throws {
        let filter = try Self.filter([
            "banned_words": ["x", "averyveryverylongbannedword"], "soft_banned_words": ["ab", "cd"], "banned_subwords": [],
        ])
        #expect(Self.reason(filter, "http://example.com/a/x/b") == "url_filter:banned_words")
        #expect(Self.reason(filter, "http://example.com/averyveryverylongbannedword") == "url_filter:banned_words")
        #expect(Self.reason(filter, "http://example.com/X") == "keep")
        #expect(Self.reason(filter, "http://example.com/ab?cd") == "url_filter:soft_banned_words")
        #expect(Self.reason(filter, "http://example.com/abcd") == "keep")
        // A listed word with no letters or digits is the empty word, which a URL holds when it
        // starts or ends with another character (Python's re.split gives it there).
        let empty = try Self.filter(["banned_words": ["--"], "soft_banned_words": [], "banned_subwords": []])
        #expect(Self.reason(empty, "http://example.com/") == "url_filter:banned_words")
        #expect(Self.reason(empty, "/example") == "url_filter:banned_words")
        #expect(Self.reason(empty, "http://example.com/a") == "keep")
    }

    @Test func wordsAreFoundAcrossBlocksOfTheScan() throws {
        // The scan reads 64-byte blocks in loads of eight bytes; words straddle both.
        let filter = try Self.filter(["banned_words": ["straddle", "ab"], "soft_banned_words": [], "banned_subwords": []])
        let prefix = "http://example.com/" + String(repeating: "a", count: 40) + "/"
        for offset in 0..<12 {
            let url = prefix + String(repeating: "b/", count: offset) + "straddle/z"
            #expect(Self.reason(filter, url) == "url_filter:banned_words", "\(url)")
            #expect(Self.reason(filter, url.replacingOccurrences(of: "straddle", with: "straddlex")) == "keep", "\(url)")
        }
        #expect(Self.reason(filter, "ab") == "url_filter:banned_words")
        #expect(Self.reason(filter, "x/ab") == "url_filter:banned_words")
        #expect(Self.reason(filter, "x/abc") == "keep")
        #expect(Self.reason(filter, "1234567/ab") == "url_filter:banned_words")
        #expect(Self.reason(filter, "1234567/abc") == "keep")
    }

    @Test func missingListNamesTheOption() {
        let error = #expect(throws: OptionError.self) {
            try SafetyFixtures.stage(URLFilter.definition, [("domains", .array([.string("no-such-file.txt")]))])
        }
        #expect(error?.key == "domains")
    }
}

@Suite struct ListedWordAutomatonTests {
    private func found(_ automaton: ListedWordAutomaton, _ text: String) -> [String] {
        var words: [String] = []
        Array(text.utf8).withUnsafeBufferPointer { text in
            automaton.forEachWord(in: text) { words.append(String(decoding: automaton.words[$0], as: UTF8.self)) }
        }
        return words
    }

    @Test func findsListedWordsBetweenSeparators() {
        let automaton = ListedWordAutomaton(words: ["porn", "por", "xxx", "porn", "q1"].map { Array($0.utf8) })
        #expect(automaton.words.count == 4)
        #expect(found(automaton, "http://porn.com/por/xxx-q1") == ["porn", "por", "xxx", "q1"])
        #expect(found(automaton, "Porn/porno/pornx/xporn/po/q") == [])
        #expect(found(automaton, "porn") == ["porn"])
        #expect(found(automaton, "a/porn/") == ["porn"])
        // Bytes of non-ASCII characters separate words.
        #expect(found(automaton, "xxx\u{e9}xxx") == ["xxx", "xxx"])
        #expect(found(automaton, "") == [])
    }

    /// The bytes go to `alongside` once each, in order, also in the blocks stepped again
    /// because a listed word ended in them.
    @Test func alongsideGetsEveryByteOnce() {
        let automaton = ListedWordAutomaton(words: [Array("ab".utf8)])
        for length in 0...40 {
            let text = Array((0..<length).map { k in Array("ab/xy-ab.q".utf8)[k % 10] })
            var seen: [UInt8] = []
            var words = 0
            text.withUnsafeBufferPointer { automaton.forEachWord(in: $0, alongside: { seen.append($0) }) { _ in words += 1 } }
            #expect(seen == text)
            // "ab" at 0 (later periods read "qab"), and "ab" at 6 of every period.
            #expect(words == (length >= 2 ? 1 : 0) + (length + 2) / 10)
        }
    }

    /// A text holds the empty word where it starts or ends with a separator.
    @Test func emptyWordIsFoundAtTheEdgesOnly() {
        let automaton = ListedWordAutomaton(words: [[], Array("ab".utf8)])
        #expect(found(automaton, "/ab//x/") == ["", "ab", ""])
        #expect(found(automaton, "ab//x") == ["ab"])
        #expect(found(automaton, "/") == ["", ""])
    }

    @Test func everyWordOfTheBundledListsIsFound() throws {
        let words = try ["banned_words.txt", "soft_banned_words.txt"].flatMap { name in
            try SafetyFixtures.text("../../../resources/url_filter/\(name)").split(separator: "\n")
                .filter { !$0.hasPrefix("#") }.map { Array($0.utf8).withUnsafeBufferPointer(URLFilter.normalizedWord) }
        }
        let automaton = ListedWordAutomaton(words: words)
        #expect(automaton.words.count == 290)
        for word in automaton.words {
            let text = String(decoding: word, as: UTF8.self)
            #expect(found(automaton, "http://example.com/\(text)-\(text)?q=1") == [text, text])
            #expect(found(automaton, "http://example.com/\(text)\(text)") == (words.contains(word + word) ? [text + text] : []))
        }
    }
}
