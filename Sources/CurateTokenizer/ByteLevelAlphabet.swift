/// The GPT-2 byte-to-character map Hugging Face's ByteLevel uses to write byte tokens as
/// text: printable Latin-1 bytes stand for themselves, the other 68 bytes for U+0100 and up.
enum ByteLevelAlphabet {
    /// The character of each byte.
    static let characters: [Character] = {
        var scalars = [UInt32](repeating: 0, count: 256)
        var extra: UInt32 = 0
        for b in 0..<256 {
            let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
            if printable {
                scalars[b] = UInt32(b)
            } else {
                scalars[b] = 256 + extra
                extra += 1
            }
        }
        return scalars.map { Character(Unicode.Scalar($0)!) }
    }()

    private static let bytesOfScalar: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (b, c) in characters.enumerated() { map[c.unicodeScalars.first!.value] = UInt8(b) }
        return map
    }()

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text = ""
        for b in bytes { text.append(characters[Int(b)]) }
        return text
    }

    /// The bytes `text` stands for, or nil if it has a character outside the alphabet.
    static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        for scalar in text.unicodeScalars {
            guard let b = bytesOfScalar[scalar.value] else { return nil }
            out.append(b)
        }
        return out
    }
}
