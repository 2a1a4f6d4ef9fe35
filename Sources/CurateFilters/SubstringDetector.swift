/// Whether any of a set of byte strings occurs in a text read through a byte map: each byte
/// of the text is mapped first, and bytes that map to nil are skipped, as if absent (so
/// `porn` occurs in `P-o-r-n` under a map that lower-cases letters and drops `-`).
///
/// A deterministic automaton made from an ``AhoCorasick`` automaton: its transitions hold
/// the offset of the next state's row, skipped bytes loop on their state, and the state
/// reached by any match keeps itself, so a step is one table read and no test is needed
/// per byte. Immutable and safe to share between threads.
struct SubstringDetector: Sendable {
    /// For each raw byte, its class: a column of the transition table.
    private let byteClass: [UInt8]
    /// Row-major, `width` columns a state: the row offset of the next state; in 16 bits when
    /// they fit (half the cache lines for the same states), else in 32.
    private let narrow: [UInt16]
    private let wide: [UInt32]
    /// The row offset of the state reached once a pattern has occurred.
    private let matchedRow: Int
    /// Frequent starts of texts (as a URL's scheme), with the row the automaton reaches after
    /// each, so that a text with one needs no steps for it.
    private let knownStarts: [KnownStart]

    /// A start of up to 16 bytes, compared with one or two loads of eight bytes.
    private struct KnownStart {
        let length: Int
        /// The first eight bytes (fewer, with `mask`), and the eight that end the start.
        let head: UInt64, mask: UInt64, tail: UInt64
        let row: Int

        init(_ bytes: [UInt8], row: Int) {
            length = bytes.count
            func word(_ from: Int) -> UInt64 {
                var w: UInt64 = 0
                for k in 0..<8 where from + k < bytes.count { w |= UInt64(bytes[from + k]) << UInt64(8 * k) }
                return w
            }
            head = word(0)
            mask = length >= 8 ? .max : (1 << UInt64(8 * length)) - 1
            tail = word(max(length - 8, 0))
            self.row = row
        }

        /// Whether `text` (eight bytes or more) starts with it.
        @inline(__always)
        func starts(_ text: UnsafeRawPointer, count: Int) -> Bool {
            guard count >= length, text.loadUnaligned(as: UInt64.self) & mask == head else { return false }
            return length <= 8 || text.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self) == tail
        }
    }

    /// The detector for the patterns of `automaton`, with each text byte first replaced by
    /// `byteMap` (nil: skip the byte); `knownStarts` (1 to 16 bytes each, tried in order) are
    /// frequent starts of the texts that it steps over at once.
    init(_ automaton: AhoCorasick, byteMap: (UInt8) -> UInt8?, knownStarts: [[UInt8]] = []) {
        let classes = automaton.classCount
        let skip = classes
        let width = classes + 1
        var representative = [UInt8?](repeating: nil, count: classes)
        for byte in (0...255).reversed() { representative[Int(automaton.byteClass[byte])] = UInt8(byte) }
        byteClass = (0...255).map { byte in byteMap(UInt8(byte)).map { automaton.byteClass[Int($0)] } ?? UInt8(skip) }

        // The states that a text can reach before a match, numbered breadth first, so that the
        // states near the start, where a text spends most of its bytes, share cache lines.
        var number = [Int](repeating: -1, count: automaton.stateCount)
        var order: [Int32] = [AhoCorasick.start]
        number[Int(AhoCorasick.start)] = 0
        automaton.withStepper { stepper in
            var head = 0
            while head < order.count {
                let state = order[head]
                head += 1
                for byte in representative {
                    guard let byte else { continue }
                    let next = stepper.next(state, byte)
                    if !stepper.hasMatch(next), number[Int(next)] < 0 {
                        number[Int(next)] = order.count
                        order.append(next)
                    }
                }
            }
        }
        let matched = order.count * width
        var transitions = [Int](repeating: matched, count: matched + width)
        automaton.withStepper { stepper in
            for (index, state) in order.enumerated() {
                let row = index * width
                for (column, byte) in representative.enumerated() {
                    guard let byte else { continue }
                    let next = stepper.next(state, byte)
                    if !stepper.hasMatch(next) { transitions[row + column] = number[Int(next)] * width }
                }
                transitions[row + skip] = row
            }
        }
        self.knownStarts = Self.rows(after: knownStarts, transitions, byteClass)
        if transitions.count <= Int(UInt16.max) {
            narrow = transitions.map { UInt16($0) }
            wide = []
        } else {
            narrow = []
            wide = transitions.map { UInt32($0) }
        }
        matchedRow = matched
    }

    private static func rows(after starts: [[UInt8]], _ transitions: [Int], _ byteClass: [UInt8]) -> [KnownStart] {
        starts.filter { (1...16).contains($0.count) }.map { start in
            KnownStart(start, row: start.reduce(0) { row, byte in transitions[row + Int(byteClass[Int(byte)])] })
        }
    }

    /// Whether a pattern occurs in `text` read through the byte map.
    func occurs(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        var row = 0, start = 0
        if let base = text.baseAddress, text.count >= 8 {
            for known in knownStarts where known.starts(base, count: text.count) {
                row = known.row
                start = known.length
                break
            }
        }
        return byteClass.withUnsafeBufferPointer { byteClass in
            if !narrow.isEmpty {
                return narrow.withUnsafeBufferPointer { Self.finalRow($0, byteClass, text, from: start, row: row) } == matchedRow
            }
            return wide.withUnsafeBufferPointer { Self.finalRow($0, byteClass, text, from: start, row: row) } == matchedRow
        }
    }

    /// Runs `body` with a stepper over the transitions, for a text read in another loop
    /// (``occurs(in:)`` for a whole text); nil when the table is too large for 16-bit rows.
    @inline(__always)
    func withNarrowStepper<R>(_ body: (NarrowStepper) -> R) -> R? {
        guard !narrow.isEmpty else { return nil }
        return narrow.withUnsafeBufferPointer { transitions in
            byteClass.withUnsafeBufferPointer { body(NarrowStepper(transitions: transitions, byteClass: $0, matchedRow: matchedRow)) }
        }
    }

    /// Steps of the automaton, valid only inside ``withNarrowStepper(_:)``: from row 0 before
    /// a text, a pattern has occurred once the row is `matchedRow`.
    struct NarrowStepper {
        fileprivate let transitions: UnsafeBufferPointer<UInt16>
        fileprivate let byteClass: UnsafeBufferPointer<UInt8>
        let matchedRow: Int

        /// The row after `byte` read in `row`.
        @inline(__always)
        func next(_ row: Int, _ byte: UInt8) -> Int {
            Int(truncatingIfNeeded: transitions[row &+ Int(byteClass[Int(byte)])])
        }
    }

    /// The row the automaton ends in after `text[start...]`, from `row`: one table read a byte.
    @inline(__always)
    private static func finalRow<Offset: FixedWidthInteger>(_ transitions: UnsafeBufferPointer<Offset>, _ byteClass: UnsafeBufferPointer<UInt8>,
                                                            _ text: UnsafeBufferPointer<UInt8>, from start: Int, row: Int) -> Int {
        var row = row
        var i = start
        while i < text.count {
            row = Int(truncatingIfNeeded: transitions[row &+ Int(byteClass[Int(text[i])])])
            i &+= 1
        }
        return row
    }
}
