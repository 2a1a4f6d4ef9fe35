/// Which words of a word list are among a text's words, in one table step a byte. The
/// words of a text: its runs of ASCII letters and digits, case kept, and an empty word
/// when the text starts or ends with another byte (as Python's `re.split` gives them).
///
/// A deterministic automaton over the trie of the listed words: a letter or digit moves
/// down the trie (or to a state that waits for the word's end), and a separator after a
/// listed word moves to a state that names the word, so a step is one table read and the
/// words found need a test only on that rare state. Immutable and safe to share.
struct ListedWordAutomaton: Sendable {
    /// For each byte: its column (a character of the listed words, another letter or
    /// digit, or a separator).
    private let byteClass: [UInt8]
    /// Row-major, `width` columns a state: the row offset of the next state.
    private let transitions: [UInt32]
    private let width: Int
    /// Rows from this one on are the states just after a listed word, one per word, in
    /// the order of `words`; they step as the start state does. A power of two above every
    /// other row, so that the rows of eight steps or-ed together tell whether one was such.
    private let endedRow: Int
    /// For each state below `endedRow` (by row / width): the index of the word the trie
    /// node spells + 1, or 0.
    private let nodeWord: [Int32]
    /// The index of the empty word in `words`, if listed.
    private let emptyWord: Int?
    /// The distinct words, as built.
    let words: [[UInt8]]

    /// The automaton for `words` (letters and digits only, as compared; duplicates are
    /// one word).
    init(words list: [[UInt8]]) {
        var words: [[UInt8]] = []
        var index: [[UInt8]: Int] = [:]
        for word in list where index[word] == nil {
            index[word] = words.count
            words.append(word)
        }
        self.words = words
        emptyWord = index[[]]

        // Columns: 0 separator, 1 a letter or digit no word uses, then one per used byte.
        var byteClass = [UInt8](repeating: 0, count: 256)
        for byte in 0...255 where URLFilter.isAlphanumeric(UInt8(byte)) { byteClass[byte] = 1 }
        var width = 2
        for word in words {
            for byte in word where byteClass[Int(byte)] == 1 {
                byteClass[Int(byte)] = UInt8(width)
                width += 1
            }
        }
        self.byteClass = byteClass
        self.width = width

        // States: 0 start (and after a separator), 1 inside a word no listed word starts
        // with, then the trie's nodes, then one "just ended" state per word.
        var children: [[Int]] = [[Int](repeating: 1, count: width), [Int](repeating: 1, count: width)]
        var nodeWord: [Int32] = [0, 0]
        for (k, word) in words.enumerated() {
            var state = 0
            for byte in word {
                let column = Int(byteClass[Int(byte)])
                if children[state][column] == 1 {
                    children[state][column] = children.count
                    children.append([Int](repeating: 1, count: width))
                    nodeWord.append(0)
                }
                state = children[state][column]
            }
            nodeWord[state] = Int32(k + 1)
        }
        let nodes = children.count
        var endedRow = 1
        while endedRow < nodes * width { endedRow <<= 1 }
        var transitions = [UInt32](repeating: 0, count: endedRow + words.count * width)
        for state in 0..<nodes {
            for column in 1..<width { transitions[state * width + column] = UInt32(children[state][column] * width) }
            // A separator ends the word: to the state naming it, else to the start. (The
            // empty word is not ended here: a text holds it only at its edges.)
            let word = Int(nodeWord[state])
            transitions[state * width] = word > 0 && state > 0 ? UInt32(endedRow + (word - 1) * width) : 0
        }
        for k in 0..<words.count {
            for column in 0..<width { transitions[endedRow + k * width + column] = transitions[column] }
        }
        self.transitions = transitions
        self.nodeWord = nodeWord
        self.endedRow = endedRow
    }

    /// Calls `found` with the index in `words` of each listed word among the words of
    /// `text`, once or more for each occurrence, and `alongside` with each byte of `text` in
    /// order, once (so that another automaton's steps run in the same loop, their table
    /// reads overlapping these).
    @inline(__always)
    func forEachWord(in text: UnsafeBufferPointer<UInt8>, alongside: (UInt8) -> Void = { _ in }, _ found: (Int) -> Void) {
        guard !text.isEmpty else { return }
        byteClass.withUnsafeBufferPointer { byteClass in
            transitions.withUnsafeBufferPointer { transitions in
                if let emptyWord, byteClass[Int(text[0])] == 0 { found(emptyWord) }
                @inline(__always) func step(_ row: Int, _ byte: UInt8) -> Int {
                    Int(truncatingIfNeeded: transitions[row &+ Int(byteClass[Int(byte)])])
                }
                // Eight steps at a time without a test each; the rare block that reached a
                // word's end is stepped again, looking at each state.
                var row = 0
                var i = 0
                while i &+ 8 <= text.count {
                    let blockRow = row
                    var seen = 0
                    for k in 0..<8 {
                        row = step(row, text[i &+ k])
                        seen |= row
                        alongside(text[i &+ k])
                    }
                    if seen >= endedRow {
                        row = blockRow
                        for k in 0..<8 {
                            row = step(row, text[i &+ k])
                            if row >= endedRow { found((row &- endedRow) / width) }
                        }
                    }
                    i &+= 8
                }
                while i < text.count {
                    row = step(row, text[i])
                    if row >= endedRow { found((row &- endedRow) / width) }
                    alongside(text[i])
                    i &+= 1
                }
                if row < endedRow {
                    let word = Int(nodeWord[row / width])
                    if word > 0, row > 0 { found(word - 1) }
                }
                if let emptyWord, row == 0 || row >= endedRow { found(emptyWord) }
            }
        }
    }
}
