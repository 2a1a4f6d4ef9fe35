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

    /// A word of class names or ids, whole or as the start of a word, and what it says.
    private struct Rule {
        let word: [UInt8]
        let isPrefix: Bool
        let hint: ElementHint
    }

    /// Rules by the first byte of their word.
    private typealias Rules = [[Rule]]

    private static func rules(_ groups: [(ElementHint, Bool, String)]) -> Rules {
        var table = Rules(repeating: [], count: 128)
        for (hint, isPrefix, words) in groups {
            for word in words.split(separator: " ") {
                table[Int(word.utf8.first!)].append(Rule(word: Array(word.utf8), isPrefix: isPrefix, hint: hint))
            }
        }
        return table
    }

    /// Class names that frameworks use to hide elements.
    private static let hiddenClasses = rules([
        (.hidden, false, "hidden hide d-none sr-only visually-hidden visuallyhidden screen-reader-text invisible "
            + "element-invisible is-hidden u-hidden"),
    ])

    /// Words of class names and ids that name page furniture (whole, or the start of a word) or
    /// main content.
    private static let nameWords = rules([
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

    /// The hint of the first word of `value` that a rule names (a boilerplate word wins over a
    /// content word); words are split at white space, and at anything but ASCII letters and
    /// digits if `splitAtPunctuation`; case is ignored.
    private static func anyWord(of value: Value, splitAtPunctuation: Bool, in table: Rules) -> ElementHint? {
        var found: ElementHint?
        var start = 0
        var i = 0
        while true {
            let end = i == value.count
            let b = end ? 0 : value[i]
            let separates = end || b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
                || (splitAtPunctuation && !((b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A)))
            if separates {
                if i > start, let hint = match(value.baseAddress! + start, i - start, table) {
                    if hint != .content { return hint }
                    found = hint
                }
                if end { return found }
                start = i + 1
            }
            i += 1
        }
    }

    private static func match(_ word: UnsafePointer<UInt8>, _ length: Int, _ table: Rules) -> ElementHint? {
        let first = lower(word[0])
        guard first < 128 else { return nil }
        for rule in table[Int(first)] where rule.isPrefix ? length >= rule.word.count : length == rule.word.count {
            var k = 1
            while k < rule.word.count, lower(word[k]) == rule.word[k] { k += 1 }
            if k == rule.word.count { return rule.hint }
        }
        return nil
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
