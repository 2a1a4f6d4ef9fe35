import CurateCore

/// The ICANN section of the Public Suffix List, and the split of a URL's host into
/// subdomain, registered domain and public suffix as the `tldextract` package does it with
/// its defaults (private suffixes such as `blogspot.com` not treated as suffixes).
public struct PublicSuffixList: Sendable {
    /// The marker that starts the list's private section.
    static let privateSectionMarker = "// ===BEGIN PRIVATE DOMAINS==="

    /// Child node by (parent node, hash of label).
    private let children: [UInt64: Int32]
    private let isSuffix: [Bool]
    private static let wildcard = labelHash(Array("*".utf8)[...])

    /// Reads the list's text (the format of publicsuffix.org's `public_suffix_list.dat`).
    public init(text: String) {
        let publicPart = text.range(of: Self.privateSectionMarker).map { text[..<$0.lowerBound] } ?? text[...]
        var children: [UInt64: Int32] = [:]
        var isSuffix = [false]
        for line in publicPart.split(separator: "\n", omittingEmptySubsequences: true) {
            let token = line.prefix { !UTF8Bytes.isWhitespace($0.unicodeScalars.first!.value) }
            guard let first = token.unicodeScalars.first(where: { !".*!".unicodeScalars.contains($0) }),
                  WordCharacters.isWord(first.value) else { continue }
            var node: Int32 = 0
            for label in token.split(separator: ".", omittingEmptySubsequences: false).reversed() {
                var keys = [Self.key(node, Self.labelHash(Array(label.utf8)[...]))]
                if let ace = Punycode.aceLabel(String(label)) { keys.append(Self.key(node, Self.labelHash(Array(ace.utf8)[...]))) }
                let child = children[keys[0]] ?? Int32(isSuffix.count)
                if child == Int32(isSuffix.count) { isSuffix.append(false) }
                for key in keys { children[key] = child }
                node = child
            }
            isSuffix[Int(node)] = true
        }
        self.children = children
        self.isSuffix = isSuffix
    }

    /// The registered domain (`domain.suffix`) and the fully qualified domain name of the
    /// host of `url`, as byte strings, both empty when the host has no public suffix or is
    /// itself one; case is kept.
    public func domains(ofURL url: UnsafeBufferPointer<UInt8>) -> (registered: [UInt8], fqdn: [UInt8]) {
        var host = Self.host(ofURL: url)
        if host.contains(where: { $0 >= 0x80 }) { host = Self.withASCIIDots(host) }
        if host.first == UInt8(ascii: "[") && host.last == UInt8(ascii: "]") { return ([], []) }
        let labels = host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard let start = suffixStart(labels), start > 0, start < labels.count, !labels[start - 1].isEmpty else { return ([], []) }
        let registered = Array(host[labels[start - 1].startIndex...])
        let subdomainEmpty = start == 1 || (start == 2 && labels[0].isEmpty)
        return (registered, subdomainEmpty ? registered : Array(host))
    }

    /// The index of the first label of the public suffix among `labels`, or nil.
    private func suffixStart(_ labels: [ArraySlice<UInt8>]) -> Int? {
        var node: Int32 = 0
        var suffixStart = labels.count
        var index = labels.count
        for label in labels.reversed() {
            let hash = Self.labelHash(label)
            if let child = children[Self.key(node, hash)] {
                index -= 1
                node = child
                if isSuffix[Int(child)] { suffixStart = index }
                continue
            }
            if children[Self.key(node, Self.wildcard)] != nil {
                let exception = children[Self.key(node, Self.labelHash(Array("!".utf8)[...] + Self.lowered(label)))] != nil
                return exception ? index : index - 1
            }
            break
        }
        return suffixStart == labels.count ? nil : suffixStart
    }

    /// The host of a URL as tldextract's lenient parse finds it: after the scheme's `//`
    /// (or a leading `//`), before the first `/`, `?` or `#`, after the last `@`, before a
    /// port, without surrounding white space or trailing dots.
    static func host(ofURL url: UnsafeBufferPointer<UInt8>) -> ArraySlice<UInt8> {
        let bytes = url
        var start = 0
        if let slashes = firstDoubleSlash(bytes) {
            if slashes == 0 {
                start = 2
            } else if slashes >= 2, bytes[slashes - 1] == UInt8(ascii: ":"),
                      bytes[..<(slashes - 1)].allSatisfy(isSchemeByte) {
                start = slashes + 2
            }
        }
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "/"), bytes[end] != UInt8(ascii: "?"), bytes[end] != UInt8(ascii: "#") { end += 1 }
        var hostStart = start
        for i in start..<end where bytes[i] == UInt8(ascii: "@") { hostStart = i + 1 }
        let authority = Array(bytes[hostStart..<end])
        if authority.first == UInt8(ascii: "["), let close = authority.firstIndex(of: UInt8(ascii: "]")) {
            return authority[...close]
        }
        var host = authority[..<(authority.firstIndex(of: UInt8(ascii: ":")) ?? authority.endIndex)]
        while let b = host.first, isASCIISpace(b) { host = host.dropFirst() }
        while let b = host.last, isASCIISpace(b) { host = host.dropLast() }
        while true {
            if host.last == UInt8(ascii: ".") { host = host.dropLast(); continue }
            let tail = Array(host.suffix(3))
            if tail == ideographicStop || tail == fullwidthStop || tail == halfwidthStop { host = host.dropLast(3); continue }
            break
        }
        return host
    }

    private static let ideographicStop: [UInt8] = [0xE3, 0x80, 0x82]
    private static let fullwidthStop: [UInt8] = [0xEF, 0xBC, 0x8E]
    private static let halfwidthStop: [UInt8] = [0xEF, 0xBD, 0xA1]

    /// `host` with the ideographic, full-width and half-width full stops made ASCII dots.
    private static func withASCIIDots(_ host: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var out: [UInt8] = []
        var i = host.startIndex
        while i < host.endIndex {
            if i + 3 <= host.endIndex {
                let three = Array(host[i..<i + 3])
                if three == ideographicStop || three == fullwidthStop || three == halfwidthStop {
                    out.append(UInt8(ascii: "."))
                    i += 3
                    continue
                }
            }
            out.append(host[i])
            i += 1
        }
        return out[...]
    }

    private static func firstDoubleSlash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count >= 2 else { return nil }
        for i in 0..<(bytes.count - 1) where bytes[i] == UInt8(ascii: "/") && bytes[i + 1] == UInt8(ascii: "/") { return i }
        return nil
    }

    private static func isSchemeByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == UInt8(ascii: "+")
            || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }

    private static func isASCIISpace(_ b: UInt8) -> Bool { (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x20) }

    /// `label` lower-cased as Python's `str.lower()` does.
    private static func lowered(_ label: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        if label.allSatisfy({ $0 < 0x80 }) { return ArraySlice(label.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }) }
        return WordCharacters.lowercased(Array(label))[...]
    }

    private static func labelHash(_ label: ArraySlice<UInt8>) -> UInt64 {
        lowered(label).withUnsafeBufferPointer { HashedStringSet.hash($0) }
    }

    private static func key(_ node: Int32, _ hash: UInt64) -> UInt64 {
        hash ^ (UInt64(UInt32(bitPattern: node)) &* 0x9E37_79B9_7F4A_7C15)
    }
}
