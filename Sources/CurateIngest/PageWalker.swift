import CLibXML2
import CurateCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads a page from the events of libxml2's HTML parser in streaming (SAX) mode, as
/// `HTMLEventReader` reports them or (for the pages it declines) libxml2 itself, so that no tree
/// is built and any depth of nesting is safe; splits its visible text into blocks with white
/// space collapsed and notes the block-level elements around the blocks and the page's title,
/// language and canonical URL.
struct PageWalker {
    /// The text of every block, one after the other.
    private(set) var text: [UInt8] = []
    private(set) var blocks: [TextBlock] = []
    /// Every block-level element that was not dropped, parents before children.
    private(set) var spans: [ElementSpan] = []
    private(set) var title: String?
    private(set) var lang: String?
    private(set) var canonicalURL: String?

    private struct Frame {
        var tag: HTMLTag
        /// The element's index in `spans`, for block-level elements.
        var span: Int
        /// Whether its end tag came while libxml2 kept it open (see `HTMLTag.closesLate`); its
        /// span then ends there.
        var endedEarly = false
    }

    private var frames: [Frame] = []
    /// The indices in `frames` of the open elements that libxml2 may close late.
    private var lateFrames: [Int] = []
    /// The tags of the open block-level elements, innermost last.
    private var blockTags: [HTMLTag] = []
    /// How many elements deep the parser is inside a dropped element.
    private var skipDepth = 0
    private var titleBytes: [UInt8]?
    private var blockStart = 0
    private var weight = 0
    private var linkWeight = 0
    private var sentenceEnds = 0
    private var pendingSpace = false
    private var pendingCell = false
    private var pendingBreaks = 0
    private var linkDepth = 0
    private var preDepth = 0
    private var headDepth = 0

