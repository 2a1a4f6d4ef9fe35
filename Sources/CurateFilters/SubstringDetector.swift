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
    /// Row-major, `width` columns a state: the row offset of the next state.
    private let transitions: [Int32]
    /// The row offset of the state reached once a pattern has occurred.
    private let matchedRow: Int32

    /// The detector for the patterns of `automaton`, with each text byte first replaced by
    /// `byteMap` (nil: skip the byte).
    init(_ automaton: AhoCorasick, byteMap: (UInt8) -> UInt8?) {
        let classes = automaton.classCount
        let skip = classes
        let width = classes + 1
        var representative = [UInt8?](repeating: nil, count: classes)
        for byte in (0...255).reversed() { representative[Int(automaton.byteClass[byte])] = UInt8(byte) }
        byteClass = (0...255).map { byte in byteMap(UInt8(byte)).map { automaton.byteClass[Int($0)] } ?? UInt8(skip) }

        let matched = automaton.stateCount
        var transitions = [Int32](repeating: Int32(matched * width), count: (matched + 1) * width)
        automaton.withStepper { stepper in
            for state in 0..<matched {
                let row = state * width
                for (column, byte) in representative.enumerated() {
                    guard let byte else { continue }
                    let next = stepper.next(Int32(state), byte)
                    if !stepper.hasMatch(next) { transitions[row + column] = next * Int32(width) }
                }
                transitions[row + skip] = Int32(row)
            }
        }
        self.transitions = transitions
        matchedRow = Int32(matched * width)
    }

    /// Whether a pattern occurs in `text` read through the byte map.
    func occurs(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        transitions.withUnsafeBufferPointer { transitions in
            byteClass.withUnsafeBufferPointer { byteClass in
                var row: Int32 = 0
                for byte in text { row = transitions[Int(row) &+ Int(byteClass[Int(byte)])] }
                return row == matchedRow
            }
        }
    }
}
