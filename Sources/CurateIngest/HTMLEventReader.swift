import CurateCore
#if canImport(Glibc)
import Glibc
#endif

/// Receives what an HTML parser reports of a page, in the order of libxml2's SAX callbacks.
protocol HTMLEventSink {
    /// An element starts: its lowercase name and its attributes as NUL-terminated name, value
    /// pairs (a value is nil for an attribute written without one), ended by a nil name.
    mutating func startElement(_ name: UnsafePointer<UInt8>, _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?)
    /// The innermost open element ends.
    mutating func endElement()
    mutating func characters(_ bytes: UnsafePointer<UInt8>, _ count: Int)
    /// libxml2 reports an end tag `name` (NUL-terminated) as not matching the open elements.
    mutating func endTagMismatch(_ name: UnsafePointer<UInt8>)
}

/// Reads a page, valid UTF-8, the way libxml2's HTML parser (2.9, recovery mode, the encoding
/// given as UTF-8) reads it and reports the same events to a sink, without libxml2's work for
/// every character and every name: implied `html`, `head`, `body` and `p` elements, start tags
/// that close open elements, end tags that close several or are ignored, misplaced `html`,
/// `head` and `body` tags dropped, script and style bodies read as text, text handed over in
/// pieces of at least 1,000 bytes as libxml2 cuts it, blank pieces and characters libxml2 drops,
/// character and entity references, comments, processing instructions and doctypes.
///
/// Only the attributes `PageWalker` reads are reported (`InterestingAttributes`). A page whose
/// reading would take a way this reader does not follow (a NUL byte, a byte-order mark, a name
/// of 100 bytes or more, a reference or name running into non-ASCII characters) is declined:
/// `read` returns false, after reporting part of the page, and the caller reads it with libxml2.
struct HTMLEventReader<Sink: HTMLEventSink> {
    private struct Declined: Error {}

    /// An open element: its entry in `HTMLParserTables` and its name, NUL-terminated.
    private struct Element {
        var id: HTMLParserTables.ID
        var name: UnsafePointer<UInt8>
        var count: Int
    }

    private let page: UnsafePointer<UInt8>
    private let n: Int
    private var i = 0
    private let rules = HTMLParserTables.shared
    private var stack: [Element] = []
    /// libxml2's `html` field: 3 once a `head` was opened, 10 once a `body` was.
    private var level = 1
    /// Misplaced `html`, `head` and `body` start tags dropped, whose end tags are dropped too.
    private var dropped = 0
    /// NUL-terminated copies of the names of unknown elements (each takes at most twice the
    /// bytes it was read from); never moved, so that elements can point into it.
    private var names: UnsafeMutablePointer<UInt8>
    private var namesUsed = 0
    /// The reported attributes' values, NUL-terminated, and where each starts.
    private var values: [UInt8] = []
    private var attributeNames: [Int] = []
    private var attributeStarts: [Int] = []

    /// Reads `html` into `sink`; false if the page was declined.
    static func read(_ html: UnsafeBufferPointer<UInt8>, into sink: inout Sink) -> Bool {
        guard let base = html.baseAddress, html.count > 0, memchr(base, 0, html.count) == nil,
              !(html.count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF)
        else { return false }
        var reader = HTMLEventReader(page: base, count: html.count)
        defer { reader.names.deallocate() }
        do {
            try reader.document(&sink)
            return true
        } catch {
            return false
        }
    }

