import Glibc

/// The last pass of `WikitextConverter`: lays out lines whose templates and links are gone as
/// blocks separated by a blank line. Consecutive text lines make one paragraph (joined by a
/// space); a heading (`== H ==`) is a block of its own, left out when no text follows it
/// before the next heading of the same or a higher level; consecutive list items (`*`, `#`,
/// `:`, `;`) make one block, one item per line, without their markers. Tables (`{|` … `|}`,
/// nested, matched line by line; an unclosed `{|` line is dropped alone) and horizontal
/// rules are removed; an empty line or a line left empty ends a block.
struct WikitextBlocks {
    private enum Block { case none, paragraph, list }

    private var out: [UInt8]
    private var current = Block.none
    /// Headings not written yet: they wait for text to head.
    private var headings: [(level: Int, text: [UInt8])] = []

    private init(capacity: Int) {
        out = []
        out.reserveCapacity(capacity)
    }

    static func run(_ p: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var blocks = WikitextBlocks(capacity: p.count)
        let tableEnds = tableEnds(p)
        var line: [UInt8] = []
        var start = 0
        while start < p.count {
            let end = lineEnd(p, from: start)
            let next = end + 1
            line.removeAll(keepingCapacity: true)
            if tableStart(p, start, end) {
                blocks.current = .none
                start = tableEnds[start] ?? next
                continue
            }
            defer { start = next }
            if let (level, range) = heading(p, start, end) {
                WikitextInline.render(p, range, into: &line)
                blocks.current = .none
                if !line.isEmpty { blocks.add(heading: line, level: level) }
                continue
            }
            var text = start
            let kind: Block
            if p[start...].starts(with: "----".utf8) {
                blocks.current = .none
                while text < end, p[text] == UInt8(ascii: "-") { text += 1 }
                kind = .paragraph
            } else {
                while text < end, isListMarker(p[text]) { text += 1 }
                kind = text > start ? .list : .paragraph
            }
            WikitextInline.render(p, text..<end, into: &line)
            if !line.isEmpty {
                blocks.add(line, as: kind)
            } else if kind == .paragraph {
                blocks.current = .none
            }
        }
        return blocks.out
    }

    private mutating func add(_ text: [UInt8], as kind: Block) {
        switch (current, kind) {
        case (.paragraph, .paragraph):
            out.append(0x20)
        case (.list, .list):
            out.append(0x0A)
        default:
            for heading in headings {
                separate()
                out.append(contentsOf: heading.text)
            }
            headings.removeAll()
            separate()
        }
        out.append(contentsOf: text)
        current = kind
    }

    private mutating func add(heading text: [UInt8], level: Int) {
        headings.removeAll { $0.level >= level }
        headings.append((level, text))
    }

    private mutating func separate() {
        if !out.isEmpty { out.append(contentsOf: [0x0A, 0x0A]) }
    }

    // MARK: Lines

    private static func lineEnd(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let found = memchr(p.baseAddress! + start, 0x0A, p.count - start) else { return p.count }
        return UnsafeRawPointer(found) - UnsafeRawPointer(p.baseAddress!)
    }

    private static func isListMarker(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "*") || b == UInt8(ascii: "#") || b == UInt8(ascii: ":") || b == UInt8(ascii: ";")
    }

    /// Whether the line opens a table: `{|` after spaces and indenting colons.
    private static func tableStart(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end, p[i] == 0x20 || p[i] == 0x09 || p[i] == UInt8(ascii: ":") { i += 1 }
        return i + 1 < end && p[i] == UInt8(ascii: "{") && p[i + 1] == UInt8(ascii: "|")
    }

    /// Whether the line closes a table: `|}` after spaces.
    private static func tableEnd(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
        return i + 1 < end && p[i] == UInt8(ascii: "|") && p[i + 1] == UInt8(ascii: "}")
    }

    /// For each line that opens a table that is closed, where the line after its closing line starts.
    private static func tableEnds(_ p: UnsafeBufferPointer<UInt8>) -> [Int: Int] {
        var ends: [Int: Int] = [:]
        var open: [Int] = []
        var start = 0
        while start < p.count {
            let end = lineEnd(p, from: start)
            if tableStart(p, start, end) {
                open.append(start)
            } else if tableEnd(p, start, end), let opening = open.popLast() {
                ends[opening] = end + 1
            }
            start = end + 1
        }
        return ends
    }

    /// The level and content of a heading line: `=` runs at both ends (the shorter one, up to
    /// 6, counts), then only spaces.
    private static func heading(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (level: Int, content: Range<Int>)? {
        guard p[start] == UInt8(ascii: "=") else { return nil }
        var last = end
        while last > start, p[last - 1] == 0x20 || p[last - 1] == 0x09 || p[last - 1] == 0x0D { last -= 1 }
        var leading = 0
        while start + leading < last, p[start + leading] == UInt8(ascii: "=") { leading += 1 }
        var trailing = 0
        while last - trailing > start + leading, p[last - trailing - 1] == UInt8(ascii: "=") { trailing += 1 }
        guard trailing > 0 else { return nil }
        let level = min(leading, trailing, 6)
        return (level, start + level..<last - level)
    }
}
