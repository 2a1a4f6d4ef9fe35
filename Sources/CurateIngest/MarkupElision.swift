#if canImport(Glibc)
import Glibc
#endif

/// A copy of a page without the bytes that libxml2 would read a character at a time only for
/// the extractor to ignore them: the bodies of `<script>` and `<style>` elements (about half
/// the bytes of a typical web page) and the attributes that `PageWalker` does not read (links,
/// image sources, SVG paths, data and event attributes: a third of the parser's time on what is
/// left).
///
/// A script or style body is elided from the `>` that ends its start tag to the first
/// `</script` (or `</style`) in any case, where libxml2 ends it in recovery mode. An attribute
/// goes from its name to the end of its value; the blanks before it stay. Tags are found the way
/// libxml2's HTML parser reads them, except that comments are the only other markup recognised;
/// so `PageWalker` confirms every elision: the parser must report the start tag ending exactly
/// where `checkpoints` says, with as many attributes as were left in. If one is missed, the page
/// is parsed again whole. Pages holding a NUL byte, which ends libxml2's reading of a value, are
/// left whole, as are the attributes of `html`, `head` and `body`: libxml2 reads a misplaced or
/// repeated one without reporting it.
///
/// Text, which libxml2 also reads a character at a time, is handed over instead of parsed: a
/// run of text between two pieces of markup gives way to `textMarker`, and `PageWalker` puts
/// the run back (`textRuns`) where the parser reports the marker as text. A run is replaced
/// when libxml2 would pass it on as written and as text that is not blank (no `&`, no carriage
/// return, no control or non-character), before the first `<pre`, and when the markup after it
/// is a tag or comment that the parser reads as such; the walker checks that every marker comes
/// back alone and in order, or parses the page whole. Pages that hold the marker are left with
/// their text.
struct MarkupElision {
    /// A start tag some of whose bytes were elided.
    struct Checkpoint: Equatable {
        /// Where the parser stands when it reports the tag: at its `>`, or at the `/` of `/>`.
        let position: Int
        /// Whether the script or style body after the tag was elided.
        let body: Bool
        /// How many attributes the parser reports: the distinct names left in.
        let attributes: Int
    }

    /// The page without the elided bytes.
    let bytes: [UInt8]
    /// The start tags that lost bytes, in page order, with positions in `bytes`.
    let checkpoints: [Checkpoint]
    /// The runs of text that gave way to `textMarker`, in page order, as offsets in the page.
    let textRuns: [Range<Int>]

    /// What stands for a run of text: U+10FFFD, a private-use character pages hardly ever hold.
    static let textMarker: StaticString = "\u{10FFFD}"

    /// Runs shorter than this stay: the parser reads them about as fast as it reads a marker.
    static let shortestTextRun = 12

    /// Whether the `count` bytes at `bytes` hold `textMarker`.
    static func holdsTextMarker(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let marker = textMarker.utf8Start, length = textMarker.utf8CodeUnitCount
        var i = 0
        while i + length <= count, let found = memchr(bytes + i, Int32(marker[0]), count - length + 1 - i) {
            let at = bytes.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if memcmp(bytes + at, marker, length) == 0 { return true }
            i = at + 1
        }
        return false
    }

    /// Bodies shorter than this are left in: eliding them saves less than making and checking
    /// the elision costs.
    static let shortestBody = 64

