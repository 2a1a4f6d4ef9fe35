/// The punctuation classes datatrove's quality filters use: its symbol set (ASCII and
/// wide punctuation, C0/C1 controls other than tab and newline, and every sentence
/// terminal) and the sentence terminals alone.
public enum FilterPunctuation {
    private static let listed: Set<UInt32> = Set(
        "!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_.\"}►»".unicodeScalars.map(\.value))

    /// Whether a character counts as a symbol: a word made only of these is not a word
    /// for the Gopher length rules.
    @inline(__always)
    public static func isSymbol(_ c: UInt32) -> Bool {
        if c < 0x80 {
            if c < 9 || c == 11 || c == 12 || (c >= 13 && c < 32) || c == 127 { return true }
            return asciiSymbols & (1 << UInt128(c)) != 0
        }
        if c < 160 { return true }
        return listed.contains(c) || isSentenceTerminal(c)
    }

    private static let asciiSymbols: UInt128 = {
        var bits: UInt128 = 0
        for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".utf8 { bits |= 1 << UInt128(c) }
        return bits
    }()

    /// Unicode's Sentence_Terminal property (`.`, `!`, `?`, `。`, `।`…).
    @inline(__always)
    public static func isSentenceTerminal(_ c: UInt32) -> Bool {
        if c < 0x80 { return c == 0x21 || c == 0x2E || c == 0x3F }
        guard let scalar = Unicode.Scalar(c) else { return false }
        return scalar.properties.isSentenceTerminal
    }
}
