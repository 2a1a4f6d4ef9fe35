#if canImport(Glibc)
import Glibc
#endif

/// A copy of a page without the bytes that libxml2 would read a character at a time only for
/// the extractor to ignore them: the bodies of `<script>` and `<style>` elements (about half
/// the bytes of a typical web page) and long values of the attributes that `PageWalker` does
/// not read (image sources, SVG paths, data attributes: a fifth of what is left).
///
/// A script or style body is elided from the `>` that ends its start tag to the first
/// `</script` (or `</style`) in any case, where libxml2 ends it in recovery mode. An attribute
/// value is elided inside its quotes, which then stay, empty. Tags are found the way libxml2's
/// HTML parser reads them, except that comments are the only other markup recognised; so
/// `PageWalker` confirms every elision: the parser must report the start tag ending exactly
/// where `checkpoints` says, with each emptied attribute present and empty. If one is missed,
/// the page is parsed again whole.
struct MarkupElision {
    /// A start tag some of whose bytes were elided.
    struct Checkpoint {
        /// Where the parser stands when it reports the tag: at its `>`, or at the `/` of `/>`.
        let position: Int
        /// Whether the script or style body after the tag was elided.
        let body: Bool
        /// The names (lower case) of the attributes whose values were emptied.
        let emptied: [[UInt8]]
    }

    /// The page without the elided bytes.
    let bytes: [UInt8]
    /// The start tags that lost bytes, in page order, with positions in `bytes`.
    let checkpoints: [Checkpoint]

    /// Bodies and values shorter than this are left in: eliding them saves less than making
    /// and checking the elision costs (at 16 bytes, a run of the e2e pages took 1% longer).
    static let shortestElided = 64

    /// The attributes `PageWalker` reads, whose values always stay.
    private static let readAttributes: [[UInt8]] = ["class", "id", "role", "itemprop", "style", "hidden", "aria-hidden",
                                                    "lang", "xml:lang", "rel", "href"].map { Array($0.utf8) }

