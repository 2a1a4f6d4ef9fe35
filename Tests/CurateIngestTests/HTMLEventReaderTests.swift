import CLibXML2
@testable import CurateIngest
import Testing

/// The events a reader reports, one string each: `+name [attr=value …]`, `-`, `"text"`, `!name`.
private struct Recorder: HTMLEventSink {
    var events: [String] = []

    mutating func startElement(_ name: UnsafePointer<UInt8>, _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
        var event = "+" + String(cString: name)
        var k = 0
        while let attributes, let attribute = attributes[k] {
            event += " \(String(cString: attribute))=" + (attributes[k + 1].map { String(cString: $0) } ?? "nil")
            k += 2
        }
        events.append(event)
    }

    mutating func endElement() { events.append("-") }

    mutating func characters(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
        events.append("\"" + String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self) + "\"")
    }

    mutating func endTagMismatch(_ name: UnsafePointer<UInt8>) { events.append("!" + String(cString: name)) }
}

private func events(_ page: String) -> [String]? {
    var recorder = Recorder()
    let read = Array(page.utf8).withUnsafeBufferPointer { HTMLEventReader.read($0, into: &recorder) }
    return read ? recorder.events : nil
}

/// The events libxml2's parser reports for the page, recorded the same way.
private func libxml2Events(_ page: String) -> [String] {
    final class Box { var recorder = Recorder() }
    let box = Box()
    let bytes = Array(page.utf8)
    guard let context = htmlNewParserCtxt() else { return [] }
    defer { htmlFreeParserCtxt(context) }
    let sax = context.pointee.sax!
    sax.pointee = htmlSAXHandler()
    sax.pointee.initialized = XML_SAX2_MAGIC
    sax.pointee.startElement = { context, name, attributes in
        var kept: [UnsafePointer<UInt8>?] = []
        var k = 0
        while let attributes, let name = attributes[k] {
            if InterestingAttributes.names.contains(String(cString: name)) { kept += [name, attributes[k + 1]] }
            k += 2
        }
        kept += [nil, nil]
        let box = Unmanaged<Box>.fromOpaque(context!.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private!)
            .takeUnretainedValue()
        let reported = kept.count > 2
        kept.withUnsafeMutableBufferPointer { box.recorder.startElement(name!, reported ? $0.baseAddress! : nil) }
    }
    sax.pointee.endElement = { context, _ in
        Unmanaged<Box>.fromOpaque(context!.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private!)
            .takeUnretainedValue().recorder.endElement()
    }
    sax.pointee.characters = { context, bytes, count in
        Unmanaged<Box>.fromOpaque(context!.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private!)
            .takeUnretainedValue().recorder.characters(bytes!, Int(count))
    }
    sax.pointee.ignorableWhitespace = sax.pointee.characters
    sax.pointee.cdataBlock = sax.pointee.characters
    sax.pointee.serror = { context, error in
        guard let error, error.pointee.code == Int32(XML_ERR_TAG_NAME_MISMATCH.rawValue), let name = error.pointee.str1 else { return }
        UnsafeRawPointer(name).withMemoryRebound(to: UInt8.self, capacity: 1) { name in
            Unmanaged<Box>.fromOpaque(context!.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private!)
                .takeUnretainedValue().recorder.endTagMismatch(name)
        }
    }
    withExtendedLifetime(box) {
        context.pointee._private = Unmanaged.passUnretained(box).toOpaque()
        _ = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlCtxtReadMemory(context, $0, Int32(buffer.count), nil, "UTF-8", PageWalker.options)
            }
        }
    }
    return box.recorder.events
}

/// The page walked from the reader's events and from libxml2's, whole.
private func walks(_ page: [UInt8]) -> (reader: Walk?, libxml2: Walk) {
    page.withUnsafeBufferPointer { bytes in
        (PageWalker.walkWithReader(bytes).map(Walk.init), Walk(PageWalker.walkWithLibXML2(bytes)))
    }
}

