import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// What libxml2's HTML parser knows of HTML 4 (and of `listing` and `xmp`), as
/// `HTMLEventReader` needs it: which elements are empty, which start tags close which open
/// elements, which end tags may close which elements, which unclosed elements it reports, and
/// the named character entities. Asked of the installed libxml2 at first use (its element and
/// entity tables, its auto-close test), except the end-tag priorities, which libxml2 keeps to
/// itself.
struct HTMLParserTables: @unchecked Sendable {
    /// An element's index in the table, or `unknown`.
    typealias ID = Int32
    static let unknown: ID = -1

    /// libxml2's table of HTML 4 elements.
    static let names = [
        "a", "abbr", "acronym", "address", "applet", "area", "b", "base", "basefont", "bdo", "big", "blockquote",
        "body", "br", "button", "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "dfn", "dir",
        "div", "dl", "dt", "em", "embed", "fieldset", "font", "form", "frame", "frameset", "h1", "h2", "h3", "h4",
        "h5", "h6", "head", "hr", "html", "i", "iframe", "img", "input", "ins", "isindex", "kbd", "label", "legend",
        "li", "link", "map", "menu", "meta", "noframes", "noscript", "object", "ol", "optgroup", "option", "p",
        "param", "pre", "q", "s", "samp", "script", "select", "small", "span", "strike", "strong", "style", "sub",
        "sup", "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "title", "tr", "tt", "u", "ul", "var",
    ]

    /// Names libxml2's auto-close table uses besides those of its element table: elements it
    /// does not describe (not empty, no end-tag report) but closes and lets close others.
    static let namesOnlyAutoClosed = ["listing", "xmp"]

    /// The end tag of an element closes the open elements inside it only if none of them ranks
    /// higher than it; every element not listed ranks 100 (libxml2's `htmlEndPriority`).
    private static let endPriorities: [String: Int16] = [
        "div": 150, "td": 160, "th": 160, "tr": 170, "thead": 180, "tbody": 180, "tfoot": 180, "table": 190,
        "head": 200, "body": 200, "html": 220,
    ]

    static let shared = HTMLParserTables()

    /// The names, NUL-terminated, as libxml2 reports them.
    let namePointers: [UnsafePointer<UInt8>]
    /// Elements that never have content: their start tag ends them.
    let isEmpty: [Bool]
    /// Elements whose end tag libxml2 reports missing when another end tag closes them.
    let reportsUnclosed: [Bool]
    let endPriority: [Int16]
    /// `closes[new * count + old]`: whether a start tag `new` ends an open element `old`.
    private let closes: [Bool]
    private let ids: PackedNames<ID>
    private let entities: PackedNames<UInt32>
    private let blockquote: ID

    let html: ID, head: ID, body: ID, p: ID, script: ID, style: ID, meta: ID, link: ID, title: ID, base: ID,
        noframes: ID, frame: ID, frameset: ID

    private init() {
        _ = PageWalker.libxml2Ready
        let all = Self.names + Self.namesOnlyAutoClosed
        let count = all.count
        var pointers: [UnsafePointer<UInt8>] = []
        var isEmpty: [Bool] = [], reportsUnclosed: [Bool] = [], endPriority: [Int16] = []
        for name in all {
            let copy = Self.nulTerminated(name)
            pointers.append(copy)
            let description = htmlTagLookup(copy)
            precondition((description == nil) == Self.namesOnlyAutoClosed.contains(name), "libxml2's <\(name)> is not as expected")
            isEmpty.append(description.map { $0.pointee.empty != 0 } ?? false)
            reportsUnclosed.append(description.map { $0.pointee.endTag == 3 } ?? false)
            endPriority.append(Self.endPriorities[name] ?? 100)
        }
        var closes = [Bool](repeating: false, count: count * count)
        for new in 0..<count {
            let node = xmlNewNode(nil, pointers[new])
            defer { xmlFreeNode(node) }
            for old in 0..<count where old != new {
                closes[new * count + old] = htmlAutoCloseTag(nil, pointers[old], node) == 1
            }
            closes[new * count + new] = Self.closesItself(pointers[new])
        }
        namePointers = pointers
        self.isEmpty = isEmpty
        self.reportsUnclosed = reportsUnclosed
        self.endPriority = endPriority
        self.closes = closes
        var named: [(String, UInt32)] = []
        for value in 0..<0x10000 {
            guard let entity = htmlEntityValueLookup(UInt32(value)) else { continue }
            named.append((String(cString: entity.pointee.name), entity.pointee.value))
        }
        entities = PackedNames(named, absent: 0)
        let short = all.enumerated().filter { $0.element.utf8.count <= 8 }
        ids = PackedNames(short.map { ($0.element, ID($0.offset)) }, absent: Self.unknown)
        func id(_ name: String) -> ID { ID(all.firstIndex(of: name)!) }
        blockquote = id("blockquote")
        html = id("html"); head = id("head"); body = id("body"); p = id("p"); script = id("script")
        style = id("style"); meta = id("meta"); link = id("link"); title = id("title"); base = id("base")
        noframes = id("noframes"); frame = id("frame"); frameset = id("frameset")
    }

