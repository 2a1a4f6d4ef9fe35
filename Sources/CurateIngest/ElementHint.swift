#if canImport(Glibc)
import Glibc
#endif

/// What an element's attributes (class, id, role, itemprop, hidden, aria-hidden, style) say
/// about the text inside it.
enum ElementHint: UInt8 {
    case none
    /// Not rendered, or navigation by its ARIA role: left out of the text.
    case hidden
    /// Named like page furniture (comments, share buttons, related links, cookie notices…).
    case boilerplate
    /// Named like the main content (article, entry-content, role=main…).
    case content
    /// Marked up as an article's body (itemprop=articleBody).
    case articleBody

    /// An attribute's value.
    typealias Value = UnsafeBufferPointer<UInt8>

    /// The hint of an element with these attribute values (nil when absent).
    static func of(classes: Value?, id: Value?, role: Value?, itemprop: Value?, style: Value?, hidden: Bool) -> ElementHint {
        if hidden { return .hidden }
        if let style, hidesContent(style) { return .hidden }
        if let role {
            if hiddenRoles.contains(where: { isWord(role, $0) }) { return .hidden }
            if isWord(role, "main") || isWord(role, "article") { return .content }
        }
        if let itemprop, isWord(itemprop, "articlebody") { return .articleBody }
        if let classes, anyWord(of: classes, splitAtPunctuation: false, in: hiddenClasses) != nil { return .hidden }
        let fromClasses = classes.flatMap { anyWord(of: $0, splitAtPunctuation: true, in: nameWords) }
        if fromClasses == .boilerplate { return .boilerplate }
        let fromID = id.flatMap { anyWord(of: $0, splitAtPunctuation: true, in: nameWords) }
        if fromID == .boilerplate { return .boilerplate }
        return fromClasses == .content || fromID == .content ? .content : .none
    }

    /// Words of class names or ids, whole or as the start of a word, and what each says, in
    /// flat storage by first letter, so that matching a word touches no reference counts.
    private struct Rules {
        private struct Rule {
            let start: Int32
            let count: Int32
            let isPrefix: Bool
            let hint: ElementHint
        }

        private var bytes: [UInt8] = []
        private var rules: [Rule] = []
        /// The rules of words starting with byte `b` are `rules[firsts[b]..<firsts[b + 1]]`.
        private var firsts = [Int32](repeating: 0, count: 129)

        init(_ groups: [(ElementHint, Bool, String)]) {
            var byFirst = [[(word: Substring, isPrefix: Bool, hint: ElementHint)]](repeating: [], count: 128)
            for (hint, isPrefix, words) in groups {
                for word in words.split(separator: " ") { byFirst[Int(word.utf8.first!)].append((word, isPrefix, hint)) }
            }
            for first in 0..<128 {
                firsts[first] = Int32(rules.count)
                for (word, isPrefix, hint) in byFirst[first] {
                    rules.append(Rule(start: Int32(bytes.count), count: Int32(word.utf8.count), isPrefix: isPrefix, hint: hint))
                    bytes.append(contentsOf: word.utf8)
                }
            }
            firsts[128] = Int32(rules.count)
        }

        /// The hint of the first rule that names the word, case ignored.
        func match(_ word: UnsafePointer<UInt8>, _ length: Int) -> ElementHint? {
            let first = ElementHint.lower(word[0])
            guard first < 128 else { return nil }
            return bytes.withUnsafeBufferPointer { bytes in
                rules.withUnsafeBufferPointer { rules in
                    for r in Int(firsts[Int(first)])..<Int(firsts[Int(first) + 1]) {
                        let rule = rules[r]
                        let count = Int(rule.count)
                        guard rule.isPrefix ? length >= count : length == count else { continue }
                        var k = 1
                        while k < count, ElementHint.lower(word[k]) == bytes[Int(rule.start) + k] { k += 1 }
                        if k == count { return rule.hint }
                    }
                    return nil
                }
            }
        }
    }

    /// Class names that frameworks use to hide elements.
    private static let hiddenClasses = Rules([
        (.hidden, false, "hidden hide d-none sr-only visually-hidden visuallyhidden screen-reader-text invisible "
            + "element-invisible is-hidden u-hidden"),
    ])

    /// Words of class names and ids that name page furniture (whole, or the start of a word) or
    /// main content.
    private static let nameWords = Rules([
        (.boilerplate, false,
         "ad ads adv adbox banner nav navbar menu menubar submenu crumbs masthead respond reply "
            + "signup login consent gdpr popup modal overlay promo pagination pager tags tagcloud toolbar print skip "
            + "trending popular mostread outbrain taboola disqus addthis sharethis shariff byline meta author bio "
            + "copyright disclaimer rating poll search teaser teasers headerlink"),
        (.boilerplate, true,
         "comment share sharing social related sidebar breadcrumb newsletter cookie footer advert sponsor recommend "
            + "navigation subscri caption credit"),
        (.content, false, "article articlebody content entry entrycontent main maincontent story storybody post postbody "
            + "postcontent body"),
    ])

    /// What separates words: bit 0 for white space, bit 1 for anything else but ASCII letters
    /// and digits.
    private static let separators: [UInt8] = (0..<256).map { b in
        let space = b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
        let alphanumeric = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
        return space ? 3 : alphanumeric ? 0 : 2
    }

    /// The hint of the first word of `value` that a rule names (a boilerplate word wins over a
    /// content word); words are split at white space, and at anything but ASCII letters and
    /// digits if `splitAtPunctuation`; case is ignored.
    private static func anyWord(of value: Value, splitAtPunctuation: Bool, in table: Rules) -> ElementHint? {
        let splitting: UInt8 = splitAtPunctuation ? 2 : 1
        return separators.withUnsafeBufferPointer { separators in
            var found: ElementHint?
            var start = 0
            for i in 0...value.count {
                guard i == value.count || separators[Int(value[i])] & splitting != 0 else { continue }
                if i > start, let hint = table.match(value.baseAddress! + start, i - start) {
                    if hint != .content { return hint }
                    found = hint
                }
                start = i + 1
            }
            return found
        }
    }

    private static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// Whether an inline style says `display: none` or `visibility: hidden`.
    private static func hidesContent(_ style: Value) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { compact in
            var count = 0
            for b in style where b != 0x20 && b != 0x09 && b != 0x0A && b != 0x0D {
                guard count < 512 else { break }
                compact[count] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                count += 1
            }
            let written = UnsafeBufferPointer(rebasing: compact[0..<count])
            return contains(written, "display:none") || contains(written, "visibility:hidden")
        }
    }

    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard haystack.count >= n else { return false }
        for start in 0...(haystack.count - n) where memcmp(haystack.baseAddress! + start, needle.utf8Start, n) == 0 {
            return true
        }
        return false
    }

    /// ARIA roles of navigation and of what is not part of the page's text.
    private static let hiddenRoles: [StaticString] = ["navigation", "menu", "menubar", "banner", "contentinfo",
                                                      "complementary", "search", "dialog", "alertdialog", "tooltip"]

    /// Whether the value, without white space and lowercased, is `word` (lower case).
    private static func isWord(_ value: Value, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        var matched = 0
        for b in value where b != 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C {
            guard matched < count, lower(b) == word.utf8Start[matched] else { return false }
            matched += 1
        }
        return matched == count
    }
}
