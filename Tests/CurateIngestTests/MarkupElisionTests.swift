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

/// What the extractor sees of a page: its text, blocks, block-level elements and head fields.
private struct Walk: Equatable {
    let text: [UInt8]
    let blocks: [Range<Int>]
    let spans: [Range<Int>]
    let head: [String?]

    init(_ walker: PageWalker) {
        text = walker.text
        blocks = walker.blocks.map(\.range)
        spans = walker.spans.map(\.blocks)
        head = [walker.title, walker.lang, walker.canonicalURL]
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
        var pages: [(String, [UInt8])] = []
        let html = HTMLFixtures.folder
        for relative in try FileManager.default.subpathsOfDirectory(atPath: html).sorted()
        where relative.hasSuffix(".html") || relative.hasSuffix(".html.gz") {
            pages.append((relative, try HTMLFixtures.document(relative).text))
        }
        let warc = URL(fileURLWithPath: html).deletingLastPathComponent().appendingPathComponent("warc").path
        for name in ["cc-2020-34-resiliparse-50rec.warc.gz", "cc-2024-22-whirlwind.warc.gz"] {
            let file = InputFile(id: 1, displayPath: name, path: warc + "/" + name, size: 0, sha256: String(repeating: "0", count: 64))
            var source = try WARCFormat().open(file)
            while let item = source.next() {
                if case let .record(record) = item, let document = try? WARCFormat().decode(record, from: file) {
                    pages.append(("\(name)@\(record.offset)", document.text))
                }
            }
        }
        #expect(pages.count == 29)
        var elided = 0
        for (name, page) in pages {
            page.withUnsafeBufferPointer { bytes in
                let walked = PageWalker.walk(bytes)
                #expect(Walk(walked) == Walk(PageWalker.walk(bytes, checkpoints: [])), "\(name)")
                if let elision = MarkupElision(bytes) {
                    #expect(walked.confirmedElisions == elision.checkpoints.count, "\(name)")
                    elided += elision.checkpoints.count
                }
            }
        }
        #expect(elided == 10425)
    }
}
