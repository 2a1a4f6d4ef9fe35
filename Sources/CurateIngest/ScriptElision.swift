#if canImport(Glibc)
import Glibc
#endif

/// A copy of a page without the contents of its `<script>` and `<style>` elements, which
/// hold about half the bytes of a typical web page and none of its text: libxml2 reads them
/// a character at a time only for the extractor to ignore them.
///
/// The elided ranges are those libxml2 reads as a script or style body: from the `>` that
/// ends the start tag to the first `</script` (or `</style`), in any case, as libxml2 does in
/// recovery mode. Finding start tags here takes a shortcut (quoted attribute values and
/// comments are skipped, nothing else is parsed), so `PageWalker` confirms each elision: the
/// parser must report a script or style start tag ending exactly at each `>` listed in
/// `tagEnds`; if one is missed, the page is parsed again whole.
struct ScriptElision {
    /// The page without the elided bytes.
    let bytes: [UInt8]
    /// Offsets in `bytes` of the `>` of each start tag whose body was elided, in order.
    let tagEnds: [Int]

    /// Bodies shorter than this are left in: eliding them saves nothing.
    static let shortestElided = 64

    /// The page with its script and style bodies elided, or nil if it has none worth eliding.
    init?(_ html: UnsafeBufferPointer<UInt8>) {
        guard let base = html.baseAddress else { return nil }
        let n = html.count
        var kept: [Range<Int>] = []
        var tagEnds: [Int] = []
        var removed = 0
        var copiedUpTo = 0
        var i = 0
        while i < n, let found = memchr(base + i, Int32(UInt8(ascii: "<")), n - i) {
            let lt = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if Self.matches(html, at: lt + 1, "!--") {
                guard let end = Self.commentEnd(html, from: lt + 4) else { break }
                i = end + 3
                continue
            }
            let name: StaticString
            if Self.matchesFolded(html, at: lt + 1, "script") {
                name = "script"
            } else if Self.matchesFolded(html, at: lt + 1, "style") {
                name = "style"
            } else {
                i = lt + 1
                continue
            }
            let afterName = lt + 1 + name.utf8CodeUnitCount
            guard afterName < n, Self.endsName(html[afterName]) else {
                i = afterName
                continue
            }
            guard let gt = Self.tagEnd(html, from: afterName) else { break }
            let bodyEnd = Self.closeTag(html, name, from: gt + 1) ?? n
            if bodyEnd - (gt + 1) >= Self.shortestElided, html[gt - 1] != UInt8(ascii: "/"), html[gt + 1] != UInt8(ascii: "<"),
               Self.isPlain(UnsafeBufferPointer(rebasing: html[(gt + 1)..<bodyEnd]))
            {
                kept.append(copiedUpTo..<(gt + 1))
                tagEnds.append(gt - removed)
                removed += bodyEnd - (gt + 1)
                copiedUpTo = bodyEnd
            }
            i = bodyEnd
        }
        guard !tagEnds.isEmpty else { return nil }
        kept.append(copiedUpTo..<n)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(n - removed)
        for range in kept { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: html[range])) }
        self.bytes = bytes
        self.tagEnds = tagEnds
    }

    /// Whether a tag name ends before `byte` (white space, `>` or `/`).
    private static func endsName(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "/")
    }

    /// The offset of the `>` that ends a start tag whose attributes begin at `start`, skipping
    /// quoted values.
    private static func tagEnd(_ html: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        while i < html.count {
            let byte = html[i]
            if byte == UInt8(ascii: ">") { return i }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                guard let close = memchr(html.baseAddress! + i + 1, Int32(byte), html.count - i - 1) else { return nil }
                i = html.baseAddress!.distance(to: close.assumingMemoryBound(to: UInt8.self)) + 1
            } else {
                i += 1
            }
        }
        return nil
    }

    /// The offset of the first `</` followed by `name` in any case, from `start`.
    private static func closeTag(_ html: UnsafeBufferPointer<UInt8>, _ name: StaticString, from start: Int) -> Int? {
        var i = start
        while i < html.count, let found = memchr(html.baseAddress! + i, Int32(UInt8(ascii: "<")), html.count - i) {
            let lt = html.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if lt + 1 < html.count, html[lt + 1] == UInt8(ascii: "/"), matchesFolded(html, at: lt + 2, name) { return lt }
            i = lt + 1
        }
        return nil
    }

    /// Whether every character of a body is one that libxml2 reads through without stopping or
    /// complaining: no control characters but tab, line feed and carriage return, no U+FFFE or
    /// U+FFFF.
    private static func isPlain(_ body: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawPointer(body.baseAddress!)
        var i = 0
        // Eight bytes at a time; a word with a byte below 0x20 or an 0xEF is looked at byte by byte.
        while i + 8 <= body.count {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let ef = word ^ 0xEFEF_EFEF_EFEF_EFEF
            let flags = ((word &- 0x2020_2020_2020_2020) & ~word) | ((ef &- 0x0101_0101_0101_0101) & ~ef)
            if flags & 0x8080_8080_8080_8080 != 0, !isPlain(body, i..<(i + 8)) { return false }
            i += 8
        }
        return isPlain(body, i..<body.count)
    }

    private static func isPlain(_ body: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        for i in range {
            let byte = body[i]
            if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D { return false }
            if byte == 0xEF, i + 2 < body.count, body[i + 1] == 0xBF, body[i + 2] >= 0xBE { return false }
        }
        return true
    }

    private static func matches(_ html: UnsafeBufferPointer<UInt8>, at start: Int, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard start + count <= html.count else { return false }
        return memcmp(html.baseAddress! + start, literal.utf8Start, count) == 0
    }

    /// Whether `literal` (lower case) is at `start`, in any case.
    private static func matchesFolded(_ html: UnsafeBufferPointer<UInt8>, at start: Int, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard start + count <= html.count else { return false }
        for k in 0..<count where html[start + k] | 0x20 != literal.utf8Start[k] { return false }
        return true
    }

    /// The offset of the first `-->` from `start`.
    private static func commentEnd(_ html: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        while i < html.count, let found = memchr(html.baseAddress! + i, Int32(UInt8(ascii: "-")), html.count - i) {
            let dash = html.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if matches(html, at: dash, "-->") { return dash }
            i = dash + 1
        }
        return nil
    }
}