    /// A NUL-terminated copy of `name` that lives as long as the process.
    static func nulTerminated(_ name: String) -> UnsafePointer<UInt8> {
        let bytes = Array(name.utf8) + [0]
        let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        copy.initialize(from: bytes, count: bytes.count)
        return UnsafePointer(copy)
    }

    /// The element of the name of `count` bytes at `name`, any case, whose first eight bytes
    /// lower-cased are packed in `key`; `unknown` if libxml2 does not know it.
    func id(key: UInt64, count: Int, at name: UnsafePointer<UInt8>) -> ID {
        if count <= 8 { return ids.value(key) }
        if count == 10, Self.equalsFolded(name, "blockquote") { return blockquote }
        return Self.unknown
    }

    /// Whether the bytes at `name` are `literal` (lower case) in any case.
    static func equalsFolded(_ name: UnsafePointer<UInt8>, _ literal: StaticString) -> Bool {
        for k in 0..<literal.utf8CodeUnitCount {
            let b = name[k]
            if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != literal.utf8Start[k] { return false }
        }
        return true
    }

    /// The character of the entity named by the `count` bytes at `name`, if libxml2 knows it.
    func entity(_ name: UnsafePointer<UInt8>, _ count: Int) -> UInt32? {
        guard count <= 8 else { return nil }
        let value = entities.value(PackedNames<UInt32>.key(name, count: count))
        return value == 0 ? nil : value
    }

    /// Whether a start tag `new` ends the open element `old`.
    func closes(_ new: ID, _ old: ID) -> Bool {
        new >= 0 && old >= 0 && closes[Int(new) * namePointers.count + Int(old)]
    }

    /// The end-tag priority of an element; 100 for unknown ones.
    func priority(_ id: ID) -> Int16 { id >= 0 ? endPriority[Int(id)] : 100 }

    /// Whether a start tag ends an open element of the same name (`<p>` in a `p`): libxml2's
    /// `htmlAutoCloseTag` does not say, so a page of two such start tags is parsed to see.
    private static func closesItself(_ name: UnsafePointer<UInt8>) -> Bool {
        final class Events { var list: [String] = [] }
        let events = Events()
        let count = strlen(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self))
        let tag = "<" + String(decoding: UnsafeBufferPointer(start: name, count: count), as: UTF8.self) + ">"
        let page = Array((tag + tag).utf8)
        guard let context = htmlNewParserCtxt() else { return false }
        defer { htmlFreeParserCtxt(context) }
        let sax = context.pointee.sax!
        sax.pointee = htmlSAXHandler()
        sax.pointee.initialized = XML_SAX2_MAGIC
        sax.pointee.startElement = { context, name, _ in
            let events = Unmanaged<Events>.fromOpaque(Self.userData(context)).takeUnretainedValue()
            events.list.append("+" + String(cString: name!))
        }
        sax.pointee.endElement = { context, name in
            let events = Unmanaged<Events>.fromOpaque(Self.userData(context)).takeUnretainedValue()
            events.list.append("-" + String(cString: name!))
        }
        withExtendedLifetime(events) {
            context.pointee._private = Unmanaged.passUnretained(events).toOpaque()
            _ = page.withUnsafeBufferPointer { bytes in
                bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    htmlCtxtReadMemory(context, $0, Int32(bytes.count), nil, "UTF-8", PageWalker.options)
                }
            }
        }
        let element = String(tag.dropFirst().dropLast())
        let list = events.list
        return zip(list, zip(list.dropFirst(), list.dropFirst(2))).contains {
            $0 == "+" + element && $1.0 == "-" + element && $1.1 == "+" + element
        }
    }

    private static func userData(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer {
        context!.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private
    }
}
