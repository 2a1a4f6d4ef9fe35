/// Why a tokenizer could not be loaded, or could not encode or decode.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    case invalidVocabulary(String)
    /// A file is malformed: its path, the line (or 0) and what is wrong.
    case invalidFile(path: String, line: Int, message: String)
    /// The text holds a special token that encoding was not allowed to produce.
    case disallowedSpecialToken(String)
    case unknownToken(UInt32)

    public var description: String {
        switch self {
        case let .invalidVocabulary(message): "invalid vocabulary: \(message)"
        case let .invalidFile(path, line, message): line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)"
        case let .disallowedSpecialToken(token):
            "the text contains the special token \(token), which is not allowed; allow it to encode it as a special token, or disallow none to encode it as plain text"
        case let .unknownToken(id): "token id \(id) is not in the vocabulary"
        }
    }
}
