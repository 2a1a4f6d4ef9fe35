import CurateCore
@testable import CurateIngest
import Foundation
import Testing

/// The page elided, and each checkpoint as position, body elided or not, attributes left.
private func elide(_ html: String) -> (text: String, checkpoints: [String])? {
    let bytes = Array(html.utf8)
    return bytes.withUnsafeBufferPointer { MarkupElision($0) }.map { elision in
        (String(decoding: elision.bytes, as: UTF8.self), elision.checkpoints.map { checkpoint in
            "\(checkpoint.position)\(checkpoint.body ? " body" : "") \(checkpoint.attributes)"
        })
    }
}

@Suite struct MarkupElisionTests {
    let body = String(repeating: "if (a < b && c > d) { x = '</div>'; } ", count: 3)

    @Test func elidesLongScriptAndStyleBodiesOnly() throws {
        let page = "<html><head><script>\(body)</script><STYLE>\(body)</Style>"
            + "<script>short()</script></head><body><p>Text</p><script>\(body)"
        let (text, checkpoints) = try #require(elide(page))
        #expect(text == "<html><head><script></script><STYLE></Style><script>short()</script></head><body><p>Text</p><script>")
        #expect(checkpoints == ["19 body 0", "35 body 0", "99 body 0"])
    }

    @Test func takesOutAttributesTheWalkerDoesNotRead() throws {
        let page = "<p><IMG SRC=\"a.png\" alt='short' data-x = 'y'/><a href=\"/x\" title=t>x</a><script src=\"a.js\" async>\(body)</script>"
            + "<link rel=\"canonical\" type=\"text/html\" href=\"https://example.org/\">"
            + "<span class=\"a &amp; b\" data-y=\"1\" class=\"c\">z</span>"
        let (text, checkpoints) = try #require(elide(page))
        #expect(text == "<p><IMG/><a>x</a><script></script><link rel=\"canonical\"  href=\"https://example.org/\">"
            + "<span class=\"a &amp; b\"  class=\"c\">z</span>")
        #expect(checkpoints == ["7 0", "11 0", "24 body 0", "84 2", "119 1"])
    }

    @Test func putsTheHintOfTheAttributesInTheirPlace() throws {
        let page = "<div class=\"main-nav wide\" id=\"top\"><div id=\"content\" data-x=1><span style=\"Display: None\">"
            + "<p aria-hidden=\"true\" lang=\"en\"><div itemprop=\"articleBody\" class=\"entry\"><div class=\"hidden\">"
            + "<input class=\"sidebar-x\"/>"
        let (text, checkpoints) = try #require(elide(page))
        #expect(text == "<div class='nav'><div class='content'><span hidden><p hidden><div itemprop='articlebody'><div hidden>"
            + "<input class='nav'/>")
        #expect(checkpoints == ["16 1", "37 1", "50 1", "60 1", "88 1", "100 1", "119 1"])
    }

    @Test func keepsTheAttributesOfHTMLHeadAndBody() {
        #expect(elide("<html lang=\"en\" dir=\"ltr\"><head profile=\"x\"><body class=\"home\" onload=\"f()\"><p>x</p>") == nil)
    }

    @Test func skipsWhatLibxml2SkipsInATag() throws {
        // "@click" is no name: libxml2 skips it up to the next blank, then reads "open" and "true\"".
        let (text, checkpoints) = try #require(elide("<button @click=\"open = true\" class=\"x\">b</button><div :a=\"1\">c</div>"))
        #expect(text == "<button>b</button><div>c</div>")
        #expect(checkpoints == ["7 0", "22 0"])
    }

    @Test func collapsesBlanksInTextBeforeTheFirstPre() throws {
        let (text, checkpoints) = try #require(elide("<p>a   b\n\n c</p>\n  <!-- x   y -->  <p>d  </p  >  <pre>e   f</pre> <p>g  h</p>"))
        #expect(text == "<p>a b\nc</p>\n<!-- x   y --> <p>d </p  > <pre>e   f</pre> <p>g  h</p>")
        #expect(checkpoints.isEmpty)
    }

    /// Long runs of text become markers, restored from the page; runs with an `&`, a carriage
    /// return or a control character, blank ones, short ones, ones before a `<` that is not
    /// markup and ones after the first `<pre` stay (blanks collapsed where they may be).
    @Test func replacesRunsOfPlainTextWithMarkers() throws {
        let page = Array(("<title>A title of the page</title><p>Plain text, long enough \u{E9}t\u{E9}.</p>"
            + "<p>Fish &amp; chips   served</p>\n      \n<p>short</p><p>a\rcarriage return here</p><p>a bell\u{7} in a long run</p>"
            + "<p>if 1 < 2 then more text</p><p>tab\there and line\nfeed</p><pre>after the pre element</pre>").utf8)
        let elision = try #require(page.withUnsafeBufferPointer { MarkupElision($0) })
        let marker = "\u{10FFFD}"
        #expect(String(decoding: elision.bytes, as: UTF8.self) == "<title>\(marker)</title><p>\(marker)</p>"
            + "<p>Fish &amp; chips served</p>\n<p>short</p><p>a\rcarriage return here</p><p>a bell\u{7} in a long run</p>"
            + "<p>if 1 < 2 then more text</p><p>\(marker)</p><pre>after the pre element</pre>")
        #expect(elision.textRuns.map { String(decoding: page[$0], as: UTF8.self) }
            == ["A title of the page", "Plain text, long enough \u{E9}t\u{E9}.", "tab\there and line\nfeed"])
        let walked = page.withUnsafeBufferPointer { PageWalker.walkWithLibXML2($0) }
        #expect(walked.restoredTextRuns == 3 && !walked.misplacedMarker)
        #expect(Walk(walked) == Walk(page.withUnsafeBufferPointer { PageWalker.walk($0, checkpoints: []) }))
        #expect(walked.title == "A title of the page")
    }

    /// A page that holds the marker keeps its text; a marker reported with other text, or more
    /// markers than runs, make the walk parse the page whole.
    @Test func markersAreCheckedAgainstThePage() throws {
        let holding = Array("<p>Plain text, long enough, and \u{10FFFD} in it</p><p>Another plain run of text</p>".utf8)
        #expect(holding.withUnsafeBufferPointer { MarkupElision($0) } == nil)
        let page = Array("<p>Plain text, long enough to replace</p>".utf8)
        let elided = Array("<p>\u{10FFFD}</p><p>\u{10FFFD}</p><p>x\u{10FFFD}</p>".utf8)
        let (extra, mixed) = page.withUnsafeBufferPointer { original in
            elided.withUnsafeBufferPointer { bytes in
                (PageWalker.walk(bytes, checkpoints: [], textRuns: [3..<37], of: original),
                 PageWalker.walk(bytes, checkpoints: [], textRuns: [3..<37, 3..<37], of: original))
            }
        }
        #expect(extra.restoredTextRuns == 1 && extra.misplacedMarker && !extra.confirmedAllElisions)
        #expect(mixed.restoredTextRuns == 2 && mixed.misplacedMarker && !mixed.confirmedAllElisions)
        #expect(String(decoding: mixed.text, as: UTF8.self) == "Plain text, long enough to replacePlain text, long enough to replace")
    }

    @Test func leavesBodiesThatLibxml2MayReadOtherwise() {
        // In a comment; self-closed; starting with a tag; holding a control character; a longer
        // tag name; a ">" inside a quoted attribute value is not the end of the tag.
        #expect(elide("<!-- <script>\(body)</script> -->") == nil)
        #expect(elide("<script/>\(body)</script>") == nil)
        #expect(elide("<script><p>\(body)</script>") == nil)
        #expect(elide("<script>\u{1}\(body)</script>") == nil)
        #expect(elide("<scripts>\(body)</scripts>") == nil)
        #expect(elide("<script data-x='a>b'>\(body)</script>")?.text == "<script></script>")
        #expect(elide("<p class=\"x\" data-x=\"\u{0}\">\(body)") == nil)
    }

    @Test func leavesBodiesWithControlCharactersOrNonCharacters() {
        let plain = Array(body.utf8)
        for position in 0..<plain.count {
            for odd in ["\u{0}", "\u{1}", "\u{1F}", "\u{FFFE}", "\u{FFFF}"] {
                var bytes = plain
                bytes.insert(contentsOf: Array(odd.utf8), at: position)
                #expect(elide("<script>" + String(decoding: bytes, as: UTF8.self) + "</script>") == nil, "\(odd) at \(position)")
            }
        }
        let tame = "\t\n\r é ï \u{FEFF} \u{FFFD} " + body
        #expect(elide("<script>\(tame)</script>")?.text == "<script></script>")
    }

    /// The page walked with its elidable bytes taken out is the page walked whole, on every HTML fixture
    /// and every page of the WARC fixtures; and elision does happen.
    @Test func walksEveryFixturePageAsTheWholePage() throws {
        let pages = try WalkFixtures.pages()
        #expect(pages.count == 29)
        var elided = 0, runs = 0
        for (name, page) in pages {
            page.withUnsafeBufferPointer { bytes in
                let walked = PageWalker.walkWithLibXML2(bytes)
                #expect(Walk(walked) == Walk(PageWalker.walk(bytes, checkpoints: [])), "\(name)")
                if let elision = MarkupElision(bytes) {
                    #expect(walked.confirmedElisions == elision.checkpoints.count, "\(name)")
                    #expect(walked.restoredTextRuns == elision.textRuns.count && !walked.misplacedMarker, "\(name)")
                    elided += elision.checkpoints.count
                    runs += elision.textRuns.count
                }
            }
        }
        #expect(elided == 10425)
        #expect(runs == 2006)
    }
}
