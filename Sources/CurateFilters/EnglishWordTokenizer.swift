/// Splits English text into words the way datatrove's English word tokenizer does (spaCy's
/// rule-based English tokenizer, as `split_into_words` and `split_into_sentences` use it):
/// text is cut at white space, then each piece loses leading and trailing punctuation,
/// quotes, brackets and symbols one at a time (with the English contractions and
/// abbreviations kept or split as whole words), and what remains is cut at inner hyphens,
/// commas, slashes, dots between a lower- and an upper-case letter, and ellipses; URLs stay
/// whole.
///
/// Tokens are ranges of scalar indices into a ``ScalarText``.
public struct EnglishWordTokenizer: Sendable {
    public init() {}

    /// The tokens of `text[range]` that are not white space, appended to `tokens`.
    public func tokenize(_ text: ScalarText, _ range: Range<Int>, into tokens: inout [Range<Int>]) {
        var affixes: [Range<Int>] = []
        forEachPiece(text, range) { s, piece, plain in
            if plain {
                tokens.append(piece)
            } else {
                Self.split(s, piece.lowerBound, piece.upperBound, into: &tokens, affixes: &affixes)
            }
        }
    }

    /// The number of tokens of a whole text (`words(text).count`).
    public func wordCount(_ text: ScalarText) -> Int {
        var count = 0
        var tokens: [Range<Int>] = []
        var affixes: [Range<Int>] = []
        forEachPiece(text, 0..<text.count) { s, piece, plain in
            if plain {
                count += 1
            } else {
                tokens.removeAll(keepingCapacity: true)
                Self.split(s, piece.lowerBound, piece.upperBound, into: &tokens, affixes: &affixes)
                count += tokens.count
            }
        }
        return count
    }

