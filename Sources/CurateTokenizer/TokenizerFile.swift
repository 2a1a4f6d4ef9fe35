/// Loads a tokenizer from a file in either format, by content.
public enum TokenizerFile {
    /// The tokenizer at `path`: a tokenizer.json (content starting with `{`) or a
    /// .tiktoken ranks file. `pattern` overrides the pattern the file or its sidecar names.
    public static func load(_ path: String, pattern: SplitPattern? = nil) throws(TokenizerError) -> Tokenizer {
        let head = try TiktokenFile.read(path).prefix(64)
        if head.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == UInt8(ascii: "{") {
            return try HFTokenizerFile.load(path, pattern: pattern)
        }
        return try TiktokenFile.load(path, pattern: pattern)
    }
}
