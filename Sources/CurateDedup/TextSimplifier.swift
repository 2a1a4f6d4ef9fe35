import CurateCore
import Foundation

/// The text normalisation datatrove applies before near-duplicate matching (its
/// `simplify_text` with the default `TextNormConfig`): lower-case, every run of decimal
/// digits (with at most one decimal separator inside) replaced by `0`, datatrove's
/// punctuation set and control characters turned into spaces, white space collapsed,
/// canonical decomposition with nonspacing marks (category Mn) removed.
///
/// The result is written as words separated by single spaces, so an n-gram of words is a
/// contiguous byte range of the output.
///
/// Differences from datatrove: words are split on white space after normalisation (datatrove
/// runs a per-language word tokenizer, which on punctuation-free English text splits the same
/// way except for a few contractions such as "cannot"); Greek capital sigma always lowers to
/// σ (Python's `lower` picks ς at the end of a word).
public struct TextSimplifier: Sendable {
    /// The simplified text: words separated by single spaces, no leading or trailing space.
    public private(set) var text: [UInt8] = []
    /// Start offsets of the words in `text`.
    public private(set) var wordStarts: [Int] = []
    /// End offsets (exclusive) of the words in `text`.
    public private(set) var wordEnds: [Int] = []

    public init() {
        text.reserveCapacity(1 << 16)
    }

    /// Simplifies `bytes` (UTF-8; invalid sequences are read as U+FFFD) into `text`.
    public mutating func simplify(_ bytes: UnsafeBufferPointer<UInt8>) {
        var out = text, starts = wordStarts, ends = wordEnds
        text = []; wordStarts = []; wordEnds = []
        out.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        out.reserveCapacity(bytes.count + 16)
        let table = ScalarTable.shared
        let ascii = table.ascii
        var inWord = false
        var i = 0
        let n = bytes.count
        while i < n {
            let byte = bytes[i]
            if byte < 0x80 {
                let mapped = ascii[Int(byte)]
                if mapped > ScalarTable.asciiDigit {
                    if !inWord {
                        if !out.isEmpty { out.append(0x20) }
                        starts.append(out.count)
                        inWord = true
                    }
                    out.append(mapped)
                    i += 1
                    continue
                }
                if mapped == ScalarTable.asciiSpace {
                    if inWord {
                        ends.append(out.count)
                        inWord = false
                    }
                    i += 1
                    continue
                }
            }
            let (scalar, length) = Self.scalar(bytes, at: i)
            let entry = table.entry(scalar)
            let kind = entry & ScalarTable.kindMask
            if kind == ScalarTable.space {
                if inWord {
                    ends.append(out.count)
                    inWord = false
                }
                i += length
                continue
            }
            if kind == ScalarTable.drop {
                i += length
                continue
            }
            if !inWord {
                if !out.isEmpty { out.append(0x20) }
                starts.append(out.count)
                inWord = true
            }
            switch kind {
            case ScalarTable.copy:
                for k in 0..<length { out.append(bytes[i + k]) }
                i += length
            case ScalarTable.digit:
                out.append(0x30)
                i = Self.skipNumber(bytes, from: i + length, table: table)
            default:
                table.appendReplacement(entry, to: &out)
                i += length
            }
        }
        if inWord { ends.append(out.count) }
        text = out
        wordStarts = starts
        wordEnds = ends
    }

    /// The end of the number whose first digit ends at `i`: more digits, then optionally one
    /// decimal separator followed by digits.
    @inline(__always)
    private static func skipNumber(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, table: ScalarTable) -> Int {
        var i = skipDigits(bytes, from: start, table: table)
        guard i < bytes.count else { return i }
        let (separator, length) = scalar(bytes, at: i)
        guard isDecimalSeparator(separator), i + length < bytes.count else { return i }
        let (next, _) = scalar(bytes, at: i + length)
        guard table.entry(next) & ScalarTable.kindMask == ScalarTable.digit else { return i }
        i = skipDigits(bytes, from: i + length, table: table)
        return i
    }

