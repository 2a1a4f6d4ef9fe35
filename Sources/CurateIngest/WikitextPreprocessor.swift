/// The first pass of `WikitextConverter`: removes comments, templates, parser functions and
/// template parameters (`{{…}}`, `{{{…}}}`, nested, matched as MediaWiki's preprocessor
/// matches braces), and extension tags whose content is not prose (`<ref>`, `<gallery>`,
/// `<math>`…). The content of `<nowiki>`, `<pre>`, `<syntaxhighlight>` and `<source>` is
/// kept, its markup escaped as character references so that later passes leave it as written.
/// Unclosed braces stay as text; an unclosed comment hides the rest of the page.
enum WikitextPreprocessor {
    static func run(_ p: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        let n = p.count
        /// Runs of two or more `{` copied to `out` and not closed yet: where each starts, how many are left.
        var braces: [(position: Int, count: Int)] = []
        /// Tags known to have no closing tag at or after the given index.
        var unclosedFrom: [String: Int] = [:]
        var i = 0
        while i < n {
            var j = i
            while j < n, p[j] != UInt8(ascii: "<"), p[j] != UInt8(ascii: "{"), p[j] != UInt8(ascii: "}") { j += 1 }
            if j > i {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<j]))
                i = j
                continue
            }
            let b = p[i]
            var run = 1
            if b != UInt8(ascii: "<") {
                while i + run < n, p[i + run] == b { run += 1 }
            }
            switch b {
            case UInt8(ascii: "<"):
                if p[i...].starts(with: "<!--".utf8) {
                    i = firstIndex(of: "-->", in: p, from: i + 4).map { $0 + 3 } ?? n
                } else if let tag = WikitextTag.parse(p, at: i, end: n), tag.kind == .hidden || tag.kind == .literal {
                    i = tag.end
                    guard !tag.isClosing, !tag.isSelfClosing else { continue }
                    if let from = unclosedFrom[tag.name], from <= tag.end { continue }
                    guard let closing = WikitextTag.findClosing(tag.name, in: p, from: tag.end) else {
                        unclosedFrom[tag.name] = tag.end
                        continue
                    }
                    if tag.kind == .literal { escape(UnsafeBufferPointer(rebasing: p[tag.end..<closing.lowerBound]), into: &out) }
                    i = closing.upperBound
                } else {
                    out.append(b)
                    i += 1
                }
            case UInt8(ascii: "{"):
                if run >= 2 { braces.append((out.count, run)) }
                out.append(contentsOf: repeatElement(b, count: run))
                i += run
            default:
                i += run
                while run >= 2, let open = braces.last {
                    let matched = open.count >= 3 && run >= 3 ? 3 : 2
                    out.removeSubrange(open.position + open.count - matched..<out.count)
                    run -= matched
                    if open.count - matched >= 2 {
                        braces[braces.count - 1].count -= matched
                    } else {
                        braces.removeLast()
                    }
                }
                out.append(contentsOf: repeatElement(b, count: run))
            }
        }
    }

    /// Appends `text` with the characters that mean something to later passes written as
    /// character references (`[` as `&#91;`, `*` at the start of a line as `&#42;`).
    private static func escape(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var lineStart = true
        for b in text {
            switch b {
            case UInt8(ascii: "'"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
                UInt8(ascii: "|"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "_"):
                out.append(contentsOf: "&#\(b);".utf8)
            case UInt8(ascii: "#"), UInt8(ascii: "*"), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "="),
                UInt8(ascii: "-"):
                if lineStart { out.append(contentsOf: "&#\(b);".utf8) } else { out.append(b) }
            default:
                out.append(b)
            }
            lineStart = b == 0x0A
        }
    }

    /// The index of the first occurrence of `needle` in `p` at or after `start`.
    private static func firstIndex(of needle: StaticString, in p: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        var i = start
        while i + pattern.count <= p.count {
            if p[i] == pattern[0], p[i..<i + pattern.count].elementsEqual(pattern) { return i }
            i += 1
        }
        return nil
    }
}