    /// Calls `body` with each white-space free piece of `text[range]`, and whether it is one
    /// token as it stands. Most pieces are ASCII letters and digits, which no affix or infix
    /// rule splits unless a unit follows a number ("5km"): one token, or a special case
    /// ("dont"). Many more are such a word and one mark after it that is always split off
    /// (`word,` `word.`), which are given as two tokens, and single characters, which are one.
    @inline(__always)
    private func forEachPiece(_ text: ScalarText, _ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt32>, Range<Int>, Bool) -> Void) {
        text.scalars.withUnsafeBufferPointer { s in
            var i = range.lowerBound
            let end = range.upperBound
            while i < end {
                if ScalarText.isSpace(s[i]) { i += 1; continue }
                var j = i
                var digit = false, letterAfterDigit = false
                while j < end {
                    let c = s[j]
                    if c &- 0x30 < 10 {
                        digit = true
                    } else if (c | 0x20) &- 0x61 < 26 {
                        letterAfterDigit = digit
                    } else {
                        break
                    }
                    j += 1
                }
                if j == end || ScalarText.isSpace(s[j]) {
                    if !letterAfterDigit, EnglishSpecialCases.pieces(s, i, j) == nil {
                        body(s, i..<j, true)
                        i = j
                        continue
                    }
                } else if j + 1 == end || ScalarText.isSpace(s[j + 1]) {
                    if j == i {
                        // One character: no rule splits it, and no special case is that short.
                        body(s, i..<j + 1, true)
                        i = j + 1
                        continue
                    }
                    if !letterAfterDigit, Self.splitsOffAfterWord(s[j], before: s[j - 1]),
                       EnglishSpecialCases.pieces(s, i, j + 1) == nil, EnglishSpecialCases.pieces(s, i, j) == nil {
                        body(s, i..<j, true)
                        body(s, j..<j + 1, true)
                        i = j + 1
                        continue
                    }
                }
                while j < end, !ScalarText.isSpace(s[j]) { j += 1 }
                body(s, i..<j, false)
                i = j
            }
        }
    }

    /// Whether `mark` ending a piece after a word of ASCII letters and digits that is not a
    /// special case, with `before` its last character, is a suffix of its own: `, ; : ! ? ) "`
    /// always; `.` after a lower-case letter or a digit. (Units take no marks; nothing else
    /// applies to these.)
    @inline(__always)
    private static func splitsOffAfterWord(_ mark: UInt32, before: UInt32) -> Bool {
        switch mark {
        case 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x29, 0x22: true
        case 0x2E: before &- 0x61 < 26 || before &- 0x30 < 10
        default: false
        }
    }

    /// The words of a whole text.
    public func words(_ text: ScalarText) -> [Range<Int>] {
        var tokens: [Range<Int>] = []
        tokens.reserveCapacity(text.count / 5 + 1)
        tokenize(text, 0..<text.count, into: &tokens)
        return tokens
    }

    /// The sentences of a whole text as datatrove's `split_into_sentences` cuts it: pieces
    /// that end after a sentence's last token and together cover the text.
    public func sentenceRanges(_ text: ScalarText) -> [Range<Int>] {
        let tokens = words(text)
        var pieces: [Range<Int>] = []
        var start = 0
        forEachSentenceStart(text, tokens) { i in
            let end = tokens[i - 1].upperBound
            pieces.append(start..<end)
            start = end
        }
        pieces.append(start..<text.count)
        return pieces
    }

    /// Calls `body` with the index of each token after the first that starts a sentence.
    private func forEachSentenceStart(_ text: ScalarText, _ tokens: [Range<Int>], _ body: (Int) -> Void) {
        text.scalars.withUnsafeBufferPointer { s in
            var boundary = SentenceBoundary()
            for (i, t) in tokens.enumerated() where boundary.startsSentence(s, t) { body(i) }
        }
    }

    /// The number of sentences in `text[range]` as the sentence splitter datatrove pairs with
    /// this tokenizer counts them: one, plus one for each token that is not punctuation and
    /// follows a token that is a single sentence-final character.
    ///
    /// Only the white-space free pieces that hold a sentence terminal are split into tokens:
    /// the tokens of a piece cover it, so a piece without one starts a sentence (after a
    /// terminal) exactly when it has a character that is not punctuation.
    public func sentenceCount(_ text: ScalarText, _ range: Range<Int>, scratch tokens: inout [Range<Int>]) -> Int {
        tokens.removeAll(keepingCapacity: true)
        return text.scalars.withUnsafeBufferPointer { s in
            var count = 1
            var boundary = SentenceBoundary()
            var affixes: [Range<Int>] = []
            var i = range.lowerBound
            let end = range.upperBound
            while i < end {
                if ScalarText.isSpace(s[i]) { i += 1; continue }
                var j = i
                var terminal = false, content = false
                while j < end {
                    let c = s[j]
                    if ScalarText.isSpace(c) { break }
                    if FilterPunctuation.isSentenceTerminal(c) {
                        terminal = true
                    } else if !content, !Self.isPunctuation(c) {
                        content = true
                    }
                    j += 1
                }
                if terminal {
                    let first = tokens.count
                    Self.split(s, i, j, into: &tokens, affixes: &affixes)
                    for k in first..<tokens.count where boundary.startsSentence(s, tokens[k]) { count += 1 }
                } else if content, boundary.startsSentence(s, i..<j) {
                    count += 1
                }
                i = j
            }
            return count
        }
    }

    /// Follows tokens in order and tells which start a sentence: the first token that is not
    /// punctuation after a token that is a single sentence terminal.
    private struct SentenceBoundary {
        private var seenTerminal = false

        mutating func startsSentence(_ s: UnsafeBufferPointer<UInt32>, _ t: Range<Int>) -> Bool {
            let terminal = t.count == 1 && FilterPunctuation.isSentenceTerminal(s[t.lowerBound])
            if seenTerminal, !terminal, !EnglishWordTokenizer.isAllPunctuation(s, t) {
                seenTerminal = false
                return true
            }
            if terminal { seenTerminal = true }
            return false
        }
    }

    private static func isAllPunctuation(_ s: UnsafeBufferPointer<UInt32>, _ t: Range<Int>) -> Bool {
        for i in t where !isPunctuation(s[i]) { return false }
        return true
    }

    /// Punctuation as the sentence splitter sees it: ASCII punctuation other than the symbols
    /// `$+<=>^`|~`, and Unicode's punctuation categories (P*).
    @inline(__always)
    private static func isPunctuation(_ c: UInt32) -> Bool {
        if c < 0x80 {
            if !(0x21...0x2F ~= c || 0x3A...0x40 ~= c || 0x5B...0x60 ~= c || 0x7B...0x7E ~= c) || c == 0x24 || c == 0x2B
                || c == 0x3C || c == 0x3D || c == 0x3E || c == 0x5E || c == 0x60 || c == 0x7C || c == 0x7E {
                return false
            }
            return true
        }
        guard let scalar = Unicode.Scalar(c) else { return false }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    // MARK: one white-space free piece

    private static func split(_ s: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int,
                              into tokens: inout [Range<Int>], affixes suffixes: inout [Range<Int>]) {
        let first = tokens.count
        defer { mergeSpecialCases(s, &tokens, from: first) }
        var lo = start, hi = end
        suffixes.removeAll(keepingCapacity: true)
        var lastSize = -1
        while lo < hi, hi - lo != lastSize {
            if EnglishSpecialCases.pieces(s, lo, hi) != nil { break }
            lastSize = hi - lo
            let pre = prefixLength(s, lo, hi)
            if pre > 0, lo + pre < hi, EnglishSpecialCases.pieces(s, lo + pre, hi) != nil {
                tokens.append(lo..<lo + pre)
                lo += pre
                break
            }
            let suf = suffixLength(s, lo + pre, hi)
            if suf > 0, hi - suf > lo, EnglishSpecialCases.pieces(s, lo, hi - suf) != nil {
                suffixes.append(hi - suf..<hi)
                hi -= suf
                break
            }
            if pre > 0 {
                tokens.append(lo..<lo + pre)
                lo += pre
            }
            if suf > 0 {
                suffixes.append(hi - suf..<hi)
                hi -= suf
            }
        }
        if lo < hi {
            if let pieces = EnglishSpecialCases.pieces(s, lo, hi) {
                var at = lo
                for length in pieces {
                    tokens.append(at..<at + length)
                    at += length
                }
                if at < hi { tokens.append(at..<hi) }
            } else if URLShape.matches(s, lo, hi) {
                tokens.append(lo..<hi)
            } else {
                splitInfixes(s, lo, hi, into: &tokens)
            }
        }
        for suffix in suffixes.reversed() { tokens.append(suffix) }
    }

    /// Replaces runs of tokens (from index `first`) whose text together is a special case
    /// with that case's pieces ("z" "." in "z.B." becomes "z."); the longest run wins.
    private static func mergeSpecialCases(_ s: UnsafeBufferPointer<UInt32>, _ tokens: inout [Range<Int>], from first: Int) {
        guard tokens.count - first >= 2 else { return }
        var k = first
        while k < tokens.count - 1 {
            var matched: (end: Int, pieces: [Int])?
            var j = k + 1
            while j < tokens.count, tokens[j].upperBound - tokens[k].lowerBound <= EnglishSpecialCases.longest {
                if let pieces = EnglishSpecialCases.pieces(s, tokens[k].lowerBound, tokens[j].upperBound) { matched = (j, pieces) }
                j += 1
            }
            guard let (end, pieces) = matched else { k += 1; continue }
            var at = tokens[k].lowerBound
            let replacement = pieces.map { length in
                defer { at += length }
                return at..<at + length
            }
            tokens.replaceSubrange(k...end, with: replacement)
            k += replacement.count
        }
    }

    private static func splitInfixes(_ s: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int, into tokens: inout [Range<Int>]) {
        var start = lo
        var p = lo
        while p < hi {
            let length = infixLength(s, lo, hi, at: p)
            if length == 0 { p += 1; continue }
            if p != lo {
                if p != start { tokens.append(start..<p) }
                tokens.append(p..<p + length)
                start = p + length
            }
            p += length
        }
        if start < hi { tokens.append(start..<hi) }
    }

    // MARK: affix rules

    /// The length of the prefix to split off `s[lo..<hi]`, or 0.
    @inline(__always)
    static func prefixLength(_ s: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int) -> Int {
        let c = s[lo]
        if c == 0x2B { return lo + 1 < hi && CharClass.isDigit(s[lo + 1]) ? 0 : 1 }
        if c == 0x2E {
            var j = lo + 1
            while j < hi, s[j] == 0x2E { j += 1 }
            return j - lo >= 2 ? j - lo : 0
        }
        if c == 0xA7 || c == 0x25 || c == 0x3D || c == 0x2014 || c == 0x2013 { return 1 }
        if CharClass.isPunct(c) || CharClass.isQuote(c) || CharClass.isCurrency(c) || CharClass.isIcon(c) { return 1 }
        if c == 0x55, lo + 2 < hi, s[lo + 1] == 0x53, s[lo + 2] == 0x24 { return 3 }
        if c == 0x43 || c == 0x41, lo + 1 < hi, s[lo + 1] == 0x24 { return 2 }
        return 0
    }

    /// The length of the suffix to split off `s[lo..<hi]` (the match that starts earliest), or 0.
    static func suffixLength(_ s: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int) -> Int {
        guard lo < hi else { return 0 }
        var best = hi
        let last = s[hi - 1]
        @inline(__always) func take(_ start: Int) { if start >= lo, start < best { best = start } }
        @inline(__always) func digitBefore(_ start: Int) -> Bool { start > lo && CharClass.isDigit(s[start - 1]) }
        if last == 0x2E {
            var r = hi - 1
            while r > lo, s[r - 1] == 0x2E { r -= 1 }
            if hi - r >= 2 { take(r) }
            if hi - 2 >= lo {
                let b = s[hi - 2]
                if CharClass.isDigit(b) || CharClass.isLower(b) || b == 0x25 || b == 0xB2 || b == 0x2D || b == 0x2B
                    || CharClass.isPunct(b) || CharClass.isQuote(b) || b == 0x7C || b == 0x28 || b == 0x3F || b == 0x3A || b == 0x29 {
                    take(hi - 1)
                }
            }
            if hi - 3 >= lo {
                if CharClass.isUpper(s[hi - 2]) && CharClass.isUpper(s[hi - 3]) { take(hi - 1) }
                if s[hi - 3] == 0xB0, [0x46, 0x66, 0x43, 0x63, 0x4B, 0x6B].contains(s[hi - 2]) { take(hi - 1) }
            }
        }
        if CharClass.isPunct(last) || CharClass.isQuote(last) || CharClass.isIcon(last) || last == 0x2014 || last == 0x2013 {
            take(hi - 1)
        }
        if hi - 2 >= lo {
            let a = s[hi - 2]
            if last == 0x2026 && a == 0x2026 { take(hi - 2) }
            if (last == 0x73 || last == 0x53) && (a == 0x27 || a == 0x2019) { take(hi - 2) }
        }
        if last == 0x2B, digitBefore(hi - 1) { take(hi - 1) }
        if CharClass.isCurrency(last) {
            if digitBefore(hi - 1) { take(hi - 1) }
            if last == 0x24 {
                if hi - 3 >= lo, s[hi - 3] == 0x55, s[hi - 2] == 0x53, digitBefore(hi - 3) { take(hi - 3) }
                if hi - 2 >= lo, s[hi - 2] == 0x43 || s[hi - 2] == 0x41, digitBefore(hi - 2) { take(hi - 2) }
            }
        }
        if hi - lo >= 2, let unit = Units.longestSuffix(s, lo, hi), digitBefore(hi - unit) { take(hi - unit) }
        return hi - best
    }

    /// The length of the infix match at `p` in `s[lo..<hi]`, or 0.
    @inline(__always)
    static func infixLength(_ s: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int, at p: Int) -> Int {
        let c = s[p]
        if c < 0x80, CharClass.isAlpha(c) || CharClass.isDigit(c) { return 0 }
        let prev: UInt32? = p > lo ? s[p - 1] : nil
        let next: UInt32? = p + 1 < hi ? s[p + 1] : nil
        if c == 0x2E, next == 0x2E {
            var j = p + 2
            while j < hi, s[j] == 0x2E { j += 1 }
            return j - p
        }
        if c == 0x2026 || CharClass.isIcon(c) { return 1 }
        guard let prev else { return 0 }
        if c == 0x2B || c == 0x2D || c == 0x2A || c == 0x5E, CharClass.isDigit(prev), let next, CharClass.isDigit(next) || next == 0x2D {
            return 1
        }
        if c == 0x2E, CharClass.isLower(prev) || CharClass.isQuote(prev), let next, CharClass.isUpper(next) || CharClass.isQuote(next) {
            return 1
        }
        if c == 0x2C, CharClass.isAlpha(prev), let next, CharClass.isAlpha(next) { return 1 }
        let alnumBefore = CharClass.isAlpha(prev) || CharClass.isDigit(prev)
        guard alnumBefore else { return 0 }
        @inline(__always) func alphaAt(_ j: Int) -> Bool { j < hi && CharClass.isAlpha(s[j]) }
        switch c {
        case 0x2D:
            if alphaAt(p + 1) { return 1 }
            if p + 1 < hi, s[p + 1] == 0x2D {
                if alphaAt(p + 2) { return 2 }
                if p + 2 < hi, s[p + 2] == 0x2D, alphaAt(p + 3) { return 3 }
            }
            return 0
        case 0x2013, 0x7E:
            return alphaAt(p + 1) ? 1 : 0
        case 0x2014:
            if alphaAt(p + 1) { return 1 }
            return p + 1 < hi && s[p + 1] == 0x2014 && alphaAt(p + 2) ? 2 : 0
        case 0x3A, 0x3C, 0x3E, 0x3D, 0x2F:
            return alphaAt(p + 1) ? 1 : 0
        default:
            return 0
        }
    }
}

