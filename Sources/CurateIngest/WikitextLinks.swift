/// The second pass of `WikitextConverter`: replaces internal links by their text (`[[a|b]]` →
/// `b`, `[[a]]` → `a`, `[[:Category:a|b]]` → `b`), removes file, category and interlanguage
/// links with everything in them (captions with links of their own included), and replaces
/// external links by their label (`[http://x y]` → `y`, `[http://x]` → nothing). Brackets
/// that do not make a link stay as text.
struct WikitextLinks {
    let namespaces: WikitextNamespaces

    func run(_ p: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        let n = p.count
        /// The links not closed yet: where each `[[` was copied to `out`, or where the label of
        /// an external link starts there.
        var opens: [(position: Int, external: Bool)] = []
        /// External links starting before this index are known not to close on their line.
        var unclosedUntil = 0
        var i = 0
        while i < n {
            var j = i
            while j < n, p[j] != UInt8(ascii: "["), p[j] != UInt8(ascii: "]") { j += 1 }
            if j > i {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<j]))
                i = j
                continue
            }
            let double = i + 1 < n && p[i + 1] == p[i]
            if p[i] == UInt8(ascii: "[") {
                if double {
                    opens.append((out.count, false))
                    out.append(contentsOf: [p[i], p[i]])
                    i += 2
                } else if i >= unclosedUntil, let label = Self.externalLinkLabel(p, at: i, unclosedUntil: &unclosedUntil) {
                    opens.append((out.count, true))
                    i = label
                } else {
                    out.append(p[i])
                    i += 1
                }
            } else if let open = opens.last, open.external {
                opens.removeLast()
                i += 1
            } else if double, let open = opens.popLast() {
                if !close(&out, openedAt: open.position) { out.append(contentsOf: [p[i], p[i]]) }
                i += 2
            } else {
                out.append(p[i])
                i += 1
            }
        }
    }

    /// What a closed `[[…]]` becomes.
    private enum Resolution {
        case notALink
        case removed
        case text(Range<Int>)
    }

    /// Turns the link opened at `start` and running to the end of `out` into its text, or
    /// removes it; false if it is not a link (then `out` is left as it is).
    private func close(_ out: inout [UInt8], openedAt start: Int) -> Bool {
        let resolution: Resolution = out.withUnsafeBufferPointer { o in
            let end = o.count
            var pipe = start + 2
            while pipe < end, o[pipe] != UInt8(ascii: "|") { pipe += 1 }
            let target = trimmed(o, start + 2..<pipe)
            guard !target.isEmpty, !o[target].contains(where: Self.isForbiddenInTitle) else { return .notALink }
            let text = pipe < end ? trimmed(o, pipe + 1..<end) : pipe..<pipe
            if o[target.lowerBound] == UInt8(ascii: ":") {
                return .text(text.isEmpty ? target.lowerBound + 1..<target.upperBound : text)
            }
            if let colon = o[target].firstIndex(of: UInt8(ascii: ":")),
               namespaces.hides(UnsafeBufferPointer(rebasing: o[target.lowerBound..<colon])) {
                return .removed
            }
            return .text(text.isEmpty ? target : text)
        }
        switch resolution {
        case .notALink:
            return false
        case .removed:
            out.removeSubrange(start...)
        case let .text(kept):
            out.removeSubrange(kept.upperBound...)
            out.removeSubrange(start..<kept.lowerBound)
        }
        return true
    }

    /// `range` without the spaces and tabs at its ends.
    private func trimmed(_ o: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, o[lower] == 0x20 || o[lower] == 0x09 { lower += 1 }
        while upper > lower, o[upper - 1] == 0x20 || o[upper - 1] == 0x09 { upper -= 1 }
        return lower..<upper
    }

    private static func isForbiddenInTitle(_ b: UInt8) -> Bool {
        switch b {
        case 0x0A, UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "<"),
            UInt8(ascii: ">"):
            true
        default:
            false
        }
    }

    /// Where the label of the external link at `i` (which holds `[`) starts: the link starts
    /// with a URL scheme and its `]` (after any `[[…]]` in the label) is on the same line. When
    /// it is not, `unclosedUntil` becomes the end of the line.
    private static func externalLinkLabel(_ p: UnsafeBufferPointer<UInt8>, at i: Int, unclosedUntil: inout Int) -> Int? {
        guard schemes.contains(where: { scheme in
            p.count - i - 1 >= scheme.count && scheme.indices.allSatisfy { p[i + 1 + $0] | 0x20 == scheme[$0] }
        }) else { return nil }
        var label = i + 1
        while label < p.count, p[label] != 0x20, p[label] != 0x09, p[label] != 0x0A, p[label] != UInt8(ascii: "]") { label += 1 }
        var depth = 0
        var close = label
        while close < p.count, p[close] != 0x0A {
            let double = close + 1 < p.count && p[close + 1] == p[close]
            if p[close] == UInt8(ascii: "["), double {
                depth += 1
                close += 2
            } else if p[close] == UInt8(ascii: "]"), double, depth > 0 {
                depth -= 1
                close += 2
            } else if p[close] == UInt8(ascii: "]") {
                break
            } else {
                close += 1
            }
        }
        guard close < p.count, p[close] == UInt8(ascii: "]") else {
            unclosedUntil = close
            return nil
        }
        while label < close, p[label] == 0x20 || p[label] == 0x09 { label += 1 }
        return label
    }

    /// URL schemes of external links, lowercased (`//` is a protocol-relative URL).
    private static let schemes: [[UInt8]] = [
        "http://", "https://", "//", "ftp://", "ftps://", "sftp://", "irc://", "ircs://", "mailto:", "news:",
        "gopher://", "git://", "svn://", "telnet://", "nntp://", "ssh://", "mms://", "xmpp:", "sip:", "sips:", "tel:",
        "sms:", "geo:", "urn:", "magnet:", "bitcoin:", "worldwind://", "redis://", "matrix:",
    ].map { Array($0.utf8) }
}
