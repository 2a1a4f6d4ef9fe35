/// A pre-tokenization pattern: the regular expression tiktoken splits text with before
/// byte-pair merging, matched here by hand (see `PreTokenizer`).
public enum SplitPattern: String, Sendable, CaseIterable {
    /// GPT-2 and r50k/p50k.
    case gpt2
    /// cl100k_base (GPT-3.5, GPT-4).
    case cl100k
    /// o200k_base (GPT-4o).
    case o200k

    /// The pattern as tiktoken writes it, for files other tools read.
    public var regex: String {
        switch self {
        case .gpt2:
            #"'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"#
        case .cl100k:
            #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"#
        case .o200k:
            [
                #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
                #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
                #"\p{N}{1,3}"#,
                #" ?[^\s\p{L}\p{N}]+[\r\n/]*"#,
                #"\s*[\r\n]+"#,
                #"\s+(?!\S)"#,
                #"\s+"#,
            ].joined(separator: "|")
        }
    }

    /// The pattern as Hugging Face `tokenizers` must be given it to split identically. Its
    /// regex engine, Oniguruma with Ruby syntax, reads `{1,3}+` as `{1,3}` repeated one or
    /// more times, not as tiktoken's possessive `{1,3}`: cl100k's `\p{N}{1,3}+` would take
    /// a whole run of digits. Written greedy, `\p{N}{1,3}` is the same pattern, as nothing
    /// follows it in its alternative to backtrack for. Every other construct of the three
    /// patterns (`?+`, `++`, `(?i:…)`, `\s`, `$` after a possessive `\s++`,
    /// `\s+(?!\S)`) means the same in both engines.
    public var onigurumaRegex: String {
        switch self {
        case .gpt2, .o200k:
            regex
        case .cl100k:
            #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"#
        }
    }

    /// The pattern named `name` (`gpt2`, `r50k_base`, `p50k_base`, `cl100k`, `cl100k_base`,
    /// `o200k`, `o200k_base`) or written out as `regex` or `onigurumaRegex` gives it.
    public init?(name: String) {
        switch name {
        case "gpt2", "r50k", "r50k_base", "p50k", "p50k_base": self = .gpt2
        case "cl100k", "cl100k_base": self = .cl100k
        case "o200k", "o200k_base": self = .o200k
        default:
            guard let pattern = SplitPattern.allCases.first(where: { $0.regex == name || $0.onigurumaRegex == name }) else {
                return nil
            }
            self = pattern
        }
    }
}

extension SplitPattern {
    /// The special tokens of tiktoken's encoding that uses this pattern (gpt2, cl100k_base,
    /// o200k_base).
    public var tiktokenSpecialTokens: [String: UInt32] {
        switch self {
        case .gpt2: ["<|endoftext|>": 50256]
        case .cl100k:
            [
                "<|endoftext|>": 100257, "<|fim_prefix|>": 100258, "<|fim_middle|>": 100259, "<|fim_suffix|>": 100260,
                "<|endofprompt|>": 100276,
            ]
        case .o200k: ["<|endoftext|>": 199999, "<|endofprompt|>": 200018]
        }
    }
}
