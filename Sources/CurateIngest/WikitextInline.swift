import CurateCore

/// Renders one line of wikitext whose templates and links are gone as plain text: bold and
/// italic quotes removed, HTML tags removed (those that break text become a space), behaviour
/// switches (`__TOC__`, `__БЕЗ_ЗМІСТУ__`) removed, character references decoded, runs of white
/// space collapsed to one space, no space at either end.
enum WikitextInline {
    static func render(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into out: inout [UInt8]) {
        let start = out.count
        let end = range.upperBound
        var space = false
        @inline(__always) func separate() {
            if space, out.count > start { out.append(0x20) }
            space = false
        }
        var i = range.lowerBound
        while i < end {
            let b = p[i]
            switch b {
            case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D:
                space = true
                i += 1
            case UInt8(ascii: "'"):
                var run = 1
                while i + run < end, p[i + run] == b { run += 1 }
                let kept = switch run {
                case 1: 1
                case 4: 1
                case 6...: run - 5
                default: 0
                }
                if kept > 0 {
                    separate()
                    out.append(contentsOf: repeatElement(b, count: kept))
                }
                i += run
            case UInt8(ascii: "<"):
                if let tag = WikitextTag.parse(p, at: i, end: end) {
                    if tag.kind == .block { space = true }
                    i = tag.end
                } else {
                    separate()
                    out.append(b)
                    i += 1
                }
            case UInt8(ascii: "&"):
                guard let (scalar, length) = WikitextEntities.decode(p, at: i, end: end) else {
                    separate()
                    out.append(b)
                    i += 1
                    continue
                }
                switch scalar {
                case 0x20, 0x09, 0x0A, 0x0D:
                    space = true
                default:
                    separate()
                    UTF8Bytes.append(scalar: scalar, to: &out)
                }
                i += length
            case UInt8(ascii: "_"):
                if let after = behaviourSwitchEnd(p, at: i, end: end) {
                    i = after
                } else {
                    separate()
                    out.append(b)
                    i += 1
                }
            default:
                separate()
                var j = i + 1
                while j < end, !isSpecial(p[j]) { j += 1 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<j]))
                i = j
            }
        }
    }

    @inline(__always)
    private static func isSpecial(_ b: UInt8) -> Bool {
        switch b {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, UInt8(ascii: "'"), UInt8(ascii: "<"), UInt8(ascii: "&"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    /// The index past the behaviour switch at `i` (`__` + upper-case or non-ASCII letters,
    /// with single underscores between words, + `__`), if there is one.
    private static func behaviourSwitchEnd(_ p: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int? {
        guard i + 1 < end, p[i + 1] == UInt8(ascii: "_") else { return nil }
        var j = i + 2
        while j < end {
            let b = p[j]
            if (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || b >= 0x80 {
                j += 1
            } else if b == UInt8(ascii: "_"), j + 1 < end, p[j + 1] != UInt8(ascii: "_"), p[j - 1] != UInt8(ascii: "_") {
                j += 1
            } else {
                break
            }
        }
        guard j > i + 2, j + 1 < end, p[j] == UInt8(ascii: "_"), p[j + 1] == UInt8(ascii: "_") else { return nil }
        return j + 2
    }
}
