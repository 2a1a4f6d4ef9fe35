import Glibc

/// An HTML or extension tag in wikitext (`<ref name="a">`, `</div>`, `<br/>`) whose name
/// MediaWiki knows; other `<` are text.
struct WikitextTag {
    /// What the converter does with a tag and its content.
    enum Kind {
        /// Extension tags whose content is not prose (`<ref>`, `<gallery>`, `<math>`): removed with their content.
        case hidden
        /// Tags whose content is shown as written, without wiki markup (`<nowiki>`, `<pre>`).
        case literal
        /// Tags within a line of text (`<span>`, `<sup>`): removed, content kept.
        case inline
        /// Tags that break text (`<br>`, `<div>`, `<p>`): replaced by a space, content kept.
        case block
    }

    /// The lowercased name.
    let name: String
    let kind: Kind
    let isClosing: Bool
    let isSelfClosing: Bool
    /// The index just past the tag's `>`.
    let end: Int

    /// The known tag that starts at `i` (which holds `<`) and ends before `end`, if any.
    static func parse(_ p: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> WikitextTag? {
        var j = i + 1
        let isClosing = j < end && p[j] == UInt8(ascii: "/")
        if isClosing { j += 1 }
        let nameStart = j
        while j < end, j - nameStart < 20, isNameByte(p[j], first: j == nameStart) { j += 1 }
        guard j > nameStart, j < end else { return nil }
        switch p[j] {
        case UInt8(ascii: ">"), UInt8(ascii: "/"), 0x20, 0x09, 0x0A, 0x0D: break
        default: return nil
        }
        let nameText = String(unsafeUninitializedCapacity: j - nameStart) { name in
            for k in name.indices { name[k] = p[nameStart + k] | 0x20 }
            return name.count
        }
        guard let kind = kinds[nameText] else { return nil }
        while j < end, p[j] != UInt8(ascii: ">") {
            if p[j] == UInt8(ascii: "<") { return nil }
            j += 1
        }
        guard j < end else { return nil }
        return WikitextTag(name: nameText, kind: kind, isClosing: isClosing,
                           isSelfClosing: !isClosing && p[j - 1] == UInt8(ascii: "/"), end: j + 1)
    }

    /// The range of the first closing tag `</name>` (any case, spaces allowed before `>`) at or after `start`.
    static func findClosing(_ name: String, in p: UnsafeBufferPointer<UInt8>, from start: Int) -> Range<Int>? {
        guard let base = p.baseAddress else { return nil }
        let nameBytes = Array(name.utf8)
        var i = start
        while i < p.count, let found = memchr(base + i, 0x3C, p.count - i) {
            let lt = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            i = lt + 1
            var j = lt + 1
            guard j < p.count, p[j] == UInt8(ascii: "/"), p.count - j > nameBytes.count else { continue }
            j += 1
            guard nameBytes.indices.allSatisfy({ p[j + $0] | 0x20 == nameBytes[$0] }) else { continue }
            j += nameBytes.count
            while j < p.count, p[j] == 0x20 || p[j] == 0x09 || p[j] == 0x0A || p[j] == 0x0D { j += 1 }
            if j < p.count, p[j] == UInt8(ascii: ">") { return lt..<j + 1 }
        }
        return nil
    }

    @inline(__always)
    private static func isNameByte(_ b: UInt8, first: Bool) -> Bool {
        let letter = b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")
        return letter || (!first && b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }

    private static let kinds: [String: Kind] = {
        var kinds: [String: Kind] = [:]
        for name in """
            ref references gallery math chem ce score timeline graph imagemap inputbox categorytree templatedata \
            templatestyles mapframe maplink includeonly section indicator hiero charinsert
            """.split(separator: " ") { kinds[String(name)] = .hidden }
        for name in ["nowiki", "pre", "syntaxhighlight", "source"] { kinds[name] = .literal }
        for name in """
            b i u s del ins span font big small sub sup tt code em strong strike var kbd samp abbr dfn cite q mark \
            bdi bdo data time ruby rb rp rt rtc wbr noinclude onlyinclude
            """.split(separator: " ") { kinds[String(name)] = .inline }
        for name in """
            br hr p div center blockquote ul ol li dl dt dd table tr td th caption tbody thead tfoot h1 h2 h3 h4 h5 \
            h6 poem
            """.split(separator: " ") { kinds[String(name)] = .block }
        return kinds
    }()
}
