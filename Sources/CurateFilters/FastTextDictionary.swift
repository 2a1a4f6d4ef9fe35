import Foundation

/// The vocabulary of a fastText model: its words and labels with their counts, and what a
/// token of input text adds to the hidden layer (the rows of its word, character n-grams and
/// word n-grams, hashed as fastText hashes them).
///
/// Built once from the model file; immutable afterwards, so one instance serves any number of
/// threads.
public final class FastTextDictionary: @unchecked Sendable {
    /// The marker fastText adds at the end of every line, `</s>`.
    static let endOfSentence: [UInt8] = Array("</s>".utf8)
    /// The prefix that marks a label token, `__label__` (not stored in model files).
    static let labelPrefix: [UInt8] = Array("__label__".utf8)

    /// Words, then labels, as the file lists them.
    public let entries: [(text: [UInt8], count: Int64)]
    public let wordCount: Int
    public let labelCount: Int
    /// The labels, as written in the model (`__label__en`).
    public let labels: [String]
    public let tokenCount: Int64

    let minn: Int
    let maxn: Int
    let bucket: UInt32
    /// ⌈2⁶⁴ / bucket⌉, for the remainder by `bucket` without a division (`bucketOf`).
    private let bucketReciprocal: UInt64
    let wordNgrams: Int
    /// -1: not pruned; 0: pruned of every n-gram; otherwise the number of n-gram buckets kept.
    let prunedSize: Int64
    private let pruned: FastTextBucketMap

    private let entryHash: UnsafeMutableBufferPointer<UInt32>
    private let entryStart: UnsafeMutableBufferPointer<Int32>
    private let entryBytes: UnsafeMutableBufferPointer<UInt8>
    private let table: UnsafeMutableBufferPointer<Int32>
    private let tableMask: Int
    /// For each word, the input rows it adds when in the vocabulary: its own, then its
    /// character n-grams'.
    private let wordRowStart: UnsafeMutableBufferPointer<Int32>
    private var wordRows: UnsafeMutableBufferPointer<Int32>
    /// The id of `</s>`, or -1, and its hash.
    private(set) var endOfSentenceID: Int32
    let endOfSentenceHash: UInt32