    @inline(__always)
    private static func skipDigits(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, table: ScalarTable) -> Int {
        var i = start
        while i < bytes.count {
            let (s, length) = scalar(bytes, at: i)
            guard table.entry(s) & ScalarTable.kindMask == ScalarTable.digit else { break }
            i += length
        }
        return i
    }

    /// The separators datatrove accepts between the integer and decimal parts of a number.
    @inline(__always)
    private static func isDecimalSeparator(_ s: UInt32) -> Bool {
        switch s {
        case 0x2E, 0x2C, 0x060C, 0x066B, 0x2396, 0x2397, 0x2398: true
        default: false
        }
    }

    @inline(__always)
    static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        if bytes[i] < 0x80 { return (UInt32(bytes[i]), 1) }
        let length = UTF8Bytes.sequenceLength(bytes, at: i)
        if length == 0 { return (0xFFFD, 1) }
        return (UTF8Bytes.decode(bytes, at: i).scalar, length)
    }
}

/// What simplification does to each scalar, as a two-level table built once from the
/// Unicode data of the Swift runtime and Foundation.
/// Immutable once built, hence safe to share between threads.
final class ScalarTable: @unchecked Sendable {
    static let shared = ScalarTable()

    static let kindMask: UInt32 = 7
    /// The scalar is kept as it is.
    static let copy: UInt32 = 0
    /// Punctuation, control or white space: ends a word.
    static let space: UInt32 = 1
    /// A nonspacing mark, or a scalar whose decomposition is nothing but marks: removed.
    static let drop: UInt32 = 2
    /// A decimal digit (general category Nd).
    static let digit: UInt32 = 3
    /// Replaced by `length = entry >> 3 & 31` bytes at `offset = entry >> 8` of `replacements`.
    static let replace: UInt32 = 4

    private let blockIndex: UnsafeMutablePointer<UInt16>
    private let blocks: UnsafeMutablePointer<UInt32>
    private let replacements: [UInt8]
    /// For ASCII bytes: the output byte, or ``asciiSpace`` or ``asciiDigit``.
    let ascii: UnsafeMutablePointer<UInt8>
    static let asciiSpace: UInt8 = 0
    static let asciiDigit: UInt8 = 1

    /// datatrove's punctuation set, besides the control characters.
    private static let punctuation: Set<UInt32> = Set(
        "!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_.\"}►»".unicodeScalars.map(\.value))

