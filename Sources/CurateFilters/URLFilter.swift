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
    /// The words of both word lists; `isBanned` and `isSoftBanned` by its word index.
    private let listedWords: ListedWordAutomaton
    private let isBanned: [Bool]
    private let isSoftBanned: [Bool]
    private let bannedSubwords: SubstringDetector
    private let suffixes: PublicSuffixList
    public let softWordThreshold: Int

    init(
        domains: HashedStringSet, urls: HashedStringSet, bannedWords: [[UInt8]], softBannedWords: [[UInt8]],
        bannedSubwords: [[UInt8]], suffixes: PublicSuffixList, softWordThreshold: Int
    ) {
        self.domains = domains
        self.urls = urls
        listedWords = ListedWordAutomaton(words: bannedWords + softBannedWords)
        let banned = Set(bannedWords), soft = Set(softBannedWords)
        isBanned = listedWords.words.map { banned.contains($0) }
        isSoftBanned = listedWords.words.map { soft.contains($0) }
        self.bannedSubwords = SubstringDetector(AhoCorasick(patterns: bannedSubwords), byteMap: Self.lowerAlphanumeric,
                                                knownStarts: ["https://www.", "http://www.", "https://", "http://"].map { Array($0.utf8) })
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
        func hashes(_ option: String) throws(OptionError) -> HashedStringSet {
            var hashes: [UInt64] = []
            for path in options.paths(option) ?? [] {
                try WordListFile.forEachStrippedLine(path, option: option) { hashes.append(HashedStringSet.hash($0)) }
            }
            return HashedStringSet(hashes: hashes)
        }
        func words(_ option: String) throws(OptionError) -> [[UInt8]] {
            var words: [[UInt8]] = []
            for path in options.paths(option) ?? [] {
                try WordListFile.forEachStrippedLine(path, option: option) { words.append(normalizedWord($0)) }
            }
            return words
        }
        let subwords = try words("banned_subwords")
        guard let suffixPath = options.path("public_suffix_list") else {
            throw OptionError(key: "public_suffix_list", "is required")
        }
        let suffixes = PublicSuffixList(bytes: try WordListFile.bytes(suffixPath, option: "public_suffix_list"))
        return URLFilter(
            domains: try hashes("domains"), urls: try hashes("urls"),
            bannedWords: try words("banned_words"), softBannedWords: try words("soft_banned_words"),
            bannedSubwords: Array(Set(subwords)).filter { !$0.isEmpty }, suffixes: suffixes,
            softWordThreshold: options.int("soft_word_threshold") ?? 2)
    }

    public func process(_ document: inout Document) -> Verdict {
        guard document.url?.isEmpty == false else { return .keep }
        // In place: a copy of the URL would cost a reference count up and down.
        return document.url!.withUTF8 { judge($0) }
    }

    /// The verdict for `url`.
    public func judge(_ url: UnsafeBufferPointer<UInt8>) -> Verdict {
        // The block-list lookups come first and their answers are used last: the tables are
        // large, and the passes over the URL's words run while their cache misses are pending.
        var registeredListed = false, fqdnListed = false
        if domains.count > 0 {
            let (registered, fqdn) = suffixes.withDomains(ofURL: url) { Self.domainHashes($0, $1) }
            registeredListed = domains.contains(hash: registered)
            fqdnListed = fqdn.map { domains.contains(hash: $0) } ?? false
        }
        let listedURL = urls.count > 0 && urls.contains(hash: HashedStringSet.hash(url))
        // The word and sub-word automata in one loop where the sub-words' table allows.
        let (banned, softCount, subwordFound) = bannedSubwords.withNarrowStepper { subwords in
            var row = 0
            let (banned, soft) = bannedWordCounts(url) { row = subwords.next(row, $0) }
            return (banned, soft, row == subwords.matchedRow)
        } ?? {
            let (banned, soft) = bannedWordCounts(url)
            return (banned, soft, bannedSubwords.occurs(in: url))
        }()

        if registeredListed { return .drop(reason: "url_filter:domain", metrics: []) }
        if fqdnListed { return .drop(reason: "url_filter:subdomain", metrics: []) }
        if listedURL { return .drop(reason: "url_filter:url", metrics: []) }
        if banned { return .drop(reason: "url_filter:banned_words", metrics: []) }
        if softCount >= softWordThreshold {
            return .drop(reason: "url_filter:soft_banned_words", metrics: [Metric("soft_banned_words", Double(softCount))])
        }
        if subwordFound { return .drop(reason: "url_filter:banned_subwords", metrics: []) }
        return .keep
    }

    /// The hashes of a registered domain and of a fully qualified domain name (nil when they
    /// are the same host).
    private static func domainHashes(_ registered: UnsafeBufferPointer<UInt8>, _ fqdn: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64?) {
        let sameHost = registered.baseAddress == fqdn.baseAddress && registered.count == fqdn.count
        return (HashedStringSet.hash(registered), sameHost ? nil : HashedStringSet.hash(fqdn))
    }

    /// Whether a banned word is among the words of `url`, and how many distinct soft-banned
    /// words are (see ``ListedWordAutomaton`` for what the words are); `alongside` gets each
    /// byte of `url` in order.
    @inline(__always)
    private func bannedWordCounts(_ url: UnsafeBufferPointer<UInt8>, alongside: (UInt8) -> Void = { _ in }) -> (banned: Bool, soft: Int) {
        var banned = false
        var soft: [Int] = []
        listedWords.forEachWord(in: url, alongside: alongside) { word in
            if isBanned[word] { banned = true }
            if isSoftBanned[word], !soft.contains(word) { soft.append(word) }
        }
        return (banned, soft.count)
    }

    /// `byte` lower-cased if it is an ASCII letter or digit, else nil.
    static func lowerAlphanumeric(_ byte: UInt8) -> UInt8? {
        isAlphanumeric(byte) ? (byte &- 0x41 < 26 ? byte | 0x20 : byte) : nil
    }

    @inline(__always)
    static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b &- 0x30 < 10) || ((b | 0x20) &- 0x61 < 26)
    }

    /// A list word reduced to its lower-cased ASCII letters and digits.
    static func normalizedWord(_ line: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        line.compactMap(lowerAlphanumeric)
    }
}