    init(reading reader: inout FastTextFileReader, args: FastTextArgs) throws(FastTextModelError) {
        let size = try reader.count32("dictionary size", in: 0...Int(Int32.max))
        wordCount = try reader.count32("dictionary word count", in: 0...size)
        labelCount = try reader.count32("dictionary label count", in: 0...size)
        guard wordCount + labelCount == size else {
            throw FastTextModelError("dictionary size \(size) is not words \(wordCount) + labels \(labelCount)")
        }
        guard labelCount > 0 else { throw FastTextModelError("the model has no labels: not a supervised (classification) model") }
        tokenCount = try reader.int64("dictionary token count")
        prunedSize = try reader.int64("dictionary pruned index size")
        var entries: [(text: [UInt8], count: Int64)] = []
        entries.reserveCapacity(size)
        for i in 0..<size {
            let text = Array(try reader.cString("dictionary entry \(i)"))
            let count = try reader.int64("count of dictionary entry \(i)")
            let typeAt = reader.offset
            let type = try reader.uint8("type of dictionary entry \(i)")
            guard type == (i < wordCount ? 0 : 1) else {
                throw FastTextModelError("dictionary entry \(i) at byte \(typeAt) has type \(type); entries 0..<\(wordCount) are words (0), the rest labels (1)")
            }
            entries.append((text, count))
        }
        guard prunedSize <= Int64((reader.bytes.count - reader.offset) / 8) else {
            throw FastTextModelError("pruned index size \(prunedSize) does not fit in the file at byte \(reader.offset)")
        }
        var pruned = FastTextBucketMap(capacityFor: max(0, Int(prunedSize)), keyLimit: prunedSize > 0 ? min(Int(args.bucket), FastTextBucketMap.bitLimit) : 0)
        for _ in 0..<max(0, Int(prunedSize)) {
            let at = reader.offset
            let bucket = try reader.int32("pruned index")
            let row = try reader.int32("pruned index")
            guard bucket >= 0, row >= 0 else { throw FastTextModelError("pruned index entry at byte \(at) is negative (\(bucket) -> \(row))") }
            pruned.set(bucket, row)
        }
        self.pruned = pruned
        self.entries = entries
        labels = entries[wordCount...].map { String(decoding: $0.text, as: UTF8.self) }
        minn = args.minn
        maxn = args.maxn
        bucket = UInt32(args.bucket)
        bucketReciprocal = bucket > 1 ? UInt64.max / UInt64(bucket) + 1 : 0
        wordNgrams = args.wordNgrams
        if bucket == 0, maxn > 0 || wordNgrams > 1 {
            throw FastTextModelError("args.bucket is 0 but the model uses \(maxn > 0 ? "character" : "word") n-grams")
        }

        entryHash = .allocate(capacity: size)
        entryStart = .allocate(capacity: size + 1)
        entryBytes = .allocate(capacity: max(1, entries.reduce(0) { $0 + $1.text.count }))
        var capacity = 16
        while capacity < 2 * size { capacity <<= 1 }
        table = .allocate(capacity: capacity)
        table.initialize(repeating: -1)
        tableMask = capacity - 1
        var position = 0
        for (i, entry) in entries.enumerated() {
            entryStart[i] = Int32(position)
            for byte in entry.text {
                entryBytes[position] = byte
                position += 1
            }
            entryHash[i] = entry.text.withUnsafeBufferPointer { Self.hash($0.baseAddress!, $0.count) }
        }
        entryStart[size] = Int32(position)
        wordRowStart = .allocate(capacity: wordCount + 1)
        wordRows = .allocate(capacity: 0)
        endOfSentenceHash = Self.endOfSentence.withUnsafeBufferPointer { Self.hash($0.baseAddress!, $0.count) }
        endOfSentenceID = -1
        for i in 0..<size { insert(Int32(i)) }
        self.endOfSentenceID = Self.endOfSentence.withUnsafeBufferPointer { find($0.baseAddress!, $0.count, hash: endOfSentenceHash) }
        wordRows.deallocate()
        wordRows = precomputeWordRows()
    }

    deinit {
        entryHash.deallocate()
        entryStart.deallocate()
        entryBytes.deallocate()
        table.deallocate()
        wordRowStart.deallocate()
        wordRows.deallocate()
    }

    /// Checks that every row the dictionary can produce exists in an input matrix of `rows` rows.
    func validate(inputRows rows: Int) throws(FastTextModelError) {
        if prunedSize > 0 {
            if let bad = pruned.allValues.first(where: { wordCount + Int($0) >= rows }) {
                throw FastTextModelError("pruned index maps an n-gram to row \(wordCount + Int(bad)), past the input matrix's \(rows) rows")
            }
        } else if prunedSize < 0, bucket > 0, maxn > 0 || wordNgrams > 1, wordCount + Int(bucket) > rows {
            throw FastTextModelError("input matrix has \(rows) rows, fewer than words \(wordCount) + buckets \(bucket)")
        }
        if wordCount > rows { throw FastTextModelError("input matrix has \(rows) rows, fewer than the \(wordCount) words") }
    }

    // MARK: Hashing and lookup

    /// fastText's 32-bit FNV-1a, which XORs each byte sign-extended (as a signed `char`).
    @inline(__always)
    static func hash(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for i in 0..<count { h = step(h, bytes[i]) }
        return h
    }

    @inline(__always)
    static func step(_ h: UInt32, _ byte: UInt8) -> UInt32 {
        (h ^ UInt32(bitPattern: Int32(Int8(bitPattern: byte)))) &* 16_777_619
    }

    private func insert(_ id: Int32) {
        let start = Int(entryStart[Int(id)]), end = Int(entryStart[Int(id) + 1])
        var i = Int(entryHash[Int(id)]) & tableMask
        while table[i] != -1, !sameEntry(table[i], entryBytes.baseAddress! + start, end - start, entryHash[Int(id)]) {
            i = (i + 1) & tableMask
        }
        table[i] = id  // a repeated entry replaces the earlier one, as fastText's loader does
    }

