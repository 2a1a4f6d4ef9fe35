import CurateCore

/// The ICANN section of the Public Suffix List, and the split of a URL's host into
/// subdomain, registered domain and public suffix as the `tldextract` package does it with
/// its defaults (private suffixes such as `blogspot.com` not treated as suffixes).
public struct PublicSuffixList: Sendable {
    /// The marker that starts the list's private section.
    static let privateSectionMarker = "// ===BEGIN PRIVATE DOMAINS==="

    /// Child node by (parent node, hash of label).
    private let children: ChildTable
    private let isSuffix: [Bool]
    private static let wildcard = labelHash(Array("*".utf8)[...])

    /// Reads the list from its UTF-8 bytes (the format of publicsuffix.org's
    /// `public_suffix_list.dat`). A rule is a line's first white-space-free token
    /// that starts with `.`, `*` or `!` characters followed by a word character; rules after
    /// the private-section marker are left out.
    public init(bytes: [UInt8]) {
        let marker = Array(Self.privateSectionMarker.utf8)
        var end = bytes.count
        if bytes.count >= marker.count {
            for i in 0...(bytes.count - marker.count) where bytes[i] == marker[0] && Array(bytes[i..<i + marker.count]) == marker {
                end = i
                break
            }
        }
        var children: [UInt64: Int32] = [:]
        var isSuffix = [false]
        for line in bytes[..<end].split(separator: 0x0A) {
            let token = line.prefix { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }
            guard let first = token.firstIndex(where: { $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: "*") && $0 != UInt8(ascii: "!") }),
                  Self.startsWithWordCharacter(token[first...]) else { continue }
            var node: Int32 = 0
            for label in token.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).reversed() {
                var keys = [Self.key(node, Self.labelHash(label))]
                if let ace = Punycode.aceLabel(String(decoding: label, as: UTF8.self)) {
                    keys.append(Self.key(node, Self.labelHash(Array(ace.utf8)[...])))
                }
                let child = children[keys[0]] ?? Int32(isSuffix.count)
                if child == Int32(isSuffix.count) { isSuffix.append(false) }
                for key in keys { children[key] = child }
                node = child
            }
            isSuffix[Int(node)] = true
        }
        self.children = ChildTable(children)
        self.isSuffix = isSuffix
    }

    private static func startsWithWordCharacter(_ bytes: ArraySlice<UInt8>) -> Bool {
        Array(bytes.prefix(4)).withUnsafeBufferPointer { p in
            let length = UTF8Bytes.sequenceLength(p, at: 0)
            return length > 0 && WordCharacters.isWord(UTF8Bytes.decode(p, at: 0).scalar)
        }
    }

    /// Calls `body` with the registered domain (`domain.suffix`) and the fully qualified
    /// domain name of the host of `url`, both empty when the host has no public suffix or is
    /// itself one; case is kept.
    public func withDomains<R>(ofURL url: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let (registered, fqdn) = plainDomains(ofURL: url) {
            return body(UnsafeBufferPointer(rebasing: url[registered]), UnsafeBufferPointer(rebasing: url[fqdn]))
        }
        let (range, ascii) = Self.hostRangeAndASCII(ofURL: url)
        let host = UnsafeBufferPointer(rebasing: url[range])
        if !ascii, host.contains(where: { $0 >= 0x80 }) {
            return Self.withASCIIDots(host).withUnsafeBufferPointer { domains(ofHost: $0, ascii: false, body) }
        }
        return domains(ofHost: host, ascii: true, body)
    }

    /// Calls `body` with the registered domain and the fully qualified domain name of `host`
    /// (ASCII when `ascii` is true).
    private func domains<R>(ofHost host: UnsafeBufferPointer<UInt8>, ascii: Bool, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> R) -> R {
        let none = UnsafeBufferPointer(rebasing: host[0..<0])
        if host.first == UInt8(ascii: "[") && host.last == UInt8(ascii: "]") { return body(none, none) }
        guard let suffix = suffixStart(host, ascii: ascii), suffix > 0 else { return body(none, none) }
        // The domain label ends at the dot before the suffix.
        var domain = suffix - 1
        while domain > 0 && host[domain - 1] != UInt8(ascii: ".") { domain -= 1 }
        guard domain < suffix - 1 else { return body(none, none) }
        let registered = UnsafeBufferPointer(rebasing: host[domain...])
        return body(registered, domain <= 1 ? registered : host)
    }

    /// The most dots a host may have for ``plainDomains(ofURL:)``.
    private static let plainHostMaxDots = 16

    /// ``withDomains(ofURL:_:)``'s two ranges for the common URL whose host needs no more than
    /// one pass over its bytes: an optional `scheme://` (or `//`), then ASCII bytes other than
    /// `@`, `:`, `[` and white space up to the first `/`, `?` or `#` or the end, not ending
    /// with a dot, with at most ``plainHostMaxDots`` dots. Nil for any other URL. The dots
    /// found on the way bound the labels, so the suffix walk reads each label once.
    @inline(__always)
    private func plainDomains(ofURL url: UnsafeBufferPointer<UInt8>) -> (registered: Range<Int>, fqdn: Range<Int>)? {
        let n = url.count
        return Self.hostBytes.withUnsafeBufferPointer { kind in
            var start = 0
            while start < n, kind[Int(url[start])] & Self.schemeByte != 0 { start &+= 1 }
            if start > 0, start &+ 2 < n, url[start] == UInt8(ascii: ":"), url[start &+ 1] == UInt8(ascii: "/"), url[start &+ 2] == UInt8(ascii: "/") {
                start &+= 3
            } else if n >= 2, url[0] == UInt8(ascii: "/"), url[1] == UInt8(ascii: "/") {
                start = 2
            } else {
                start = 0
            }
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: Self.plainHostMaxDots + 1) { dots in
                // Each position is written as a dot's and kept only if it is one: no branch
                // on where the dots fall.
                var dotCount = 0
                var end = start
                while end < n {
                    let k = kind[Int(url[end])]
                    if k & Self.hostStopByte != 0 {
                        if k & Self.hostEndByte != 0 { break }
                        return nil
                    }
                    dots[dotCount] = end
                    dotCount &+= Int(k &>> Self.hostDotShift)
                    if dotCount > Self.plainHostMaxDots { return nil }
                    end &+= 1
                }
                if dotCount > 0, dots[dotCount &- 1] == end &- 1 { return nil }
                // Label j (0 leftmost) spans from labelStart(j) to the dot after it or the end.
                func labelStart(_ j: Int) -> Int { j == 0 ? start : dots[j &- 1] &+ 1 }
                func labelEnd(_ j: Int) -> Int { j == dotCount ? end : dots[j] }
                let none = start..<start
                // The suffix walk of suffixStart(_:ascii:), label by label from the right.
                var node: Int32 = 0
                var suffix = -1
                var lastMatched = dotCount &+ 1
                var j = dotCount
                while true {
                    let label = UnsafeBufferPointer(rebasing: url[labelStart(j)..<labelEnd(j)])
                    let hash = label.count < 8 && n &- labelStart(j) >= 8
                        ? HashedStringSet.hash(lowercasingASCIIShort: url.baseAddress! + labelStart(j), count: label.count)
                        : HashedStringSet.hash(lowercasingASCII: label, readableEnd: n &- labelStart(j))
                    if let child = children.child(Self.key(node, hash)) {
                        node = child
                        lastMatched = j
                        if isSuffix[Int(child)] { suffix = j }
                        if j == 0 { break }
                        j &-= 1
                        continue
                    }
                    if children.child(Self.key(node, Self.wildcard)) != nil {
                        let exception = children.child(Self.key(node, Self.labelHash(label, ascii: true, prefix: UInt8(ascii: "!")))) != nil
                        suffix = exception ? lastMatched : j
                    }
                    break
                }
                // domains(ofHost:ascii:_:) from here: the domain label ends at the dot before
                // the suffix (an exception's suffix may start past the last label).
                guard suffix >= 0 else { return (none, none) }
                let suffixStart = suffix > dotCount ? end : labelStart(suffix)
                guard suffixStart > start else { return (none, none) }
                let domain = labelStart(suffix > dotCount ? dotCount : suffix &- 1)
                guard domain < suffixStart &- 1 else { return (none, none) }
                let registered = domain..<end
                return (registered, domain &- start <= 1 ? registered : start..<end)
            }
        }
    }

    /// Bits of ``hostBytes``; the dot bit is the top one, so that `kind >> hostDotShift` is 1
    /// for a dot and 0 for any other byte.
    private static let schemeByte: UInt8 = 1, hostStopByte: UInt8 = 2, hostEndByte: UInt8 = 4
    private static let hostDotShift: UInt8 = 7

    /// For each byte: whether a scheme may hold it, whether it is a dot, and whether it stops
    /// the host scan, either ending the host (`/`, `?`, `#`: also `hostEndByte`) or needing
    /// the full host parse (`@`, `:`, `[`, ASCII white space, non-ASCII).
    private static let hostBytes: [UInt8] = (0...255).map { b in
        let byte = UInt8(b)
        var kind: UInt8 = isSchemeByte(byte) ? schemeByte : 0
        if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") {
            kind |= hostStopByte | hostEndByte
        } else if byte == UInt8(ascii: ".") {
            kind |= 1 << hostDotShift
        } else if byte == UInt8(ascii: "@") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "[") || isASCIISpace(byte) || byte >= 0x80 {
            kind |= hostStopByte
        }
        return kind
    }

    /// The byte offset of the first label of the public suffix in `host`, or nil.
    private func suffixStart(_ host: UnsafeBufferPointer<UInt8>, ascii: Bool) -> Int? {
        var node: Int32 = 0
        var suffix: Int? = nil
        var end = host.count
        var lastMatchedStart = host.count
        while true {
            var start = end
            while start > 0 && host[start - 1] != UInt8(ascii: ".") { start -= 1 }
            let label = UnsafeBufferPointer(rebasing: host[start..<end])
            if let child = children.child(Self.key(node, Self.labelHash(label, ascii: ascii))) {
                node = child
                lastMatchedStart = start
                if isSuffix[Int(child)] { suffix = start }
                if start == 0 { break }
                end = start - 1
                continue
            }
            if children.child(Self.key(node, Self.wildcard)) != nil {
                let exception = children.child(Self.key(node, Self.labelHash(label, ascii: ascii, prefix: UInt8(ascii: "!")))) != nil
                return exception ? lastMatchedStart : start
            }
            break
        }
        return suffix
    }

    /// The range of the host of a URL as tldextract's lenient parse finds it: after the
    /// scheme's `//` (or a leading `//`), before the first `/`, `?` or `#`, after the last
    /// `@`, before a port, without surrounding white space or trailing dots; an IPv6 literal
    /// keeps its brackets.
    static func hostRange(ofURL bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        hostRangeAndASCII(ofURL: bytes).range
    }

    /// ``hostRange(ofURL:)``, and whether every byte up to the host's end is ASCII; one pass
    /// over the scheme, then one over the authority.
    @inline(__always)
    private static func hostRangeAndASCII(ofURL bytes: UnsafeBufferPointer<UInt8>) -> (range: Range<Int>, ascii: Bool) {
        let n = bytes.count
        // A scheme is the scheme bytes before the first `//` when a `:` ends them; a leading
        // `//` has none.
        var start = 0
        while start < n, isSchemeByte(bytes[start]) { start += 1 }
        if start > 0, start + 2 < n, bytes[start] == UInt8(ascii: ":"), bytes[start + 1] == UInt8(ascii: "/"), bytes[start + 2] == UInt8(ascii: "/") {
            start += 3
        } else if n >= 2, bytes[0] == UInt8(ascii: "/"), bytes[1] == UInt8(ascii: "/") {
            start = 2
        } else {
            start = 0
        }
        var high: UInt8 = 0
        var end = start, hostStart = start, colon = -1
        while end < n {
            let b = bytes[end]
            if b == UInt8(ascii: "/") || b == UInt8(ascii: "?") || b == UInt8(ascii: "#") { break }
            high |= b
            if b == UInt8(ascii: "@") {
                hostStart = end + 1
                colon = -1
            } else if b == UInt8(ascii: ":"), colon < 0 {
                colon = end
            }
            end += 1
        }
        let ascii = high < 0x80
        if hostStart < end, bytes[hostStart] == UInt8(ascii: "[") {
            if let close = bytes[hostStart..<end].firstIndex(of: UInt8(ascii: "]")) { return (hostStart..<(close + 1), ascii) }
        }
        var hostEnd = colon >= 0 ? colon : end
        while hostStart < hostEnd, isASCIISpace(bytes[hostStart]) { hostStart += 1 }
        while hostEnd > hostStart, isASCIISpace(bytes[hostEnd - 1]) { hostEnd -= 1 }
        while hostEnd > hostStart {
            if bytes[hostEnd - 1] == UInt8(ascii: ".") {
                hostEnd -= 1
            } else if hostEnd - hostStart >= 3, isFullStop(UnsafeBufferPointer(rebasing: bytes[(hostEnd - 3)..<hostEnd])) {
                hostEnd -= 3
            } else {
                break
            }
        }
        return (hostStart..<hostEnd, ascii)
    }

    private static func isFullStop(_ three: UnsafeBufferPointer<UInt8>) -> Bool {
        guard three[0] == 0xE3 || three[0] == 0xEF else { return false }
        return three.elementsEqual(ideographicStop) || three.elementsEqual(fullwidthStop) || three.elementsEqual(halfwidthStop)
    }

    private static let ideographicStop: [UInt8] = [0xE3, 0x80, 0x82]
    private static let fullwidthStop: [UInt8] = [0xEF, 0xBC, 0x8E]
    private static let halfwidthStop: [UInt8] = [0xEF, 0xBD, 0xA1]

    /// `host` with the ideographic, full-width and half-width full stops made ASCII dots.
    private static func withASCIIDots(_ host: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < host.count {
            if i + 3 <= host.count, isFullStop(UnsafeBufferPointer(rebasing: host[i..<i + 3])) {
                out.append(UInt8(ascii: "."))
                i += 3
            } else {
                out.append(host[i])
                i += 1
            }
        }
        return out
    }

    private static func isSchemeByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == UInt8(ascii: "+")
            || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }

    private static func isASCIISpace(_ b: UInt8) -> Bool { (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x20) }

    /// The hash of `label` lower-cased as Python's `str.lower()` does, after `prefix` if given
    /// (``HashedStringSet/hash(_:)`` of those bytes); `ascii` says that the label is ASCII.
    private static func labelHash(_ label: UnsafeBufferPointer<UInt8>, ascii: Bool = false, prefix: UInt8? = nil) -> UInt64 {
        let isASCII = ascii || label.allSatisfy { $0 < 0x80 }
        if prefix == nil, isASCII { return HashedStringSet.hash(lowercasingASCII: label) }
        var bytes = prefix.map { [$0] } ?? []
        if isASCII {
            bytes += label.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
        } else {
            bytes += WordCharacters.lowercased(Array(label))
        }
        return HashedStringSet.hash(bytes)
    }

    private static func labelHash(_ label: ArraySlice<UInt8>) -> UInt64 {
        Array(label).withUnsafeBufferPointer { labelHash($0) }
    }

    private static func key(_ node: Int32, _ hash: UInt64) -> UInt64 {
        hash ^ (UInt64(UInt32(bitPattern: node)) &* 0x9E37_79B9_7F4A_7C15)
    }
}

/// The trie's edges in an open-addressing table of 64-bit keys (linear probing; key 0 marks
/// an empty slot, so keys are stored with their lowest bit set).
private struct ChildTable: Sendable {
    private let keys: [UInt64]
    private let values: [Int32]
    private let mask: Int

    init(_ edges: [UInt64: Int32]) {
        var capacity = 16
        while capacity < edges.count * 2 { capacity <<= 1 }
        var keys = [UInt64](repeating: 0, count: capacity)
        var values = [Int32](repeating: 0, count: capacity)
        for (key, value) in edges {
            var i = Int(truncatingIfNeeded: key >> 7) & (capacity - 1)
            while keys[i] != 0 { i = (i + 1) & (capacity - 1) }
            keys[i] = key | 1
            values[i] = value
        }
        self.keys = keys
        self.values = values
        mask = capacity - 1
    }

    @inline(__always)
    func child(_ key: UInt64) -> Int32? {
        let stored = key | 1
        return keys.withUnsafeBufferPointer { keys in
            var i = Int(truncatingIfNeeded: key >> 7) & mask
            while true {
                let slot = keys[i]
                if slot == stored { return values[i] }
                if slot == 0 { return nil }
                i = (i + 1) & mask
            }
        }
    }
}