/// The character classes of the English tokenizer's affix rules.
enum CharClass {
    private static let punct: Set<UInt32> = Set("…,:;!?¿؟¡()[]{}<>_#*&。？！，、；：～·।،۔؛٪".unicodeScalars.map(\.value))
    private static let quotes: Set<UInt32> = Set("'\"”“`‘´’‚,„»«「」『』（）〔〕【】《》〈〉〈〉⟦⟧".unicodeScalars.map(\.value))
    private static let currency: Set<UInt32> = Set("$£€¥฿₽﷼₴".unicodeScalars.map(\.value))

    @inline(__always) static func isDigit(_ c: UInt32) -> Bool { c >= 0x30 && c <= 0x39 }

    @inline(__always) static func isPunct(_ c: UInt32) -> Bool {
        if c < 0x80 {
            switch c {
            case 0x2C, 0x3A, 0x3B, 0x21, 0x3F, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x3C, 0x3E, 0x5F, 0x23, 0x2A, 0x26: return true
            default: return false
            }
        }
        return punct.contains(c)
    }

    @inline(__always) static func isQuote(_ c: UInt32) -> Bool {
        if c < 0x80 { return c == 0x27 || c == 0x22 || c == 0x60 || c == 0x2C }
        return quotes.contains(c)
    }