    private init() {
        // Each scalar's own verdict, or nil when its lower-cased, decomposed form decides.
        var kinds = [UInt32?](repeating: ScalarTable.copy, count: 0x110000)
        var pending: [UInt32] = []
        // In pieces of 1,024 scalars: decomposing one string of them all moved its tail at
        // every expansion (a third of a second at start).
        var lowered = [""]
        for value in AssignedScalars.ranges.joined() {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if ScalarTable.isUnifiedIdeograph(value) { continue }
            if value < 9 || (value > 10 && value < 32) || (value >= 127 && value < 160) {
                kinds[Int(value)] = ScalarTable.space
                continue
            }
            if value < 0x80 && !(0x41...0x5A).contains(value) {
                if ScalarTable.punctuation.contains(value) || value == 0x20 || value == 9 || value == 10 {
                    kinds[Int(value)] = ScalarTable.space
                } else if (0x30...0x39).contains(value) {
                    kinds[Int(value)] = ScalarTable.digit
                }
                continue
            }
            let properties = scalar.properties
            switch properties.generalCategory {
            case .unassigned, .privateUse, .surrogate: continue
            case .decimalNumber: kinds[Int(value)] = ScalarTable.digit; continue
            case .nonspacingMark: kinds[Int(value)] = ScalarTable.drop; continue
            default: break
            }
            if properties.isWhitespace {
                kinds[Int(value)] = ScalarTable.space
                continue
            }
            let lower = properties.lowercaseMapping
            if lower.unicodeScalars.count == 1, ScalarTable.punctuation.contains(lower.unicodeScalars.first!.value) {
                kinds[Int(value)] = ScalarTable.space
                continue
            }
            kinds[Int(value)] = nil
            pending.append(value)
            if pending.count % 1024 == 0 { lowered.append("") }
            lowered[lowered.count - 1] += lower
            lowered[lowered.count - 1].unicodeScalars.append(Unicode.Scalar(0))
        }
        // One canonical decomposition for all the others; U+0000 (combining class 0)
        // keeps their marks apart, and the pieces too.
        var replacementsOf: [UInt32: [UInt8]] = [:]
        var next = 0
        var current: [UInt8] = []
        var currentIsSelf = true
        for s in lowered.lazy.flatMap(\.decomposedStringWithCanonicalMapping.unicodeScalars) {
            if s.value == 0 {
                let value = pending[next]
                if current.isEmpty {
                    kinds[Int(value)] = ScalarTable.drop
                } else if currentIsSelf && current.count == Unicode.Scalar(value)!.utf8.count {
                    kinds[Int(value)] = ScalarTable.copy
                } else {
                    kinds[Int(value)] = ScalarTable.replace
                    replacementsOf[value] = current
                }
                next += 1
                current.removeAll(keepingCapacity: true)
                currentIsSelf = true
                continue
            }
            if s.properties.generalCategory == .nonspacingMark { continue }
            if s.value != pending[next] { currentIsSelf = false }
            UTF8Bytes.append(scalar: s.value, to: &current)
        }

        var blockIndex = [UInt16](repeating: 0, count: 0x1100)
        var blocks: [UInt32] = []
        var replacements: [UInt8] = []
        var known: [[UInt32]: UInt16] = [:]
        var replacementOffsets: [[UInt8]: UInt32] = [:]
        for block in 0..<0x1100 {
            var entries = [UInt32](repeating: ScalarTable.copy, count: 256)
            for low in 0..<256 {
                let value = UInt32(block << 8 | low)
                let kind = kinds[Int(value)] ?? ScalarTable.copy
                if kind == ScalarTable.replace, let bytes = replacementsOf[value] {
                    let offset = replacementOffsets[bytes] ?? {
                        let offset = UInt32(replacements.count)
                        replacements += bytes
                        replacementOffsets[bytes] = offset
                        return offset
                    }()
                    entries[low] = offset << 8 | UInt32(bytes.count) << 3 | ScalarTable.replace
                } else {
                    entries[low] = kind
                }
            }
            if let id = known[entries] {
                blockIndex[block] = id
            } else {
                let id = UInt16(blocks.count / 256)
                known[entries] = id
                blocks += entries
                blockIndex[block] = id
            }
        }
        // The shared table lives as long as the process.
        self.blockIndex = .allocate(capacity: blockIndex.count)
        self.blockIndex.initialize(from: blockIndex, count: blockIndex.count)
        self.blocks = .allocate(capacity: blocks.count)
        self.blocks.initialize(from: blocks, count: blocks.count)
        self.replacements = replacements
        ascii = .allocate(capacity: 128)
        for byte in 0..<128 {
            let entry = blocks[Int(blockIndex[0]) << 8 | byte]
            switch entry & ScalarTable.kindMask {
            case ScalarTable.space: ascii[byte] = ScalarTable.asciiSpace
            case ScalarTable.digit: ascii[byte] = ScalarTable.asciiDigit
            case ScalarTable.replace: ascii[byte] = replacements[Int(entry >> 8)]
            default: ascii[byte] = UInt8(byte)
            }
        }
    }

    /// CJK unified ideographs: letters without case or decomposition.
    private static func isUnifiedIdeograph(_ value: UInt32) -> Bool {
        switch value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0x20000...0x2A6DF, 0x2A700...0x2EBEF, 0x30000...0x3134F: true
        default: false
        }
    }

    @inline(__always)
    func entry(_ scalar: UInt32) -> UInt32 {
        blocks[Int(blockIndex[Int(scalar >> 8)]) << 8 | Int(scalar & 0xFF)]
    }

    @inline(__always)
    func appendReplacement(_ entry: UInt32, to out: inout [UInt8]) {
        let offset = Int(entry >> 8), length = Int(entry >> 3 & 31)
        replacements.withUnsafeBufferPointer { r in
            for k in offset..<offset + length { out.append(r[k]) }
        }
    }
}