@Suite struct HTMLEventReaderTests {
    /// Pages that take the less common ways through libxml2's parser, each read by both.
    let crafted = [
        "<p>a<p>b", "<title>T</title>text", "  <!-- c --> <html>\n<head>\n</head>",
        "<div><table><tr><td>x</div>y</table>z", "<b><i>x</b></nav>", "<body><body class=x></body><div/>t",
        "<div CLASS='a &amp; b' class=dup Id=main hidden data-x=\"&bogus\" style = \"color:red\">",
        "<link rel=canonical href=/x?a=1&b=2&#x41;>", "<p>&amp;&nbsp x&unknown;&#0;&#x1F600;&",
        "<p>a<!-- x --!>b<!---->c<? pi ?>d<?php echo 1 ?>e<![if x]>f", "<script>if (a</b) x = '</scriptx>';</SCRIPT>t",
        "<p>" + String(repeating: "\u{E9}", count: 700) + "\u{1}x", "<a><a>x</a><td>y<p>z<form><form>",
        "<html><head><meta charset=utf-8><style>p{}</style></head></html><p>after", "</ p>x</>y<3 <_z",
        "<ul><li>a<li>b</ul><dl><dt>t<dd>d</dl><select><option>1<option>2</select>",
        "<div>unterminated <span class=\"a", "<!DOCTYPE html SYSTEM 'x>'><p>x", "text \r\n" + String(repeating: " ", count: 999) + "\r\n<p>",
        "<p>a<xmp>b<ul>c", "<head><listing>x", "<xmp>a<dl>b", "<p>a<xmp>b</p>c", "<p>a<xmp.x>b", "<head><xmp></xmp>y",
    ]

    @Test func reportsWhatLibXML2Reports() {
        for page in crafted {
            #expect(events(page) == libxml2Events(page), "\(page)")
        }
    }

    @Test func impliesElementsAndClosesParagraphs() {
        #expect(events("<p>a<p>b") == ["+html", "+body", "+p", "\"a\"", "-", "+p", "\"b\"", "-", "-", "-"])
        #expect(events("<title>T</title>text") == ["+html", "+head", "+title", "\"T\"", "-", "-", "+body", "+p", "\"text\"",
                                                     "-", "-", "-"])
        #expect(events("  <!-- c --> <html>\n<head>\n</head>") == ["+html", "\"\n\"", "+head", "\"\n\"", "-", "-"])
    }

    @Test func endTagsFollowLibXML2sPriorities() {
        // </div> cannot close the open table (it ranks higher), so it is dropped; </table> closes the cell and row.
        #expect(events("<div><table><tr><td>x</div>y</table>z") == [
            "+html", "+body", "+div", "+table", "+tr", "+td", "\"x\"", "!div", "\"y\"", "-", "-", "-", "\"z\"", "-", "-", "-",
        ])
        // </b> closes the i inside it, reporting it unclosed; </nav>, unknown and not open, is reported.
        #expect(events("<b><i>x</b></nav>") == ["+html", "+body", "+b", "+i", "\"x\"", "!b", "-", "-", "!nav", "-", "-"])
        // A misplaced body is dropped with its end tag; <div/> ends at once.
        #expect(events("<body><body class=x></body><div/>t") == ["+html", "+body", "+div", "-", "\"t\"", "-", "-"])
    }

    @Test func readsAttributesAsLibXML2Does() {
        #expect(events("<div CLASS='a &amp; b' class=dup Id=main hidden data-x=\"&bogus\" style = \"color:red\">") == [
            "+html", "+body", "+div class=a & b id=main hidden=nil style=color:red", "-", "-", "-",
        ])
        #expect(events("<link rel=canonical href=/x?a=1&b=2&#x41;>") == [
            "+html", "+head", "+link rel=canonical href=/x?a=1&b=2A", "-", "-", "-",
        ])
    }

    @Test func readsReferencesCommentsAndScripts() {
        #expect(events("<p>&amp;&nbsp x&unknown;&#0;&#x1F600;&") == [
            "+html", "+body", "+p", "\"&\"", "\"&\"", "\"nbsp\"", "\" x\"", "\"&\"", "\"unknown\"", "\";\"", "\"😀\"", "\"&\"",
            "-", "-", "-",
        ])
        // A processing instruction needs a target right after `<?`; `<!` that opens no comment is text.
        #expect(events("<p>a<!-- x --!>b<!---->c<? pi ?>d<?php 1 ?>e<![if x]>f") == [
            "+html", "+body", "+p", "\"a\"", "\"b\"", "\"c\"", "\" pi ?>d\"", "\"e\"", "\"<\"", "\"![if x]>f\"", "-", "-", "-",
        ])
        // A script ends at the first `</script` in any case, even `</scriptx>`, an end tag reported and dropped.
        #expect(events("<script>if (a</b) x = '</scriptx>';</SCRIPT>t") == [
            "+html", "+head", "+script", "!script", "\"if (a</b) x = '\"", "!scriptx", "\"';\"", "-", "-",
            "+body", "+p", "\"t\"", "-", "-", "-",
        ])
    }

    @Test func cutsTextWhereLibXML2Does() {
        let long = String(repeating: "é", count: 700)
        let pieces = events("<p>" + long + "\u{1}x")?.dropFirst(3).dropLast(3).map(\.utf8.count)
        // 1,000 bytes is reached inside a character: the piece ends after it (500 é = 1,000 bytes,
        // then 200 é and "x" without the control character).
        #expect(pieces == [1002, 403])
    }

    /// Pages whose reading this reader does not model are declined.
    @Test func declinesWhatItDoesNotModel() {
        #expect(events("<p>a\u{0}b") == nil)
        #expect(events("\u{FEFF}<p>a") == nil)
        #expect(events("<p>&caf\u{E9};") == nil)
        #expect(events("<" + String(repeating: "x", count: 100) + ">") == nil)
        #expect(events("<" + String(repeating: "x", count: 99) + ">") != nil)
    }

    /// A page that is not valid UTF-8 is read by libxml2 (which passes the stray byte on).
    @Test func leavesInvalidUTF8ToLibXML2() {
        let page: [UInt8] = Array("<p>caf".utf8) + [0xE9] + Array("</p>".utf8)
        let walked = PageWalker.walk(page)
        #expect(walked.text == [0x63, 0x61, 0x66, 0xE9])
        #expect(Walk(walked) == Walk(page.withUnsafeBufferPointer { PageWalker.walkWithLibXML2($0) }))
    }

    /// The walk from the reader's events is the walk from libxml2's on crafted pages.
    @Test func walksCraftedPagesAsLibXML2() {
        let pages = [
            "<html><head><title> A  title </title><link rel='canonical' href='https://e.com/a'></head><body><nav>menu</nav>"
                + "<article><h1>Head</h1><p>One<br>two</p><section>in</section></article></body></html>",
            "<header><div>x</header><p>after</p>",
            "<table><tr><td>a<td>b<tr><td>c</table><ul><li>1<li>2</ul><pre>\n  kept\r\n  </pre>",
            "text before <b>bold</b> &copy; 2024 <div hidden>gone</div><div style='display:none'>gone</div>",
            "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\" \"x>y\"><html lang=en><body>\u{C}ctl\u{FFFE} <p>\r</p>",
            String(repeating: " ", count: 1500) + "<p>" + String(repeating: "word ", count: 400) + "</p>",
            "<head><p>text in head</p></head><body><body><p>x</p></body></body></html><p>after html",
        ]
        for page in pages {
            let (reader, libxml2) = walks(Array(page.utf8))
            #expect(reader == libxml2, "\(page)")
        }
    }

    /// Every fixture page is read, none declined, and walks as libxml2's reading of it does.
    @Test func walksEveryFixturePageAsLibXML2() throws {
        let pages = try WalkFixtures.pages()
        #expect(pages.count == 29)
        for (name, page) in pages {
            let (reader, libxml2) = walks(page)
            #expect(reader == libxml2, "\(name)")
        }
    }
}