    @inline(__always) static func isCurrency(_ c: UInt32) -> Bool {
        if c < 0x80 { return c == 0x24 }
        return currency.contains(c) || (c >= 0x20A0 && c <= 0x20BF)
    }

    @inline(__always) static func isIcon(_ c: UInt32) -> Bool {
        if c < 0xA6 { return false }
        guard let scalar = Unicode.Scalar(c) else { return false }
        return scalar.properties.generalCategory == .otherSymbol
    }

    @inline(__always) static func isAlpha(_ c: UInt32) -> Bool {
        if c < 0x80 { return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
        return isLetterOfTokenizer(c)
    }

    /// Lower case, or a letter of a script without case.
    @inline(__always) static func isLower(_ c: UInt32) -> Bool {
        if c < 0x80 { return c >= 0x61 && c <= 0x7A }
        guard isLetterOfTokenizer(c), let scalar = Unicode.Scalar(c) else { return false }
        let category = scalar.properties.generalCategory
        return category != .uppercaseLetter && category != .titlecaseLetter
    }

    /// Upper case, or a letter of a script without case.
    @inline(__always) static func isUpper(_ c: UInt32) -> Bool {
        if c < 0x80 { return c >= 0x41 && c <= 0x5A }
        guard isLetterOfTokenizer(c), let scalar = Unicode.Scalar(c) else { return false }
        return scalar.properties.generalCategory != .lowercaseLetter
    }

    /// The letters the tokenizer's rules know: Latin (with its extensions and full-width
    /// forms), Greek, the Cyrillic of Russian, Ukrainian, Macedonian and Tatar, and whole
    /// blocks of Hebrew, Arabic, Devanagari, Bengali, Tamil, Telugu, Kannada, Sinhala,
    /// Ethiopic, Hangul, kana and CJK (marks and digits of those blocks included).
    private static func isLetterOfTokenizer(_ c: UInt32) -> Bool {
        var lo = 0, hi = letterRanges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if letterRanges[mid].upperBound < c { lo = mid + 1 } else { hi = mid }
        }
        return lo < letterRanges.count && letterRanges[lo].contains(c)
    }

