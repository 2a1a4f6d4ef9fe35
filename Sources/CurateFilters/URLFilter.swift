import CurateCore

/// Drops documents by their URL, as datatrove's `URLFilter` does: a block-listed registered
/// domain or full host, a block-listed URL, a banned word among the URL's words, enough
/// soft-banned words, or a banned sub-word anywhere in the URL.
///
/// Rules, in the order they are tried (each gives its reason):
/// - `url_filter:domain`: the host's registered domain (`domain.suffix` by the Public Suffix
///   List, case kept) is in a `domains` list;
/// - `url_filter:subdomain`: the whole host (its fully qualified name) is in a `domains` list;
/// - `url_filter:url`: the URL, exactly, is in a `urls` list;
/// - `url_filter:banned_words`: a word of `banned_words` is one of the URL's words (runs of
///   ASCII letters and digits, case kept, so only lower-case words can match);
/// - `url_filter:soft_banned_words`: at least `soft_word_threshold` distinct words of
///   `soft_banned_words` are among the URL's words (metric `soft_banned_words`);
/// - `url_filter:banned_subwords`: a word of `banned_subwords` occurs in the URL's ASCII
///   letters and digits, lower-cased and joined.
/// List entries: lines not starting with `#`; domain and URL lines without surrounding white
/// space, word lines reduced to their lower-cased ASCII letters and digits. Documents
/// without a URL are kept. A class, so that the runner does not copy its lists per document.
public final class URLFilter: Stage {
    private let domains: HashedStringSet
    private let urls: HashedStringSet
    private let bannedWords: HashedStringSet
    private let softBannedWords: HashedStringSet
    private let bannedSubwords: AhoCorasick
    private let suffixes: PublicSuffixList
    public let softWordThreshold: Int

    init(
        domains: HashedStringSet, urls: HashedStringSet, bannedWords: HashedStringSet, softBannedWords: HashedStringSet,
        bannedSubwords: [[UInt8]], suffixes: PublicSuffixList, softWordThreshold: Int
    ) {
        self.domains = domains
        self.urls = urls
        self.bannedWords = bannedWords
        self.softBannedWords = softBannedWords
        self.bannedSubwords = AhoCorasick(patterns: bannedSubwords)
        self.suffixes = suffixes
        self.softWordThreshold = softWordThreshold
    }

    public static let definition = StageDefinition(
        type: "url_filter",
        summary: "Drop documents whose URL is block-listed or holds banned words (datatrove's URLFilter).",
        parameters: [
            Parameter("domains", .pathList, default: .array([]),
                      "Block-listed domains and hosts, one per line (datatrove's list: the `domains` file of its url_filter tarball)."),
            Parameter("urls", .pathList, default: .array([]), "Block-listed URLs, one per line."),
            Parameter("banned_words", .pathList, default: .array([.string("resource:url_filter/banned_words.txt")]),
                      "Words that drop a URL holding one of them."),
            Parameter("soft_banned_words", .pathList, default: .array([.string("resource:url_filter/soft_banned_words.txt")]),
                      "Words that drop a URL holding soft_word_threshold of them."),
            Parameter("banned_subwords", .pathList, default: .array([.string("resource:url_filter/banned_subwords.txt")]),
                      "Strings that drop a URL whose letters and digits contain one."),
            Parameter("soft_word_threshold", .integer(min: 1), default: .integer(2), "Soft-banned words that drop a URL."),
            Parameter("public_suffix_list", .path, default: .string("resource:url_filter/public_suffix_list.dat"),
                      "The Public Suffix List (publicsuffix.org format); its private section is not used."),
        ]
    ) { options throws(OptionError) in
        func hashes(_ option: String, normalized: Bool) throws(OptionError) -> HashedStringSet {
            var hashes: [UInt64] = []
            for path in options.paths(option) ?? [] {
                try WordListFile.forEachStrippedLine(path, option: option) { line in
                    hashes.append(normalized ? wordHash(normalizedWord(line)) : HashedStringSet.hash(line))
                }
            }
            return HashedStringSet(hashes: hashes)
        }
        var subwords: [[UInt8]] = []
        for path in options.paths("banned_subwords") ?? [] {
            try WordListFile.forEachStrippedLine(path, option: "banned_subwords") { subwords.append(normalizedWord($0)) }
        }
        guard let suffixPath = options.path("public_suffix_list") else {
            throw OptionError(key: "public_suffix_list", "is required")
        }
        let suffixes = PublicSuffixList(bytes: try WordListFile.bytes(suffixPath, option: "public_suffix_list"))
        return URLFilter(
            domains: try hashes("domains", normalized: false), urls: try hashes("urls", normalized: false),
            bannedWords: try hashes("banned_words", normalized: true),
            softBannedWords: try hashes("soft_banned_words", normalized: true),
            bannedSubwords: Array(Set(subwords)).filter { !$0.isEmpty }, suffixes: suffixes,
            softWordThreshold: options.int("soft_word_threshold") ?? 2)
    }