    @inline(__always)
    private func sameEntry(_ id: Int32, _ bytes: UnsafePointer<UInt8>, _ count: Int, _ hash: UInt32) -> Bool {
        guard entryHash[Int(id)] == hash else { return false }
        let start = Int(entryStart[Int(id)])
        guard Int(entryStart[Int(id) + 1]) - start == count else { return false }
        return memcmp(entryBytes.baseAddress! + start, bytes, count) == 0
    }

    /// The id of the entry spelled `bytes` (whose hash is `hash`), or -1.
    @inline(__always)
    func find(_ bytes: UnsafePointer<UInt8>, _ count: Int, hash: UInt32) -> Int32 {
        var i = Int(hash) & tableMask
        while true {
            let id = table[i]
            if id == -1 || sameEntry(id, bytes, count, hash) { return id }
            i = (i + 1) & tableMask
        }
    }

    /// The input rows of the vocabulary word `id`.
    @inline(__always)
    func rows(ofWord id: Int32) -> UnsafeBufferPointer<Int32> {
        let start = Int(wordRowStart[Int(id)])
        return UnsafeBufferPointer(rebasing: wordRows[start..<Int(wordRowStart[Int(id) + 1])])
    }

    /// `hash % bucket`, by a multiplication (exact for every 32-bit hash, Lemire's method).
    @inline(__always)
    func bucketOf(_ hash: UInt32) -> UInt32 {
        guard bucket > 1 else { return 0 }
        return UInt32(truncatingIfNeeded: (bucketReciprocal &* UInt64(hash)).multipliedFullWidth(by: UInt64(bucket)).high)
    }

    /// The input row of n-gram bucket `id`, or -1 when the model pruned it away.
    @inline(__always)
    func ngramRow(_ id: Int32) -> Int32 {
        if prunedSize == 0 { return -1 }
        if prunedSize > 0 {
            let row = pruned.value(id)
            return row < 0 ? -1 : Int32(wordCount) + row
        }
        return Int32(wordCount) + id
    }

    /// Calls `body` with the row of each character n-gram of `word` (the token between `<`
    /// and `>`), in fastText's order: by start character, then by length; n-grams of `minn`
    /// to `maxn` characters (UTF-8 sequences), except `<` and `>` alone.
    @inline(__always)
    func forEachNgramRow(_ word: UnsafePointer<UInt8>, _ count: Int, _ body: (Int32) -> Void) {
        var i = 0
        while i < count {
            if word[i] & 0xC0 == 0x80 {
                i += 1
                continue
            }
            var h: UInt32 = 2_166_136_261
            var j = i
            var n = 1
            while j < count, n <= maxn {
                h = Self.step(h, word[j])
                j += 1
                while j < count, word[j] & 0xC0 == 0x80 {
                    h = Self.step(h, word[j])
                    j += 1
                }
                if n >= minn, !(n == 1 && (i == 0 || j == count)) {
                    let row = ngramRow(Int32(bitPattern: bucketOf(h)))
                    if row >= 0 { body(row) }
                }
                n += 1
            }
            i += 1
        }
    }

    private func precomputeWordRows() -> UnsafeMutableBufferPointer<Int32> {
        var rows: [Int32] = []
        var wrapped: [UInt8] = []
        for id in 0..<wordCount {
            wordRowStart[id] = Int32(rows.count)
            rows.append(Int32(id))
            if Int32(id) != endOfSentenceID {
                wrapped = [UInt8(ascii: "<")] + entries[id].text + [UInt8(ascii: ">")]
                wrapped.withUnsafeBufferPointer { w in forEachNgramRow(w.baseAddress!, w.count) { rows.append($0) } }
            }
        }
        wordRowStart[wordCount] = Int32(rows.count)
        let buffer = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(1, rows.count))
        _ = buffer.initialize(from: rows)
        return buffer
    }
}