    private static let letterRanges: [ClosedRange<UInt32>] = [
        0x41...0x5A, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x1BF, 0x1C4...0x2AF,
        0x386...0x386, 0x388...0x38A, 0x38C...0x38C, 0x38E...0x38F, 0x391...0x3A9, 0x3AC...0x3AF,
        0x3B1...0x3C9, 0x3CC...0x3CE, 0x400...0x401, 0x403...0x40A, 0x40C...0x40D, 0x410...0x451,
        0x453...0x45A, 0x45C...0x45D, 0x490...0x491, 0x496...0x497, 0x4A2...0x4A3, 0x4AE...0x4AF,
        0x4BA...0x4BB, 0x4D8...0x4D9, 0x4E8...0x4E9, 0x591...0x5F4, 0x620...0x64A, 0x66E...0x6D5,
        0x6E5...0x6FF, 0x750...0x77F, 0x8A0...0x8BD, 0x900...0x9FF, 0xB80...0xCFF, 0xD80...0xDFF,
        0x1100...0x137F, 0x1D00...0x1D25, 0x1D6B...0x1D77, 0x1D79...0x1D9A, 0x1E00...0x1EFF, 0x2C60...0x2C7B,
        0x2C7E...0x2C7F, 0x2E80...0x2FDF, 0x2FF0...0x30FF, 0x31C0...0x31EF, 0x3200...0x4DBF, 0x4E00...0x9FFF,
        0xA722...0xA76F, 0xA771...0xA787, 0xA78B...0xA78E, 0xA790...0xA7B9, 0xA7FA...0xA7FA, 0xAB30...0xAB5A,
        0xAB60...0xAB64, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0xFB1D...0xFBB1, 0xFBD3...0xFD3D, 0xFD50...0xFDC7,
        0xFDF0...0xFDFB, 0xFE30...0xFE4F, 0xFE70...0xFEFC, 0xFF21...0xFF3A, 0xFF41...0xFF5A, 0x1EE00...0x1EEBB,
        0x1F200...0x1F2FF, 0x20000...0x2A6DF, 0x2A700...0x2EBEF, 0x2F800...0x2FA1F,
    ]
}