    /// The page with its elidable bytes taken out, or nil if it has none worth taking out.
    init?(_ html: UnsafeBufferPointer<UInt8>) {
        guard let base = html.baseAddress else { return nil }
        let n = html.count
        var bytes: [UInt8] = []
        var checkpoints: [Checkpoint] = []
        var copiedUpTo = 0
        var removed = 0
        /// Copies the page up to `start` and skips it to `end`.
        func elide(_ start: Int, _ end: Int) {
            if bytes.isEmpty { bytes.reserveCapacity(n) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: html[copiedUpTo..<start]))
            copiedUpTo = end
            removed += end - start
        }
        var i = 0
        while i < n, let found = memchr(base + i, Int32(UInt8(ascii: "<")), n - i) {
            let lt = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if Self.matches(html, at: lt + 1, "!--") {
                guard let end = Self.commentEnd(html, from: lt + 4) else { break }
                i = end + 3
                continue
            }
            guard lt + 1 < n, Self.isLetter(html[lt + 1]) else {
                i = lt + 1
                continue
            }
            var k = lt + 2
            while k < n, Self.isNameCharacter(html[k]) { k += 1 }
            let name = UnsafeBufferPointer(rebasing: html[(lt + 1)..<k])
            guard let tag = Self.startTag(html, attributesFrom: k) else {
                i = k
                continue
            }
            var emptied: [[UInt8]] = []
            for (attribute, value) in tag.longValues where !emptied.contains(attribute) {
                elide(value.lowerBound, value.upperBound)
                emptied.append(attribute)
            }
            i = tag.end + 1
            let position = (tag.selfClosing ? tag.end - 1 : tag.end) - removed
            var body = false
            let raw: StaticString? = Self.equalsFolded(name, "script") ? "script" : Self.equalsFolded(name, "style") ? "style" : nil
            if let raw, !tag.selfClosing {
                let bodyEnd = Self.closeTag(html, raw, from: tag.end + 1) ?? n
                if bodyEnd - (tag.end + 1) >= Self.shortestElided, html[tag.end + 1] != UInt8(ascii: "<"),
                   Self.isPlain(UnsafeBufferPointer(rebasing: html[(tag.end + 1)..<bodyEnd]))
                {
                    elide(tag.end + 1, bodyEnd)
                    body = true
                }
                i = bodyEnd
            }
            if body || !emptied.isEmpty { checkpoints.append(Checkpoint(position: position, body: body, emptied: emptied)) }
        }
        guard !checkpoints.isEmpty else { return nil }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: html[copiedUpTo..<n]))
        self.bytes = bytes
        self.checkpoints = checkpoints
    }

    /// A start tag as libxml2 reads it from the end of its name: where it ends (its `>`),
    /// whether it ends with `/>`, and its quoted values worth eliding with their attributes'
    /// names. Nil when the tag is not one libxml2 reads the same simple way.
    private static func startTag(_ html: UnsafeBufferPointer<UInt8>, attributesFrom start: Int)
        -> (end: Int, selfClosing: Bool, longValues: [([UInt8], Range<Int>)])?
    {
        let n = html.count
        var k = start
        var longValues: [([UInt8], Range<Int>)] = []
        while true {
            while k < n, isBlank(html[k]) { k += 1 }
            guard k < n else { return nil }
            if html[k] == UInt8(ascii: ">") { return (k, false, longValues) }
            if html[k] == UInt8(ascii: "/"), k + 1 < n, html[k + 1] == UInt8(ascii: ">") { return (k + 1, true, longValues) }
            guard isLetter(html[k]) else { return nil }
            let nameStart = k
            while k < n, isNameCharacter(html[k]) { k += 1 }
            let nameEnd = k
            while k < n, isBlank(html[k]) { k += 1 }
            guard k < n, html[k] == UInt8(ascii: "=") else { continue }
            k += 1
            while k < n, isBlank(html[k]) { k += 1 }
            guard k < n else { return nil }
            let quote = html[k]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                guard let found = memchr(html.baseAddress! + k + 1, Int32(quote), n - k - 1) else { return nil }
                let close = html.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                let value = (k + 1)..<close
                if value.count >= shortestElided, memchr(html.baseAddress! + value.lowerBound, 0, value.count) == nil {
                    let name = html[nameStart..<nameEnd].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                    if !readAttributes.contains(name) { longValues.append((name, value)) }
                }
                k = close + 1
            } else {
                while k < n, !isBlank(html[k]), html[k] != UInt8(ascii: ">") { k += 1 }
            }
        }
    }

    /// Bits of `classes`.
    private static let blank: UInt8 = 1, letter: UInt8 = 2, nameCharacter: UInt8 = 4

    /// The class bits of every byte: libxml2's blanks (space, tab, line feed, carriage
    /// return), ASCII letters, and the characters of its HTML names (letters, digits, `:`,
    /// `-`, `_`, `.`).
    /// Written once, then only read.
    nonisolated(unsafe) private static let classes: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        table.initialize(repeating: 0, count: 256)
        for byte in [0x20, 0x09, 0x0A, 0x0D] { table[byte] = blank }
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") {
            table[Int(byte)] = letter | nameCharacter
            table[Int(byte - 0x20)] = letter | nameCharacter
        }
        for byte in Array(UInt8(ascii: "0")...UInt8(ascii: "9")) + Array(":-_.".utf8) { table[Int(byte)] = nameCharacter }
        return UnsafePointer(table)
    }()

    private static func isBlank(_ byte: UInt8) -> Bool { classes[Int(byte)] & blank != 0 }
    private static func isLetter(_ byte: UInt8) -> Bool { classes[Int(byte)] & letter != 0 }
    private static func isNameCharacter(_ byte: UInt8) -> Bool { classes[Int(byte)] & nameCharacter != 0 }

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

    /// Whether `name` is `literal` (lower case) in any case.
    private static func equalsFolded(_ name: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        name.count == literal.utf8CodeUnitCount && matchesFolded(name, at: 0, literal)
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