    public func process(_ document: inout Document) -> Verdict {
        guard var url = document.url, !url.isEmpty else { return .keep }
        return url.withUTF8 { judge($0) }
    }

    /// The verdict for `url`.
    public func judge(_ url: UnsafeBufferPointer<UInt8>) -> Verdict {
        if domains.count > 0 {
            let reason: String? = suffixes.withDomains(ofURL: url) { registered, fqdn in
                // Both lookups before either answer is used, so that their cache misses overlap.
                let registeredHash = HashedStringSet.hash(registered)
                let sameHost = registered.baseAddress == fqdn.baseAddress && registered.count == fqdn.count
                let fqdnHash = sameHost ? registeredHash : HashedStringSet.hash(fqdn)
                let registeredListed = domains.contains(hash: registeredHash)
                let fqdnListed = !sameHost && domains.contains(hash: fqdnHash)
                if registeredListed { return "url_filter:domain" }
                if fqdnListed { return "url_filter:subdomain" }
                return nil
            }
            if let reason { return .drop(reason: reason, metrics: []) }
        }
        if urls.count > 0 && urls.contains(hash: HashedStringSet.hash(url)) { return .drop(reason: "url_filter:url", metrics: []) }

        // One pass over the URL for its words and its banned sub-words. The words: runs of
        // ASCII letters and digits, and an empty word when the URL starts or ends with another
        // character (as Python's re.split gives them).
        let checkSubwords = bannedSubwords.stateCount > 1
        let (banned, softHashes, subwordFound) = bannedSubwords.withStepper { stepper in
            Self.lowerAlphanumeric.withUnsafeBufferPointer { lower in
                var banned = false
                var softHashes: [UInt64] = []
                var found = false
                var state = AhoCorasick.start
                var word = HashedStringSet.Hasher()
                var inWord = true
                var i = 0
                while true {
                    let end = i == url.count
                    let folded = end ? 0 : lower[Int(url[i])]
                    if folded != 0 {
                        if !inWord {
                            inWord = true
                            word = HashedStringSet.Hasher()
                        }
                        word.add(url[i])
                        if checkSubwords && !found {
                            state = stepper.next(state, folded)
                            found = stepper.hasMatch(state)
                        }
                    } else if inWord || end {
                        // A word ends, or the URL ends after another character (an empty word).
                        let hash = inWord ? word.finish() : HashedStringSet.Hasher().finish()
                        if bannedWords.contains(hash: hash) { banned = true }
                        if softBannedWords.contains(hash: hash), !softHashes.contains(hash) { softHashes.append(hash) }
                        inWord = false
                    }
                    if end { break }
                    i += 1
                }
                return (banned, softHashes, found)
            }
        }
        if banned { return .drop(reason: "url_filter:banned_words", metrics: []) }
        if softHashes.count >= softWordThreshold {
            return .drop(reason: "url_filter:soft_banned_words", metrics: [Metric("soft_banned_words", Double(softHashes.count))])
        }
        if subwordFound { return .drop(reason: "url_filter:banned_subwords", metrics: []) }
        return .keep
    }

    /// Each byte lower-cased when it is an ASCII letter or digit, else 0.
    private static let lowerAlphanumeric: [UInt8] = (0..<256).map { b in
        let byte = UInt8(b)
        return isAlphanumeric(byte) ? (byte &- 0x41 < 26 ? byte | 0x20 : byte) : 0
    }

    /// The hash of a word, as the word lists are kept.
    static func wordHash(_ word: [UInt8]) -> UInt64 {
        var hasher = HashedStringSet.Hasher()
        for byte in word { hasher.add(byte) }
        return hasher.finish()
    }

    @inline(__always)
    static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b &- 0x30 < 10) || ((b | 0x20) &- 0x61 < 26)
    }

    /// A list word reduced to its lower-cased ASCII letters and digits.
    static func normalizedWord(_ line: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        line.filter(isAlphanumeric).map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
    }
}