/// Units of measure that split off a number written against them ("5km" is "5", "km").
enum Units {
    private static let all: [[UInt32]] = (
        "km km² km³ m m² m³ dm dm² dm³ cm cm² cm³ mm mm² mm³ ha µm nm yd in ft kg g mg µg t lb oz m/s km/h kmh mph "
            + "hPa Pa mbar mb MB kb KB gb GB tb TB T G M K % км км² км³ м м² м³ дм дм² дм³ см см² см³ мм мм² мм³ нм "
            + "кг г мг м/с км/ч кПа Па мбар Кб КБ кб Мб МБ мб Гб ГБ гб Тб ТБ"
    ).split(separator: " ").map { $0.unicodeScalars.map(\.value) }
    private static let longest = all.map(\.count).max()!

    /// The length of the longest unit that `s[lo..<hi]` ends with.
    static func longestSuffix(_ s: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int) -> Int? {
        var digit = false
        for i in Swift.max(lo, hi - longest - 1)..<hi - 1 where CharClass.isDigit(s[i]) { digit = true }
        guard digit else { return nil }
        let last = s[hi - 1]
        guard (last >= 0x41 && last <= 0x7A) || last == 0x25 || last == 0xB2 || last == 0xB3 || last >= 0x400 else { return nil }
        var best: Int?
        for unit in all where unit.count <= hi - lo && unit.count > (best ?? 0) {
            var k = 1
            while k <= unit.count, s[hi - k] == unit[unit.count - k] { k += 1 }
            if k > unit.count { best = unit.count }
            if best == longest { break }
        }
        return best
    }
}
