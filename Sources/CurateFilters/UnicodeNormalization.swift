import CurateCore
import Foundation

/// Unicode normalization forms of UTF-8 text, with a fast path for text that is already
/// in NFC.
public enum UnicodeNormalization {
    public enum Form: String, Sendable, CaseIterable {
        case nfc = "NFC"
        case nfkc = "NFKC"
        case none
    }

    /// `bytes` (valid UTF-8) in `form`; returns nil when the text is already in that form.
    public static func normalize(_ bytes: [UInt8], to form: Form) -> [UInt8]? {
        switch form {
        case .none:
            return nil
        case .nfc:
            if bytes.withUnsafeBufferPointer(isQuickNFC) { return nil }
            let result = Array(String(decoding: bytes, as: UTF8.self).precomposedStringWithCanonicalMapping.utf8)
            return result == bytes ? nil : result
        case .nfkc:
            if bytes.withUnsafeBufferPointer({ $0.allSatisfy { $0 < 0x80 } }) { return nil }
            let result = Array(String(decoding: bytes, as: UTF8.self).precomposedStringWithCompatibilityMapping.utf8)
            return result == bytes ? nil : result
        }
    }

    /// Whether every scalar of `p` is one that NFC leaves alone whatever surrounds it:
    /// canonical combining class 0, NFC_Quick_Check=Yes, and never the second half of a
    /// canonical composition. Text made only of such scalars is in NFC.
    static func isQuickNFC(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < p.count {
            if p[i] < 0x80 { i += 1; continue }
            let (scalar, length) = UTF8Bytes.decode(p, at: i)
            if !isStable(scalar) { return false }
            i += length
        }
        return true
    }

    /// Ranges checked against the Unicode Character Database (DerivedNormalizationProps and
    /// the combining classes): they hold no singleton or excluded decompositions, no marks
    /// and no conjoining jamo.
    @inline(__always)
    static func isStable(_ s: UInt32) -> Bool {
        switch s {
        case 0x0000...0x02FF,  // Latin, IPA, spacing modifiers
             0x0391...0x03A9, 0x03B1...0x03C9,  // Greek letters without tonos
             0x0400...0x0482, 0x048A...0x04FF,  // Cyrillic letters
             0x05D0...0x05EA,  // Hebrew letters
             0x0621...0x064A,  // Arabic letters
             0x1E00...0x1EFF,  // Latin Extended Additional (precomposed)
             0x2002...0x206F,  // general punctuation except U+2000, U+2001
             0x2070...0x20CF,  // super- and subscripts, currency
             0x2150...0x2328, 0x232B...0x29FF, 0x2B00...0x2BFF,  // number forms, arrows, math, symbols
             0x3000...0x3029, 0x3030...0x3098, 0x309B...0x30FF,  // CJK punctuation, kana
             0x3100...0x9FFF,  // bopomofo, compatibility jamo, CJK ideographs
             0xAC00...0xD7A3,  // Hangul syllables
             0xFE00...0xFE0F,  // variation selectors
             0xFF00...0xFFEF,  // half- and full-width forms
             0x1F000...0x1FAFF:  // emoji and pictographs
            true
        default:
            false
        }
    }
}