    static let options = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)

    /// libxml2 sets up its global state once, before any thread parses.
    static let libxml2Ready: Bool = {
        xmlInitParser()
        return true
    }()

    /// Walks the page `html`: read by `HTMLEventReader` if it is valid UTF-8 (the reader follows
    /// libxml2 on valid UTF-8 only) and the reader does not decline it, else by libxml2.
    static func walk(_ html: [UInt8]) -> PageWalker {
        html.withUnsafeBufferPointer { bytes in
            (UTF8Bytes.isValid(html) ? walkWithReader(bytes) : nil) ?? walkWithLibXML2(bytes)
        }
    }

    /// Walks the page `html`, valid UTF-8, read by `HTMLEventReader`; nil if it declines it.
    static func walkWithReader(_ html: UnsafeBufferPointer<UInt8>) -> PageWalker? {
        var walker = PageWalker()
        guard HTMLEventReader.read(html, into: &walker) else { return nil }
        walker.endBlock()
        return walker
    }

    /// Walks the page `html`, valid UTF-8, with libxml2's parser.
    static func walkWithLibXML2(_ html: UnsafeBufferPointer<UInt8>) -> PageWalker {
        var walker = PageWalker()
        guard libxml2Ready, let base = html.baseAddress, html.count > 0, html.count < Int(Int32.max),
              let context = htmlNewParserCtxt()
        else { return walker }
        defer { htmlFreeParserCtxt(context) }
        let sax = context.pointee.sax!
        sax.pointee = htmlSAXHandler()
        sax.pointee.initialized = XML_SAX2_MAGIC
        sax.pointee.startElement = { context, name, attributes in
            guard let name else { return }
            Self.of(context).pointee.start(name, attributes)
        }
        sax.pointee.endElement = { context, _ in Self.of(context).pointee.end() }
        sax.pointee.characters = { context, bytes, count in
            if let bytes { Self.of(context).pointee.take(bytes, Int(count)) }
        }
        sax.pointee.serror = { context, error in
            guard let error, error.pointee.code == Int32(XML_ERR_TAG_NAME_MISMATCH.rawValue), let name = error.pointee.str1
            else { return }
            UnsafeRawPointer(name).withMemoryRebound(to: UInt8.self, capacity: 1) { Self.of(context).pointee.endTagMet($0) }
        }
        sax.pointee.ignorableWhitespace = sax.pointee.characters
        sax.pointee.cdataBlock = sax.pointee.characters
        withUnsafeMutablePointer(to: &walker) { pointer in
            context.pointee._private = UnsafeMutableRawPointer(pointer)
            _ = base.withMemoryRebound(to: CChar.self, capacity: html.count) {
                htmlCtxtReadMemory(context, $0, Int32(html.count), nil, "UTF-8", options)
            }
            context.pointee._private = nil
        }
        walker.endBlock()
        return walker
    }

    /// The walker of a parser context given to a SAX callback.
    private static func of(_ context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<PageWalker> {
        context!.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private.assumingMemoryBound(to: PageWalker.self)
    }

    /// Starts an element, given its name and its attributes as name, value pairs.
    private mutating func start(_ name: UnsafePointer<UInt8>, _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
        if skipDepth > 0 {
            skipDepth += 1
            return
        }
        let tag = HTMLTag(name: name)
        if tag.isDropped {
            skipDepth = 1
            return
        }
        var classes: UnsafePointer<UInt8>?
        var id: UnsafePointer<UInt8>?
        var role: UnsafePointer<UInt8>?
        var itemprop: UnsafePointer<UInt8>?
        var style: UnsafePointer<UInt8>?
        var rel: UnsafePointer<UInt8>?
        var href: UnsafePointer<UInt8>?
        var hidden = false
        var k = 0
        while let attributes, let attributeName = attributes[k] {
            let value = attributes[k + 1]
            k += 2
            switch attributeName[0] | 0x20 {
            case UInt8(ascii: "c"):
                if Self.equals(attributeName, "class") { classes = value }
            case UInt8(ascii: "i"):
                if Self.equals(attributeName, "id") {
                    id = value
                } else if Self.equals(attributeName, "itemprop") {
                    itemprop = value
                }
            case UInt8(ascii: "r"):
                if Self.equals(attributeName, "role") {
                    role = value
                } else if tag == .link, Self.equals(attributeName, "rel") {
                    rel = value
                }
            case UInt8(ascii: "s"):
                if Self.equals(attributeName, "style") { style = value }
            case UInt8(ascii: "h"):
                if Self.equals(attributeName, "hidden") {
                    hidden = true
                } else if tag == .link, Self.equals(attributeName, "href") {
                    href = value
                }
            case UInt8(ascii: "a"):
                if Self.equals(attributeName, "aria-hidden"), let value, Self.equals(value, "true") { hidden = true }
            case UInt8(ascii: "l"), UInt8(ascii: "x"):
                if tag == .html, lang == nil, let value,
                   Self.equals(attributeName, "lang") || Self.equals(attributeName, "xml:lang")
                {
                    lang = Self.string(value)
                }
            default:
                break
            }
        }
        let hint = tag == .html || tag == .body
            ? .none
            : ElementHint.of(classes: Self.value(classes), id: Self.value(id), role: Self.value(role),
                             itemprop: Self.value(itemprop), style: Self.value(style), hidden: hidden)
        if (hint == .hidden && !tag.closesLate) || (hint == .boilerplate && !tag.isBlock) {
            skipDepth = 1
            return
        }
        switch tag {
        case .title:
            if title == nil { titleBytes = [] }
            skipDepth = 1
            return
        case .link:
            if canonicalURL == nil, let rel, let href,
               Self.string(rel)?.lowercased().split(separator: " ").contains("canonical") == true
            {
                canonicalURL = Self.string(href)
            }
        case .br:
            if text.count > blockStart { pendingBreaks += 1 }
        case .hr:
            endBlock()
        case .head: headDepth += 1
        case .a: linkDepth += 1
        case .pre: preDepth += 1
        case .td, .th: pendingCell = text.count > blockStart
        default: break
        }
        var span = -1
        if tag.isBlock {
            endBlock()
            span = spans.count
            spans.append(ElementSpan(tag: tag, hint: hint, blocks: blocks.count..<blocks.count))
            blockTags.append(tag)
        }
        if tag.closesLate { lateFrames.append(frames.count) }
        frames.append(Frame(tag: tag, span: span))
    }

    /// Notes an end tag that libxml2 reports as mismatched: if it ends an open element that
    /// libxml2 may keep open (`HTMLTag.closesLate`), that element's span ends here.
    private mutating func endTagMet(_ name: UnsafePointer<UInt8>) {
        let tag = HTMLTag(name: name)
        guard skipDepth == 0, tag.closesLate,
              let index = lateFrames.suffix(64).last(where: { frames[$0].tag == tag && !frames[$0].endedEarly })
        else { return }
        endBlock()
        frames[index].endedEarly = true
        let span = frames[index].span
        spans[span].blocks = spans[span].blocks.lowerBound..<blocks.count
    }

    /// Ends the innermost open element.
    private mutating func end() {
        if skipDepth > 0 {
            skipDepth -= 1
            if skipDepth == 0, let bytes = titleBytes {
                title = Self.collapsed(bytes[...])
                titleBytes = nil
            }
            return
        }
        guard let frame = frames.popLast() else { return }
        if frame.tag.closesLate { lateFrames.removeLast() }
        switch frame.tag {
        case .head: headDepth -= 1
        case .a: linkDepth -= 1
        case .pre: preDepth -= 1
        default: break
        }
        if frame.span >= 0 {
            endBlock()
            blockTags.removeLast()
            if !frame.endedEarly { spans[frame.span].blocks = spans[frame.span].blocks.lowerBound..<blocks.count }
        }
    }

    private mutating func take(_ content: UnsafePointer<UInt8>, _ count: Int) {
        if skipDepth > 0 {
            titleBytes?.append(contentsOf: UnsafeBufferPointer(start: content, count: count))
        } else if headDepth == 0 {
            append(UnsafeBufferPointer(start: content, count: count))
        }
    }

    /// Appends text: runs of white space (and no-break spaces) become one space, except inside
    /// `pre` (where only line breaks at the start of a block are dropped); soft hyphens,
    /// zero-width spaces and private-use characters (icon fonts) are dropped.
    private mutating func append(_ content: UnsafeBufferPointer<UInt8>) {
        var i = 0
        let n = content.count
        @inline(__always) func at(_ j: Int) -> UInt8 { j < n ? content[j] : 0 }
        while i < n {
            let b = content[i]
            if preDepth == 0, b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                pendingSpace = true
                i += 1
                continue
            }
            if b == 0xC2, at(i + 1) == 0xA0 {
                if preDepth == 0 {
                    pendingSpace = true
                } else {
                    emitPending()
                    text.append(0x20)
                }
                i += 2
                continue
            }
            if (b == 0xC2 && at(i + 1) == 0xAD) || (b == 0xE2 && at(i + 1) == 0x80 && at(i + 2) == 0x8B) || b == 0xEE
                || (b == 0xEF && at(i + 1) < 0xA4)
            {
                i += b == 0xC2 ? 2 : 3
                continue
            }
            if b == 0x0D || (b == 0x0A && text.count == blockStart) {
                if b == 0x0D, at(i + 1) != 0x0A, text.count > blockStart { text.append(0x0A) }
                i += 1
                continue
            }
            emitPending()
            if b > 0x20, b < 0x80 {
                var end = i + 1
                while end < n, content[end] > 0x20, content[end] < 0x80 { end += 1 }
                text.append(contentsOf: UnsafeBufferPointer(rebasing: content[i..<end]))
                for c in UnsafeBufferPointer(rebasing: content[i..<end]) where c == 0x21 || c == 0x2E || c == 0x3F {
                    sentenceEnds += 1
                }
                weight += end - i
                if linkDepth > 0 { linkWeight += end - i }
                i = end
                continue
            }
            guard b >= 0x80 else {
                if b != 0x09, b != 0x0A, b != 0x20 {
                    weight += 1
                    if linkDepth > 0 { linkWeight += 1 }
                }
                text.append(b)
                i += 1
                continue
            }
            // A run of non-ASCII bytes up to the next one handled above, appended at once.
            var end = i
            var runWeight = 0
            run: while end < n {
                switch content[end] {
                case 0x80...0xBF:
                    break
                case 0xC2:
                    if at(end + 1) == 0xA0 || at(end + 1) == 0xAD { break run }
                    runWeight += 1
                case 0xE2:
                    if at(end + 1) == 0x80, at(end + 2) == 0x8B { break run }
                    runWeight += 1
                case 0xE3:
                    if at(end + 1) == 0x80, at(end + 2) == 0x82 { sentenceEnds += 1 }
                    runWeight += 3
                case 0xE4...0xED:
                    runWeight += 3
                case 0xEE, 0x00...0x7F:
                    break run
                case 0xEF:
                    if at(end + 1) < 0xA4 { break run }
                    runWeight += 1
                default:
                    runWeight += 1
                }
                end += 1
            }
            text.append(contentsOf: UnsafeBufferPointer(rebasing: content[i..<end]))
            weight += runWeight
            if linkDepth > 0 { linkWeight += runWeight }
            i = end
        }
    }

    /// Writes the separator held back before the next visible character: line breaks from
    /// `br`, a tab between table cells, or a space; nothing at the start of a block.
    private mutating func emitPending() {
        if text.count > blockStart {
            if pendingBreaks > 0 {
                text.append(0x0A)
                if pendingBreaks > 1 { text.append(0x0A) }
            } else if pendingCell {
                text.append(0x09)
            } else if pendingSpace, preDepth == 0 {
                text.append(0x20)
            }
        }
        pendingSpace = false
        pendingCell = false
        pendingBreaks = 0
    }

    /// Closes the current block, if it holds any text (white space at its end, left by `pre`, removed).
    private mutating func endBlock() {
        while text.count > blockStart, let last = text.last, last == 0x20 || last == 0x0A || last == 0x09 {
            text.removeLast()
        }
        if text.count > blockStart {
            let kind: TextBlock.Kind = switch blockTags.last {
            case .p?: .paragraph
            case .h1?, .h2?, .h3?, .h4?, .h5?, .h6?: .heading
            case .li?, .dt?, .dd?: .listItem
            case .tr?: .row
            case .pre?: .preformatted
            default: .other
            }
            blocks.append(TextBlock(range: blockStart..<text.count, kind: kind, weight: weight, linkWeight: linkWeight,
                                    sentenceEnds: sentenceEnds))
        }
        blockStart = text.count
        weight = 0
        linkWeight = 0
        sentenceEnds = 0
        pendingSpace = false
        pendingCell = false
        pendingBreaks = 0
    }

    /// The value with runs of white space made one space and none at the ends; nil if empty.
    private static func collapsed(_ value: some Collection<UInt8>) -> String? {
        var out: [UInt8] = []
        var space = false
        for b in value {
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                space = !out.isEmpty
            } else {
                if space { out.append(0x20) }
                space = false
                out.append(b)
            }
        }
        return out.isEmpty ? nil : String(decoding: out, as: UTF8.self)
    }

    /// A NUL-terminated attribute value, collapsed.
    private static func string(_ value: UnsafePointer<UInt8>) -> String? {
        var n = 0
        while value[n] != 0 { n += 1 }
        return collapsed(UnsafeBufferPointer(start: value, count: n))
    }

    /// A NUL-terminated attribute value as a buffer.
    private static func value(_ value: UnsafePointer<UInt8>?) -> ElementHint.Value? {
        value.map { ElementHint.Value(start: $0, count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))) }
    }

    /// Whether the NUL-terminated `name` is `literal`, ASCII case ignored in `name`.
    private static func equals(_ name: UnsafePointer<UInt8>, _ literal: StaticString) -> Bool {
        let bytes = literal.utf8Start
        for i in 0..<literal.utf8CodeUnitCount {
            let b = name[i]
            if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != bytes[i] { return false }
        }
        return name[literal.utf8CodeUnitCount] == 0
    }
}

extension PageWalker: HTMLEventSink {
    mutating func startElement(_ name: UnsafePointer<UInt8>, _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
        start(name, attributes)
    }

    mutating func endElement() { end() }

    mutating func characters(_ bytes: UnsafePointer<UInt8>, _ count: Int) { take(bytes, count) }

    mutating func endTagMismatch(_ name: UnsafePointer<UInt8>) { endTagMet(name) }
}