@Suite struct HTMLParserTablesTests {
    let rules = HTMLParserTables.shared

    private func id(_ name: String) -> HTMLParserTables.ID {
        let bytes = Array(name.utf8)
        return bytes.withUnsafeBufferPointer {
            rules.id(key: PackedNames<Int>.key($0.baseAddress!, count: min(8, $0.count)), count: $0.count, at: $0.baseAddress!)
        }
    }

    @Test func knowsLibXML2sElements() {
        #expect(HTMLParserTables.names.count == 92)
        #expect(id("xmp") >= 0 && id("listing") >= 0 && !rules.isEmpty[Int(id("xmp"))])
        #expect(id("blockquote") >= 0 && id("p") >= 0 && id("section") == HTMLParserTables.unknown)
        #expect(HTMLParserTables.names.filter { rules.isEmpty[Int(id($0))] } == [
            "area", "base", "basefont", "br", "col", "frame", "hr", "img", "input", "isindex", "link", "meta", "param",
        ])
    }

    /// Which start tags close an open element of their own name (empty elements are never open),
    /// and how many pairs of different elements close: libxml2 2.9.14's table has 251 pairs, 11
    /// of them one element twice.
    @Test func readsTheAutoCloseTable() {
        let names = HTMLParserTables.names + HTMLParserTables.namesOnlyAutoClosed
        #expect(names.filter { rules.closes(id($0), id($0)) && !rules.isEmpty[Int(id($0))] } == [
            "a", "colgroup", "form", "li", "option", "p", "tbody", "td", "th", "tr",
        ])
        let pairs = names.flatMap { new in names.filter { $0 != new }.map { old in rules.closes(id(new), id(old)) } }
        #expect(pairs.filter { $0 }.count == 240)
        #expect(rules.closes(id("div"), id("p")) && !rules.closes(id("span"), id("p")))
    }
}
