import CurateCore
@testable import CurateIngest
import Foundation
import Testing

/// The page elided, and each checkpoint as position, body elided or not, emptied attributes.
private func elide(_ html: String) -> (text: String, checkpoints: [String])? {
    let bytes = Array(html.utf8)
    return bytes.withUnsafeBufferPointer { MarkupElision($0) }.map { elision in
        (String(decoding: elision.bytes, as: UTF8.self), elision.checkpoints.map { checkpoint in
            "\(checkpoint.position)\(checkpoint.body ? " body" : "")"
                + checkpoint.emptied.map { " " + String(decoding: $0, as: UTF8.self) }.joined()
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
        let page = "<html><head><script type=\"text/javascript\">\(body)</script><STYLE>\(body)</Style>"
            + "<script>short()</script></head><body><p>Text</p><script>\(body)"
        let (text, checkpoints) = try #require(elide(page))
        #expect(text == "<html><head><script type=\"text/javascript\"></script><STYLE></Style><script>short()</script></head><body><p>Text</p><script>")
        #expect(checkpoints == ["42 body", "58 body", "122 body"])
    }

    @Test func emptiesLongValuesOfAttributesTheWalkerDoesNotRead() throws {
        let url = "https://example.org/" + String(repeating: "image-", count: 10) + ".png"
        let classes = String(repeating: "wide ", count: 13)
        let page = "<p><IMG SRC=\"\(url)\" alt='short' class=\"\(classes)\" data-x = '\(url)'><img src='\(url)'/>"
            + "<a href=\"\(url)\" title=\(url)>x</a><b data-y=\"\(url)\" data-y=\"\(url)\">y</b><script src=\"\(url)\">\(body)</script>"
        let (text, checkpoints) = try #require(elide(page))
        #expect(text == "<p><IMG SRC=\"\" alt='short' class=\"\(classes)\" data-x = ''><img src=''/>"
            + "<a href=\"\(url)\" title=\(url)>x</a><b data-y=\"\" data-y=\"\(url)\">y</b><script src=\"\"></script>")
        #expect(checkpoints == ["112 src data-x", "124 src", "423 data-y", "443 body src"])
    }

    @Test func leavesBodiesThatLibxml2MayReadOtherwise() {
        // In a comment; self-closed; starting with a tag; holding a control character; a longer
        // tag name; a ">" inside a quoted attribute value is not the end of the tag.
        #expect(elide("<!-- <script>\(body)</script> -->") == nil)
        #expect(elide("<script src=\"a.js\"/>\(body)</script>") == nil)
        #expect(elide("<script><p>\(body)</script>") == nil)
        #expect(elide("<script>\u{1}\(body)</script>") == nil)
        #expect(elide("<scripts>\(body)</scripts>") == nil)
        #expect(elide("<script data-x='a>b'>\(body)</script>")?.text == "<script data-x='a>b'></script>")
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
        #expect(elided == 647)
    }
}