    private init(page: UnsafePointer<UInt8>, count: Int) {
        self.page = page
        n = count
        names = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * count + 16)
    }

    // MARK: Bytes

    /// The byte `k` after the current one; 0 past the end, as libxml2 sees its NUL-terminated input.
    @inline(__always) private func at(_ k: Int) -> UInt8 { i + k < n ? page[i + k] : 0 }
    @inline(__always) private var current: UInt8 { i < n ? page[i] : 0 }

    @inline(__always) private static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    @inline(__always) private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private mutating func skipBlanks() {
        while i < n, Self.isBlank(page[i]) { i += 1 }
    }

    /// Whether the page has `literal` (upper case) at the current byte, in any case.
    private func matchesUpper(_ literal: StaticString, at offset: Int = 0) -> Bool {
        let bytes = literal.utf8Start
        for k in 0..<literal.utf8CodeUnitCount {
            let b = at(offset + k)
            if (b >= 0x61 && b <= 0x7A ? b - 0x20 : b) != bytes[k] { return false }
        }
        return true
    }

    private var atComment: Bool { current == 0x3C && at(1) == 0x21 && at(2) == 0x2D && at(3) == 0x2D }
    private var atProcessingInstruction: Bool { current == 0x3C && at(1) == 0x3F }
    private var atDoctype: Bool { current == 0x3C && at(1) == 0x21 && matchesUpper("DOCTYPE", at: 2) }

    // MARK: Document

    private mutating func document(_ sink: inout Sink) throws(Declined) {
        skipBlanks()
        try prolog()
        if atDoctype { try doctype() }
        skipBlanks()
        try prolog()
        try content(&sink)
        closeAll(&sink)
    }

    /// Comments and processing instructions before the content.
    private mutating func prolog() throws(Declined) {
        while atComment || atProcessingInstruction {
            if atComment { comment() }
            if atProcessingInstruction { try processingInstruction() }
            skipBlanks()
        }
    }

    private mutating func content(_ sink: inout Sink) throws(Declined) {
        var currentNode = stack.last
        var depth = stack.count
        while true {
            let c = current
            if c == 0x3C, at(1) == 0x2F {
                if try endTag(&sink), currentNode != nil || stack.isEmpty {
                    currentNode = stack.last
                    depth = stack.count
                }
                continue
            } else if c == 0x3C, Self.isLetter(at(1)) || at(1) == 0x5F || at(1) == 0x3A {
                let ahead = lookAheadName()
                if let top = stack.last, rules.closes(ahead, top.id) {
                    autoClose(ahead, &sink)
                    continue
                }
            }
            if !stack.isEmpty, depth >= stack.count, !Self.same(currentNode, stack.last) {
                currentNode = stack.last
                depth = stack.count
                continue
            }
            if c != 0, let node = currentNode, node.id == rules.script || node.id == rules.style {
                guard let top = stack.last else { throw Declined() }
                pieces(body: top, &sink)
                continue
            }
            if atDoctype { try doctype() }
            if atComment {
                comment()
            } else if atProcessingInstruction {
                try processingInstruction()
            } else if current == 0x3C, Self.isLetter(at(1)) {
                try element(&sink)
                currentNode = stack.last
                depth = stack.count
            } else if current == 0x3C {
                i += 1
                Self.characters("<", &sink)
            } else if current == 0x26 {
                try reference(&sink)
            } else if current == 0 {
                closeAll(&sink)
                return
            } else {
                pieces(body: nil, &sink)
            }
        }
    }

    // MARK: Elements

    private static func same(_ a: Element?, _ b: Element?) -> Bool {
        guard let a, let b else { return false }
        if a.id != HTMLParserTables.unknown || b.id != HTMLParserTables.unknown { return a.id == b.id }
        return a.count == b.count && memcmp(a.name, b.name, a.count) == 0
    }

    /// The end of the name from `start` as libxml2 reads tag and attribute names (ASCII letters,
    /// digits, `:`, `-`, `_`, and `.` if `dots`) and its first eight bytes lower-cased and packed.
    @inline(__always) private func scanName(from start: Int, dots: Bool) -> (end: Int, key: UInt64) {
        var key: UInt64 = 0
        var k = start
        while k < n {
            let b = page[k]
            let lower = b | 0x20
            guard (lower >= 0x61 && lower <= 0x7A) || Self.isDigit(b) || b == 0x3A || b == 0x2D || b == 0x5F
                || (dots && b == 0x2E)
            else { break }
            if k - start < 8 { key |= UInt64(b >= 0x41 && b <= 0x5A ? lower : b) << (8 * UInt64(k - start)) }
            k += 1
        }
        return (k, key)
    }

    /// The element named by the start tag ahead, as libxml2 looks ahead (no `.` in the name).
    private func lookAheadName() -> HTMLParserTables.ID {
        let (end, key) = scanName(from: i + 1, dots: false)
        return rules.id(key: key, count: end - i - 1, at: page + i + 1)
    }

    /// Reads a tag name the way libxml2 does (with `.`, lower-cased); nil if none starts here.
    private mutating func name() throws(Declined) -> Element? {
        let first = current
        guard Self.isLetter(first) || first == 0x5F || first == 0x3A || first == 0x2E else { return nil }
        let start = i
        let key: UInt64
        (i, key) = scanName(from: start, dots: true)
        let count = i - start
        guard count < 100 else { throw Declined() }
        let id = rules.id(key: key, count: count, at: page + start)
        if id != HTMLParserTables.unknown { return Element(id: id, name: rules.namePointers[Int(id)], count: count) }
        let copy = names + namesUsed
        for k in 0..<count {
            let b = page[start + k]
            copy[k] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
        }
        copy[count] = 0
        namesUsed += count + 1
        return Element(id: id, name: UnsafePointer(copy), count: count)
    }

    /// The element libxml2 names when it implies one.
    private func known(_ id: HTMLParserTables.ID) -> Element {
        let name = rules.namePointers[Int(id)]
        return Element(id: id, name: name, count: strlen(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self)))
    }

    private mutating func push(_ element: Element) {
        if level < 3, element.id == rules.head { level = 3 }
        if level < 10, element.id == rules.body { level = 10 }
        stack.append(element)
    }

    /// Opens an element libxml2 implies, with no attributes.
    private mutating func open(_ id: HTMLParserTables.ID, _ sink: inout Sink) {
        let element = known(id)
        push(element)
        sink.startElement(element.name, nil)
    }

    private mutating func closeInnermost(_ sink: inout Sink) {
        sink.endElement()
        stack.removeLast()
    }

    private mutating func closeAll(_ sink: inout Sink) {
        while !stack.isEmpty { closeInnermost(&sink) }
    }

    /// Closes the open elements that a start tag `id` ends.
    private mutating func autoClose(_ id: HTMLParserTables.ID, _ sink: inout Sink) {
        while let top = stack.last, rules.closes(id, top.id) { closeInnermost(&sink) }
    }

    /// Opens the `html`, `head` or `body` element that a start tag `id` implies.
    private mutating func openImplied(_ id: HTMLParserTables.ID, _ sink: inout Sink) {
        if id == rules.html { return }
        if stack.isEmpty { open(rules.html, &sink) }
        if id == rules.body || id == rules.head { return }
        if stack.count <= 1,
           id == rules.script || id == rules.style || id == rules.meta || id == rules.link || id == rules.title
           || id == rules.base
        {
            if level >= 3 { return }
            open(rules.head, &sink)
        } else if id != rules.noframes, id != rules.frame, id != rules.frameset {
            if level >= 10 { return }
            if stack.contains(where: { $0.id == rules.body || $0.id == rules.head }) { return }
            open(rules.body, &sink)
        }
    }

    /// Opens the `p` that text outside any element, or directly in `html` or `head`, implies.
    private mutating func openParagraphIfNeeded(_ sink: inout Sink) {
        if let top = stack.last, top.id != rules.html, top.id != rules.head { return }
        autoClose(rules.p, &sink)
        openImplied(rules.p, &sink)
        open(rules.p, &sink)
    }

    private mutating func element(_ sink: inout Sink) throws(Declined) {
        i += 1
        guard let element = try name() else { throw Declined() }
        autoClose(element.id, &sink)
        openImplied(element.id, &sink)
        var discard = false
        if !stack.isEmpty, element.id == rules.html {
            discard = true
            dropped += 1
        }
        if stack.count != 1, element.id == rules.head {
            discard = true
            dropped += 1
        }
        if element.id == rules.body {
            for open in stack where open.id == rules.body {
                discard = true
                dropped += 1
            }
        }
        try attributes()
        if !discard {
            push(element)
            if attributeNames.isEmpty {
                sink.startElement(element.name, nil)
            } else {
                reportStart(element, &sink)
            }
        }
        guard let top = stack.last else {
            if current == 0x3E { i += 1 }
            return
        }
        if current == 0x2F, at(1) == 0x3E {
            i += 2
            closeInnermost(&sink)
            return
        }
        guard current == 0x3E else {
            stack.removeLast()
            return
        }
        i += 1
        if top.id >= 0, rules.isEmpty[Int(top.id)] { closeInnermost(&sink) }
    }

    private mutating func reportStart(_ element: Element, _ sink: inout Sink) {
        let count = attributeNames.count
        withUnsafeTemporaryAllocation(of: UnsafePointer<UInt8>?.self, capacity: 2 * count + 2) { pointers in
            values.withUnsafeBufferPointer { values in
                for k in 0..<count {
                    pointers[2 * k] = InterestingAttributes.namePointers[attributeNames[k]]
                    pointers[2 * k + 1] = attributeStarts[k] < 0 ? nil : values.baseAddress! + attributeStarts[k]
                }
                pointers[2 * count] = nil
                pointers[2 * count + 1] = nil
                sink.startElement(element.name, pointers.baseAddress!)
            }
        }
    }

    // MARK: Attributes

    /// Reads the attributes of a start tag up to its `>`, `/>` or the end of the page, keeping
    /// the first of each interesting name.
    private mutating func attributes() throws(Declined) {
        values.removeAll(keepingCapacity: true)
        attributeNames.removeAll(keepingCapacity: true)
        attributeStarts.removeAll(keepingCapacity: true)
        skipBlanks()
        while i < n, page[i] != 0x3E, !(page[i] == 0x2F && at(1) == 0x3E) {
            let nameStart = i
            let first = page[i]
            if Self.isLetter(first) || first == 0x5F || first == 0x3A || first == 0x2E {
                let key: UInt64
                (i, key) = scanName(from: nameStart, dots: true)
                guard i - nameStart < 100 else { throw Declined() }
                let index = InterestingAttributes.index(key: key, count: i - nameStart, at: page + nameStart)
                let keep = index >= 0 && !attributeNames.contains(index)
                skipBlanks()
                var start = -1
                if current == 0x3D {
                    i += 1
                    skipBlanks()
                    start = try value(keep: keep)
                }
                if keep {
                    attributeNames.append(index)
                    attributeStarts.append(start)
                }
            } else {
                while i < n, !Self.isBlank(page[i]), page[i] != 0x3E, !(page[i] == 0x2F && at(1) == 0x3E) { i += 1 }
            }
            skipBlanks()
        }
    }

    /// Reads an attribute value (quoted or not); if `keep`, decodes it NUL-terminated into
    /// `values` and returns where it starts there.
    private mutating func value(keep: Bool) throws(Declined) -> Int {
        let start = values.count
        let quote = current
        var end = n
        if quote == 0x22 || quote == 0x27 {
            i += 1
            if let found = memchr(page + i, Int32(quote), n - i) {
                end = page.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
        } else {
            end = i
            while end < n, page[end] != 0x3E, !Self.isBlank(page[end]) { end += 1 }
        }
        if keep {
            // Decoded outside `values`: reading a reference moves the reader, which must not
            // overlap an access to its own property.
            var decoded = values
            values = []
            defer { values = decoded }
            while i < end {
                guard let found = memchr(page + i, 0x26, end - i) else {
                    decoded.append(contentsOf: UnsafeBufferPointer(start: page + i, count: end - i))
                    break
                }
                let ampersand = page.distance(to: found.assumingMemoryBound(to: UInt8.self))
                decoded.append(contentsOf: UnsafeBufferPointer(start: page + i, count: ampersand - i))
                i = ampersand
                try reference(into: &decoded)
            }
            decoded.append(0)
        }
        i = end
        if quote == 0x22 || quote == 0x27, i < n { i += 1 }
        return start
    }

    // MARK: End tags

    /// Reads an end tag; whether it closed the innermost open element.
    private mutating func endTag(_ sink: inout Sink) throws(Declined) -> Bool {
        i += 2
        guard let element = try name() else { return false }
        skipBlanks()
        while i < n, page[i] != 0x3E { i += 1 }
        if current == 0x3E { i += 1 }
        if dropped > 0, element.id == rules.html || element.id == rules.body || element.id == rules.head {
            dropped -= 1
            return false
        }
        guard stack.contains(where: { Self.same($0, element) }) else {
            sink.endTagMismatch(element.name)
            return false
        }
        let priority = rules.priority(element.id)
        var k = stack.count - 1
        while k >= 0, !Self.same(stack[k], element) {
            if rules.priority(stack[k].id) > priority { break }
            k -= 1
        }
        if k >= 0, Self.same(stack[k], element) {
            while let top = stack.last, !Self.same(top, element) {
                if top.id >= 0, rules.reportsUnclosed[Int(top.id)] { sink.endTagMismatch(element.name) }
                closeInnermost(&sink)
            }
        }
        guard Self.same(stack.last, element) else {
            sink.endTagMismatch(element.name)
            return false
        }
        closeInnermost(&sink)
        return true
    }

    // MARK: Text

    @inline(__always) private static func characters(_ literal: StaticString, _ sink: inout Sink) {
        sink.characters(literal.utf8Start, literal.utf8CodeUnitCount)
    }

    /// Text up to the next `<` or `&`, or (`body` given) the body of a script or style element up
    /// to an end tag of its name, in libxml2's pieces: each piece ends at the first character
    /// that brings it to 1,000 bytes or more, without the characters libxml2 drops.
    private mutating func pieces(body: Element?, _ sink: inout Sink) {
        var piece = Piece(start: i)
        while i < n {
            let special = nextSpecial(text: body == nil)
            if special > i { add(i, special, to: &piece, body: body, &sink) }
            i = special
            guard i < n else { break }
            let b = page[i]
            var length = 1
            if b == 0x3C || b == 0x26 {
                guard let body, b == 0x3C else { break }
                if at(1) == 0x2F {
                    if endsBody(body) { break }
                    sink.endTagMismatch(body.name)
                }
            } else if b == 0xEF {
                length = 3
                if at(1) == 0xBF, at(2) >= 0xBE {
                    drop(length, from: &piece)
                    continue
                }
            } else if b != 0x09, b != 0x0A, b != 0x0D {
                drop(length, from: &piece)
                continue
            }
            add(i, i + length, to: &piece, body: body, &sink)
            i += length
        }
        if piece.count(upTo: i) > 0 { hand(&piece, upTo: i, body: body, next: current, &sink) }
    }

    /// The piece of text being gathered: a run of the page from `start` while it is one, else
    /// the bytes in `copied`.
    private struct Piece {
        var start: Int
        var copied: [UInt8] = []
        var isRun = true

        func count(upTo end: Int) -> Int { isRun ? end - start : copied.count }
    }

    /// The first byte from `i` that text cannot simply take: `<`, `&` (in text), a control
    /// character, or 0xEF (which starts U+FFFE and U+FFFF); `n` if none. Eight bytes at a time.
    private func nextSpecial(text: Bool) -> Int {
        let raw = UnsafeRawPointer(page)
        let ampersandMask: UInt64 = text ? ~0 : 0
        var k = i
        while k + 8 <= n {
            let word = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            let ef = word ^ 0xEFEF_EFEF_EFEF_EFEF, lt = word ^ 0x3C3C_3C3C_3C3C_3C3C, amp = word ^ 0x2626_2626_2626_2626
            let flags = ((word &- 0x2020_2020_2020_2020) & ~word) | ((ef &- 0x0101_0101_0101_0101) & ~ef)
                | ((lt &- 0x0101_0101_0101_0101) & ~lt) | ((amp &- 0x0101_0101_0101_0101) & ~amp & ampersandMask)
            let high = flags & 0x8080_8080_8080_8080
            if high != 0 { return k + high.trailingZeroBitCount / 8 }
            k += 8
        }
        while k < n {
            let b = page[k]
            if b < 0x20 || b == 0xEF || b == 0x3C || (text && b == 0x26) { return k }
            k += 1
        }
        return n
    }

    /// Leaves out the `length` bytes of a character libxml2 drops.
    private mutating func drop(_ length: Int, from piece: inout Piece) {
        if piece.isRun {
            if piece.start == i {
                piece.start += length
            } else {
                piece.copied.append(contentsOf: UnsafeBufferPointer(start: page + piece.start, count: i - piece.start))
                piece.isRun = false
            }
        }
        i += length
    }

    /// Adds the characters of the page from `start` to `end` to the piece, handing it over each
    /// time it reaches 1,000 bytes.
    private mutating func add(_ start: Int, _ end: Int, to piece: inout Piece, body: Element?, _ sink: inout Sink) {
        var from = start
        while true {
            let count = piece.isRun ? from - piece.start : piece.copied.count
            var cut = from + (1000 - count)
            guard cut <= end else { break }
            while cut < end, page[cut] & 0xC0 == 0x80 { cut += 1 }
            if !piece.isRun { piece.copied.append(contentsOf: UnsafeBufferPointer(start: page + from, count: cut - from)) }
            var last = cut - 1
            while last > from, page[last] & 0xC0 == 0x80 { last -= 1 }
            hand(&piece, upTo: cut, body: body, next: page[last], &sink)
            piece = Piece(start: cut)
            from = cut
        }
        if !piece.isRun { piece.copied.append(contentsOf: UnsafeBufferPointer(start: page + from, count: end - from)) }
    }

    /// Whether the `</` here starts an end tag of `body`'s name, in any case.
    private func endsBody(_ body: Element) -> Bool {
        guard i + 2 + body.count <= n else { return false }
        for k in 0..<body.count {
            let b = page[i + 2 + k]
            if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != body.name[k] { return false }
        }
        return true
    }

    /// Hands a piece over, the page's run ending at `end` or its copied bytes; `next` is the byte
    /// libxml2 stands at when it does.
    private mutating func hand(_ piece: inout Piece, upTo end: Int, body: Element?, next: UInt8, _ sink: inout Sink) {
        if piece.isRun {
            hand(page + piece.start, end - piece.start, body: body, next: next, &sink)
        } else {
            piece.copied.withUnsafeBufferPointer { hand($0.baseAddress!, $0.count, body: body, next: next, &sink) }
        }
    }

    /// Hands over a piece of text or body. A blank piece of text implies no paragraph when
    /// markup or the end follows it in `html`, `head` or no element.
    private mutating func hand(_ bytes: UnsafePointer<UInt8>, _ count: Int, body: Element?, next: UInt8, _ sink: inout Sink) {
        if body == nil {
            var blank = true
            for k in 0..<count where !Self.isBlank(bytes[k]) {
                blank = false
                break
            }
            let ignorable = blank
                && (next == 0 || (next == 0x3C && (stack.last.map { $0.id == rules.html || $0.id == rules.head } ?? true)))
            if !ignorable { openParagraphIfNeeded(&sink) }
        }
        sink.characters(bytes, count)
    }

    // MARK: References

    /// What a reference at `&` reads as.
    private enum Reference {
        /// A character reference: its character, or 0 if it is not one XML allows.
        case character(UInt32)
        /// An entity libxml2 knows, with its `;`.
        case entity(UInt32)
        /// A lone `&`.
        case ampersand
        /// `&` and a name libxml2 does not resolve (no `;`, or an entity it does not know).
        case unresolved(Range<Int>)
    }

    /// Reads the reference at `&` as `htmlParseCharRef` and `htmlParseEntityRef` do.
    private mutating func readReference() throws(Declined) -> Reference {
        if at(1) == 0x23 { return .character(characterReference()) }
        i += 1
        guard let name = try asciiName() else { return .ampersand }
        if current == 0x3B, let value = rules.entity(page + name.lowerBound, name.count) {
            i += 1
            return .entity(value)
        }
        return .unresolved(name)
    }

    /// A reference in text: its character, or `&` and the name as two pieces; nothing for a
    /// character reference to a character XML does not allow.
    private mutating func reference(_ sink: inout Sink) throws(Declined) {
        let reference = try readReference()
        if case .character(0) = reference { return }
        openParagraphIfNeeded(&sink)
        switch reference {
        case let .character(value), let .entity(value):
            var out: [UInt8] = []
            UTF8Bytes.append(scalar: value, to: &out)
            out.withUnsafeBufferPointer { sink.characters($0.baseAddress!, $0.count) }
        case .ampersand:
            Self.characters("&", &sink)
        case let .unresolved(name):
            Self.characters("&", &sink)
            sink.characters(page + name.lowerBound, name.count)
        }
    }

    /// A reference in an attribute value, decoded into `out` (a disallowed character reference
    /// as a NUL byte, which ends the value as libxml2 reports it).
    private mutating func reference(into out: inout [UInt8]) throws(Declined) {
        switch try readReference() {
        case let .character(value), let .entity(value):
            UTF8Bytes.append(scalar: value, to: &out)
        case .ampersand:
            out.append(0x26)
        case let .unresolved(name):
            out.append(0x26)
            out.append(contentsOf: UnsafeBufferPointer(start: page + name.lowerBound, count: name.count))
        }
    }

    /// Reads `&#…;` or `&#x…;` as libxml2 does: the value, or 0 if it is not a character XML allows.
    private mutating func characterReference() -> UInt32 {
        var value: UInt32 = 0
        let hex = at(2) == 0x78 || at(2) == 0x58
        i += hex ? 3 : 2
        while current != 0x3B {
            let b = current
            let digit: UInt32
            if Self.isDigit(b) {
                digit = UInt32(b - 0x30)
            } else if hex, (b | 0x20) >= 0x61, (b | 0x20) <= 0x66 {
                digit = UInt32((b | 0x20) - 0x61 + 10)
            } else {
                break
            }
            if value < 0x110000 { value = value * (hex ? 16 : 10) + digit }
            i += 1
        }
        if current == 0x3B { i += 1 }
        switch value {
        case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return value
        default: return 0
        }
    }

    /// A name as libxml2's `htmlParseName` reads one (case kept: entity, PI target and doctype
    /// names), its range; nil if none starts here or it runs to the end of the page. A name
    /// libxml2 would read by its Unicode rules is declined.
    private mutating func asciiName() throws(Declined) -> Range<Int>? {
        let first = current
        guard Self.isLetter(first) || first == 0x5F || first == 0x3A else {
            if first >= 0x80 { throw Declined() }
            return nil
        }
        var end = i + 1
        while end < n {
            let b = page[end]
            guard Self.isLetter(b) || Self.isDigit(b) || b == 0x5F || b == 0x2D || b == 0x3A || b == 0x2E else { break }
            end += 1
        }
        if end == n { return nil }
        if page[end] >= 0x80 { throw Declined() }
        defer { i = end }
        return i..<end
    }

    // MARK: Other markup

    /// `<!-- … -->`, ended by the first `-->` or `--!>` after its opening, or by the end of the page.
    private mutating func comment() {
        var k = i + 4
        while k + 2 < n {
            if page[k] == 0x2D, page[k + 1] == 0x2D {
                if page[k + 2] == 0x3E {
                    i = k + 3
                    return
                }
                if page[k + 2] == 0x21, k + 3 < n, page[k + 3] == 0x3E {
                    i = k + 4
                    return
                }
            }
            k += 1
        }
        i = n
    }

    /// `<?target …>`.
    private mutating func processingInstruction() throws(Declined) {
        i += 2
        guard try asciiName() != nil else { return }
        if current == 0x3E {
            i += 1
            return
        }
        skipBlanks()
        while i < n, page[i] != 0x3E { i += 1 }
        if current == 0x3E { i += 1 }
    }

    /// `<!DOCTYPE name SYSTEM "…">` or `PUBLIC "…" "…"`, to its `>`.
    private mutating func doctype() throws(Declined) {
        i += 9
        skipBlanks()
        _ = try asciiName()
        skipBlanks()
        if matchesUpper("SYSTEM") {
            i += 6
            skipBlanks()
            literal()
        } else if matchesUpper("PUBLIC") {
            i += 6
            skipBlanks()
            literal()
            skipBlanks()
            if current == 0x22 || current == 0x27 { literal() }
        }
        skipBlanks()
        while i < n, page[i] != 0x3E { i += 1 }
        if current == 0x3E { i += 1 }
    }

    /// A quoted literal, if one starts here.
    private mutating func literal() {
        let quote = current
        guard quote == 0x22 || quote == 0x27 else { return }
        i += 1
        while i < n, page[i] != quote { i += 1 }
        if current == quote { i += 1 }
    }
}

/// The attributes `PageWalker` reads, the only ones `HTMLEventReader` reports.
enum InterestingAttributes {
    static let names = ["class", "id", "role", "itemprop", "style", "hidden", "aria-hidden", "lang", "xml:lang", "rel", "href"]

    /// The names, NUL-terminated.
    nonisolated(unsafe) static let namePointers = names.map(HTMLParserTables.nulTerminated)

    private static let short = PackedNames(
        names.enumerated().filter { $0.element.utf8.count <= 8 }.map { ($0.element, $0.offset) }, absent: -1)
    private static let ariaHidden = names.firstIndex(of: "aria-hidden")!

    /// The index in `names` of the name of `count` bytes at `name`, any case, whose first eight
    /// bytes lower-cased are packed in `key`; -1 if it is none of them.
    static func index(key: UInt64, count: Int, at name: UnsafePointer<UInt8>) -> Int {
        if count <= 8 { return short.value(key) }
        if count == 11, HTMLParserTables.equalsFolded(name, "aria-hidden") { return ariaHidden }
        return -1
    }
}