    /// The page with its elidable bytes taken out, or nil if it has none worth taking out.
    init?(_ html: UnsafeBufferPointer<UInt8>) {
        guard let base = html.baseAddress, memchr(base, 0, html.count) == nil else { return nil }
        let n = html.count
        var bytes: [UInt8] = []
        var checkpoints: [Checkpoint] = []
        var attributes = TagAttributes()
        var textRuns: [Range<Int>] = []
        let replacesText = !Self.holdsTextMarker(base, n)
        var copiedUpTo = 0
        var removed = 0
        /// Copies the page up to `start`, then `substitute`, and skips the page to `end`.
        func elide(_ start: Int, _ end: Int, substitute: StaticString = "") {
            if bytes.isEmpty { bytes.reserveCapacity(n) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: html[copiedUpTo..<start]))
            bytes.append(contentsOf: UnsafeBufferPointer(start: substitute.utf8Start, count: substitute.utf8CodeUnitCount))
            copiedUpTo = end
            removed += end - start - substitute.utf8CodeUnitCount
        }
        /// Takes out all but the first byte of every run of blanks in `start..<end`, text outside `pre`.
        func collapseBlanks(_ start: Int, _ end: Int) {
            var j = start
            while j < end {
                guard Self.isTextBlank(html[j]) else {
                    j += 1
                    continue
                }
                let run = j
                j += 1
                while j < end, Self.isTextBlank(html[j]) { j += 1 }
                if j - run > 1 { elide(run + 1, j) }
            }
        }
        let firstPre = Self.firstPre(html)
        /// Replaces the text before the markup at hand, if the parser reads that markup as
        /// markup (`markupFollows`) and the text qualifies; else collapses its blanks.
        func handleText(_ text: Range<Int>?, markupFollows: Bool) {
            guard let text else { return }
            if markupFollows, replacesText, text.upperBound <= firstPre, text.count >= Self.shortestTextRun,
               Self.isReplaceableText(UnsafeBufferPointer(rebasing: html[text]))
            {
                elide(text.lowerBound, text.upperBound, substitute: Self.textMarker)
                textRuns.append(text)
            } else {
                collapseBlanks(text.lowerBound, min(text.upperBound, firstPre))
            }
        }
        var i = 0
        var inText = true
        while i < n, let found = memchr(base + i, Int32(UInt8(ascii: "<")), n - i) {
            let lt = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            let text = inText ? i..<lt : nil
            inText = false
            if Self.matches(html, at: lt + 1, "!--") {
                guard let end = Self.commentEnd(html, from: lt + 4) else {
                    handleText(text, markupFollows: false)
                    break
                }
                handleText(text, markupFollows: true)
                i = end + 3
                inText = true
                continue
            }
            if let end = Self.endTag(html, at: lt) {
                handleText(text, markupFollows: true)
                i = end + 1
                inText = true
                continue
            }
            guard lt + 1 < n, Self.isLetter(html[lt + 1]) else {
                handleText(text, markupFollows: false)
                i = lt + 1
                continue
            }
            var k = lt + 2
            while k < n, Self.isNameCharacter(html[k]) { k += 1 }
            let element = Element(UnsafeBufferPointer(rebasing: html[(lt + 1)..<k]))
            guard let tag = Self.startTag(html, of: element, attributesFrom: k, noting: &attributes) else {
                handleText(text, markupFollows: false)
                i = k
                continue
            }
            handleText(text, markupFollows: true)
            if let substitute = tag.substitute {
                elide(k, tag.selfClosing ? tag.end - 1 : tag.end, substitute: substitute)
            } else {
                for range in attributes.removals { elide(range.lowerBound, range.upperBound) }
            }
            i = tag.end + 1
            inText = true
            let position = (tag.selfClosing ? tag.end - 1 : tag.end) - removed
            var body = false
            if element == .script || element == .style, !tag.selfClosing {
                let bodyEnd = Self.closeTag(html, element == .script ? "script" : "style", from: tag.end + 1) ?? n
                if bodyEnd - (tag.end + 1) >= Self.shortestBody, html[tag.end + 1] != UInt8(ascii: "<"),
                   Self.isPlain(UnsafeBufferPointer(rebasing: html[(tag.end + 1)..<bodyEnd]), inText: false)
                {
                    elide(tag.end + 1, bodyEnd)
                    body = true
                }
                i = bodyEnd
            }
            if body || tag.substitute != nil || !attributes.removals.isEmpty {
                checkpoints.append(Checkpoint(position: position, body: body, attributes: tag.attributes))
            }
        }
        if inText, i < n { collapseBlanks(i, min(n, firstPre)) }
        guard removed > 0 else { return nil }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: html[copiedUpTo..<n]))
        self.bytes = bytes
        self.checkpoints = checkpoints
        self.textRuns = textRuns
    }

    /// The elements whose attributes or bodies are treated apart.
    private enum Element {
        case script, style, link, keptWhole, other

        init(_ name: UnsafeBufferPointer<UInt8>) {
            self = if MarkupElision.equalsFolded(name, "script") { .script }
                else if MarkupElision.equalsFolded(name, "style") { .style }
                else if MarkupElision.equalsFolded(name, "link") { .link }
                else if MarkupElision.equalsFolded(name, "html") || MarkupElision.equalsFolded(name, "head")
                    || MarkupElision.equalsFolded(name, "body") { .keptWhole }
                else { .other }
        }
    }

    /// The attributes that `PageWalker` reads: those of `ElementHint`, and a link's `rel` and
    /// `href` (it reads `lang` only on `html`, whose attributes all stay).
    private enum ReadAttribute: Int, CaseIterable {
        case classes, id, role, itemprop, style, hidden, ariaHidden, rel, href

        init?(_ name: UnsafeBufferPointer<UInt8>, of element: Element) {
            let read: ReadAttribute? = switch name.count {
            case 2: MarkupElision.equalsFolded(name, "id") ? .id : nil
            case 3: element == .link && MarkupElision.equalsFolded(name, "rel") ? .rel : nil
            case 4: MarkupElision.equalsFolded(name, "role") ? .role
                : element == .link && MarkupElision.equalsFolded(name, "href") ? .href : nil
            case 5: MarkupElision.equalsFolded(name, "class") ? .classes : MarkupElision.equalsFolded(name, "style") ? .style : nil
            case 6: MarkupElision.equalsFolded(name, "hidden") ? .hidden : nil
            case 8: MarkupElision.equalsFolded(name, "itemprop") ? .itemprop : nil
            case 11: MarkupElision.equalsFolded(name, "aria-hidden") ? .ariaHidden : nil
            default: nil
            }
            guard let read else { return nil }
            self = read
        }
    }

    /// What `startTag` notes of a tag's attributes, kept between tags to reuse its storage.
    private struct TagAttributes {
        /// The attributes to take out, from name to end of value.
        var removals: [Range<Int>] = []
        /// The value of each `ReadAttribute` as libxml2 keeps it: the first one given.
        var values = [Range<Int>?](repeating: nil, count: ReadAttribute.allCases.count)
        /// Bits of the `ReadAttribute`s present.
        var present: UInt16 = 0
        /// Whether a value read holds a character reference or a carriage return, which libxml2
        /// would not pass on as written.
        var rewritten = false

        /// The hints of class values met before on the page, for elements whose only attribute
        /// read is `class` (most of them, with a few values coming back): slots by hash.
        var classHints = [(hash: UInt64, value: Range<Int>, hint: ElementHint)?](repeating: nil, count: 64)

        mutating func reset() {
            removals.removeAll(keepingCapacity: true)
            present = 0
            rewritten = false
        }

        /// The hint of the element, if it can be known from the attributes as written.
        mutating func hint(in html: UnsafeBufferPointer<UInt8>) -> ElementHint? {
            guard !rewritten else { return nil }
            if present == 1 << ReadAttribute.classes.rawValue, let range = values[ReadAttribute.classes.rawValue] {
                let value = UnsafeBufferPointer(rebasing: html[range])
                let hash = Self.hash(value)
                let slot = Int(truncatingIfNeeded: hash >> 58)
                if let known = classHints[slot], known.hash == hash, known.value.count == range.count,
                   memcmp(html.baseAddress! + known.value.lowerBound, value.baseAddress!, range.count) == 0
                {
                    return known.hint
                }
                let hint = ElementHint.of(classes: value, id: nil, role: nil, itemprop: nil, style: nil, hidden: false)
                classHints[slot] = (hash, range, hint)
                return hint
            }
            func value(_ attribute: ReadAttribute) -> ElementHint.Value? {
                guard present & 1 << attribute.rawValue != 0, let range = values[attribute.rawValue] else { return nil }
                return UnsafeBufferPointer(rebasing: html[range])
            }
            var hidden = present & 1 << ReadAttribute.hidden.rawValue != 0
            if let aria = value(.ariaHidden), MarkupElision.equalsFolded(aria, "true") { hidden = true }
            return ElementHint.of(classes: value(.classes), id: value(.id), role: value(.role), itemprop: value(.itemprop),
                                  style: value(.style), hidden: hidden)
        }

        /// A hash of the bytes, eight at a time.
        private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
            let raw = UnsafeRawPointer(bytes.baseAddress!)
            var h = UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
            var i = 0
            while i + 8 <= bytes.count {
                h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
                i += 8
            }
            var tail: UInt64 = 0
            while i < bytes.count {
                tail = tail << 8 | UInt64(bytes[i])
                i += 1
            }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
            return h ^ h >> 29
        }
    }

    /// The attributes that give an element `hint` in `PageWalker`, standing for all of the
    /// element's attributes.
    private static func substitute(for hint: ElementHint) -> StaticString {
        switch hint {
        case .none: ""
        case .hidden: " hidden"
        case .boilerplate: " class='nav'"
        case .content: " class='content'"
        case .articleBody: " itemprop='articlebody'"
        }
    }

    /// A start tag as libxml2 reads it from the end of its name: where it ends (its `>`),
    /// whether it ends with `/>`, and how many distinct attributes the parser will report once
    /// the elision is made. The elision is `substitute` in place of all the attributes when the
    /// element's hint can be known from them (then `PageWalker` finds the same hint from the
    /// substitute), else `attributes.removals`, the attributes it does not read. Nil when the tag
    /// is not one libxml2 reads the same simple way.
    private static func startTag(_ html: UnsafeBufferPointer<UInt8>, of element: Element, attributesFrom start: Int,
                                 noting attributes: inout TagAttributes)
        -> (end: Int, selfClosing: Bool, attributes: Int, substitute: StaticString?)?
    {
        let n = html.count
        var k = start
        attributes.reset()
        var any = false
        while true {
            while k < n, isBlank(html[k]) { k += 1 }
            guard k < n else { return nil }
            let selfClosing = html[k] == UInt8(ascii: "/") && k + 1 < n && html[k + 1] == UInt8(ascii: ">")
            if html[k] == UInt8(ascii: ">") || selfClosing {
                let end = selfClosing ? k + 1 : k
                if any, element == .other || element == .script || element == .style, let hint = attributes.hint(in: html) {
                    let substitute = Self.substitute(for: hint)
                    return (end, selfClosing, substitute.utf8CodeUnitCount == 0 ? 0 : 1, substitute)
                }
                return (end, selfClosing, attributes.present.nonzeroBitCount, nil)
            }
            any = true
            guard isAttributeNameStart(html[k]) else {
                // Not a name: libxml2 skips to the next blank or the end of the tag.
                while k < n, !isBlank(html[k]), html[k] != UInt8(ascii: ">"),
                      html[k] != UInt8(ascii: "/") || k + 1 == n || html[k + 1] != UInt8(ascii: ">") { k += 1 }
                continue
            }
            let nameStart = k
            while k < n, isNameCharacter(html[k]) { k += 1 }
            // libxml2 cuts names at 100 bytes and reads the rest as another attribute.
            guard k - nameStart < 100 else { return nil }
            let name = UnsafeBufferPointer(rebasing: html[nameStart..<k])
            var value: Range<Int>?
            var j = k
            while j < n, isBlank(html[j]) { j += 1 }
            if j < n, html[j] == UInt8(ascii: "=") {
                j += 1
                while j < n, isBlank(html[j]) { j += 1 }
                guard j < n else { return nil }
                let quote = html[j]
                if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                    guard let found = memchr(html.baseAddress! + j + 1, Int32(quote), n - j - 1) else { return nil }
                    let close = html.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    value = (j + 1)..<close
                    j = close + 1
                } else {
                    let valueStart = j
                    while j < n, !isBlank(html[j]), html[j] != UInt8(ascii: ">") { j += 1 }
                    value = valueStart..<j
                }
                k = j
            }
            guard element != .keptWhole else { continue }
            guard let read = ReadAttribute(name, of: element) else {
                attributes.removals.append(nameStart..<k)
                continue
            }
            let bit: UInt16 = 1 << read.rawValue
            guard attributes.present & bit == 0 else { continue }
            attributes.present |= bit
            attributes.values[read.rawValue] = value
            if let value, memchr(html.baseAddress! + value.lowerBound, Int32(UInt8(ascii: "&")), value.count) != nil
                || memchr(html.baseAddress! + value.lowerBound, 0x0D, value.count) != nil
            {
                attributes.rewritten = true
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
    /// libxml2 starts an attribute name with a letter, `_`, `:` or `.`.
    private static func isAttributeNameStart(_ byte: UInt8) -> Bool {
        isLetter(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
    }
    private static func isNameCharacter(_ byte: UInt8) -> Bool { classes[Int(byte)] & nameCharacter != 0 }

    /// The white space that `PageWalker` collapses outside `pre`.
    private static func isTextBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C
    }

    /// The offset of the first `<pre` in any case (the page's length if none): blanks are
    /// collapsed only before it.
    private static func firstPre(_ html: UnsafeBufferPointer<UInt8>) -> Int {
        var i = 0
        while i < html.count, let found = memchr(html.baseAddress! + i, Int32(UInt8(ascii: "<")), html.count - i) {
            let lt = html.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if matchesFolded(html, at: lt + 1, "pre") { return lt }
            i = lt + 1
        }
        return html.count
    }

    /// The offset of the `>` of the end tag at `lt` (`</`, a name, blanks), nil if there is none.
    private static func endTag(_ html: UnsafeBufferPointer<UInt8>, at lt: Int) -> Int? {
        guard lt + 2 < html.count, html[lt + 1] == UInt8(ascii: "/"), isLetter(html[lt + 2]) else { return nil }
        var k = lt + 3
        while k < html.count, isNameCharacter(html[k]) { k += 1 }
        while k < html.count, isBlank(html[k]) { k += 1 }
        return k < html.count && html[k] == UInt8(ascii: ">") ? k : nil
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

    /// Whether libxml2 passes `text` on as written, as text that is not blank: it holds a byte
    /// other than space, tab and line feed, and it is plain text.
    private static func isReplaceableText(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        text.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 }) && isPlain(text, inText: true)
    }

    /// Whether every character of `bytes` is one that libxml2 reads through without stopping or
    /// complaining: no control characters but tab, line feed and carriage return, no U+FFFE or
    /// U+FFFF; and `inText`, also no `&` (a character reference) and no carriage return.
    private static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>, inText: Bool) -> Bool {
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        let ampersandMask: UInt64 = inText ? ~0 : 0
        var i = 0
        // Eight bytes at a time; a word with a byte below 0x20, an 0xEF or (in text) an `&` is
        // looked at byte by byte.
        while i + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let ef = word ^ 0xEFEF_EFEF_EFEF_EFEF, ampersand = word ^ 0x2626_2626_2626_2626
            let flags = ((word &- 0x2020_2020_2020_2020) & ~word) | ((ef &- 0x0101_0101_0101_0101) & ~ef)
                | ((ampersand &- 0x0101_0101_0101_0101) & ~ampersand & ampersandMask)
            if flags & 0x8080_8080_8080_8080 != 0, !isPlain(bytes, i..<(i + 8), inText: inText) { return false }
            i += 8
        }
        return isPlain(bytes, i..<bytes.count, inText: inText)
    }

    private static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, inText: Bool) -> Bool {
        for i in range {
            let byte = bytes[i]
            if byte < 0x20, byte != 0x09, byte != 0x0A, inText || byte != 0x0D { return false }
            if inText, byte == 0x26 { return false }
            if byte == 0xEF, i + 2 < bytes.count, bytes[i + 1] == 0xBF, bytes[i + 2] >= 0xBE { return false }
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
