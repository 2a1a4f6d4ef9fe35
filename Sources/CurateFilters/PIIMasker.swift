import CurateCore

/// Replaces e-mail addresses, IP addresses and phone numbers with placeholders.
///
/// E-mail addresses and IPv4 addresses are found as datatrove's `PIIFormatter` finds them
/// (its patterns, written over bytes; e-mail first, then IPv4 in the result) and an IPv4
/// address is replaced only when Python 3.11's `ipaddress` reads it (no leading zeros) and,
/// with `only_public_ips`, deems it global. datatrove has no IPv6 or phone rule; curate adds
/// global-unicast IPv6 addresses and two conservative phone-number forms (see
/// ``PIIPatterns``), each turned off by its option. Each kind cycles through its
/// replacements, starting again with the first for every document, so the output does not
/// depend on the number of workers. Metrics: the replacements of each kind.
public struct PIIMasker: Stage {
    public var emailReplacements: [[UInt8]]
    public var ipv4Replacements: [[UInt8]]
    public var ipv6Replacements: [[UInt8]]
    public var phoneReplacements: [[UInt8]]
    public var onlyPublicIPs: Bool

    /// Lists left empty turn their kind off.
    public init(
        emailReplacements: [String], ipv4Replacements: [String], ipv6Replacements: [String], phoneReplacements: [String],
        onlyPublicIPs: Bool = true
    ) {
        self.emailReplacements = emailReplacements.map { Array($0.utf8) }
        self.ipv4Replacements = ipv4Replacements.map { Array($0.utf8) }
        self.ipv6Replacements = ipv6Replacements.map { Array($0.utf8) }
        self.phoneReplacements = phoneReplacements.map { Array($0.utf8) }
        self.onlyPublicIPs = onlyPublicIPs
    }

    /// datatrove's replacements: addresses at domains kept for examples.
    public static let defaultEmailReplacements = ["email@example.com", "firstname.lastname@example.org"]
    /// datatrove's replacements: addresses that did not answer pings when its list was made.
    public static let defaultIPv4Replacements = [
        "22.214.171.124", "126.96.36.199", "188.8.131.52", "184.108.40.206", "220.127.116.11", "18.104.22.168",
    ]
    /// Addresses of the documentation prefix 2001:db8::/32 (RFC 3849).
    public static let defaultIPv6Replacements = ["2001:db8::1", "2001:db8::2"]
    /// A number of the range kept for fiction (555-0100 to 555-0199).
    public static let defaultPhoneReplacements = ["+1-555-0100"]

    public static let definition = StageDefinition(
        type: "pii",
        summary: "Replace e-mail addresses, public IP addresses and phone numbers with placeholders.",
        parameters: [
            Parameter("emails", .boolean, default: .bool(true), "Replace e-mail addresses."),
            Parameter("ips", .boolean, default: .bool(true), "Replace IPv4 addresses."),
            Parameter("ipv6", .boolean, default: .bool(true), "Replace global IPv6 addresses."),
            Parameter("phones", .boolean, default: .bool(true), "Replace phone numbers (international +… form and North American forms)."),
            Parameter("only_public_ips", .boolean, default: .bool(true), "Leave private, loopback and reserved IPv4 addresses alone."),
            Parameter("email_replacements", .stringList, default: .array(defaultEmailReplacements.map { .string($0) }), "Used in turn for e-mail addresses."),
            Parameter("ip_replacements", .stringList, default: .array(defaultIPv4Replacements.map { .string($0) }), "Used in turn for IPv4 addresses."),
            Parameter("ipv6_replacements", .stringList, default: .array(defaultIPv6Replacements.map { .string($0) }), "Used in turn for IPv6 addresses."),
            Parameter("phone_replacements", .stringList, default: .array(defaultPhoneReplacements.map { .string($0) }), "Used in turn for phone numbers."),
        ]
    ) { options throws(OptionError) in
        func replacements(_ name: String, enabled: String) throws(OptionError) -> [String] {
            guard options.bool(enabled) ?? true else { return [] }
            let list = options.strings(name) ?? []
            if list.isEmpty { throw OptionError(key: name, "needs at least one replacement while \(enabled) is true") }
            return list
        }
        return PIIMasker(
            emailReplacements: try replacements("email_replacements", enabled: "emails"),
            ipv4Replacements: try replacements("ip_replacements", enabled: "ips"),
            ipv6Replacements: try replacements("ipv6_replacements", enabled: "ipv6"),
            phoneReplacements: try replacements("phone_replacements", enabled: "phones"),
            onlyPublicIPs: options.bool("only_public_ips") ?? true)
    }

    public func process(_ document: inout Document) -> Verdict {
        var metrics: [Metric] = []
        var changed = false
        func pass(_ name: String, _ replacements: [[UInt8]], _ find: (PIIPatterns.Bytes, (Int, Int) -> Void) -> Void,
                  accept: (PIIPatterns.Bytes) -> Bool = { _ in true }) {
            guard !replacements.isEmpty else { return }
            let (text, count) = Self.replace(document.text, replacements, find, accept: accept)
            metrics.append(Metric(name, Double(count)))
            if count > 0 {
                document.text = text
                changed = true
            }
        }
        pass("emails", emailReplacements, PIIPatterns.forEachEmail)
        let onlyPublic = onlyPublicIPs
        pass("ipv4", ipv4Replacements, PIIPatterns.forEachIPv4) { match in
            guard let address = PIIPatterns.ipv4Value(match) else { return false }
            return !onlyPublic || PIIPatterns.isGlobalIPv4(address)
        }
        pass("ipv6", ipv6Replacements, PIIPatterns.forEachIPv6)
        pass("phones", phoneReplacements, PIIPatterns.forEachPhone)
        return changed ? .rewritten(metrics) : .keep
    }

    /// `text` with the matches that `find` reports and `accept` takes replaced in turn by
    /// `replacements`, and the number replaced.
    private static func replace(
        _ text: [UInt8], _ replacements: [[UInt8]], _ find: (PIIPatterns.Bytes, (Int, Int) -> Void) -> Void,
        accept: (PIIPatterns.Bytes) -> Bool
    ) -> ([UInt8], Int) {
        var out: [UInt8] = []
        var count = 0
        text.withUnsafeBufferPointer { p in
            var matches: [(start: Int, end: Int)] = []
            find(p) { matches.append(($0, $1)) }
            var copied = 0
            for (start, end) in matches where accept(UnsafeBufferPointer(rebasing: p[start..<end])) {
                if count == 0 { out.reserveCapacity(p.count + 64) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[copied..<start]))
                out.append(contentsOf: replacements[count % replacements.count])
                copied = end
                count += 1
            }
            if count > 0 { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[copied...])) }
        }
        return (count > 0 ? out : text, count)
    }
}
