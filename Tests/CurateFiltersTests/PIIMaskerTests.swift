import CurateCore
import CurateFilters
import Foundation
import Testing

@Suite struct PIIMaskerTests {
    let datatroveRules: any Stage
    let allRules: any Stage

    init() throws {
        datatroveRules = try SafetyFixtures.stage(PIIMasker.definition, [("ipv6", .bool(false)), ("phones", .bool(false))])
        allRules = try SafetyFixtures.stage(PIIMasker.definition)
    }

    private func masked(_ stage: any Stage, _ text: String) -> (String, Verdict) {
        var doc = SafetyFixtures.document(text)
        let verdict = stage.process(&doc)
        return (doc.textString, verdict)
    }

    /// Expected files were written by datatrove 0.10.1's PIIFormatter from the fixture.
    @Test func sameTextAsDatatroveOnRealText() throws {
        let network = try SafetyFixtures.text("debian-reference-network.txt")
        let (text, verdict) = masked(datatroveRules, network)
        #expect(text == (try SafetyFixtures.text("debian-reference-network.datatrove-pii.txt")))
        #expect(verdict == .rewritten([Metric("emails", 0), Metric("ipv4", 3)]))
        let license = try SafetyFixtures.text("gutenberg-license.txt")
        let (licenseText, licenseVerdict) = masked(datatroveRules, license)
        #expect(licenseText == (try SafetyFixtures.text("gutenberg-license.datatrove-pii.txt")))
        #expect(licenseVerdict == .rewritten([Metric("emails", 1), Metric("ipv4", 0)]))
    }

    @Test func ipv6AndPhonesOnRealText() throws {
        let (text, verdict) = masked(allRules, try SafetyFixtures.text("debian-reference-network.txt"))
        let expected = try SafetyFixtures.text("debian-reference-network.datatrove-pii.txt")
            .replacingOccurrences(of: "mirror-csail.debian.org (2603:400a:ffff:bb8::801f:3e)) 1452", with: "mirror-csail.debian.org (2001:db8::1)) 1452")
            .replacingOccurrences(of: "mirror-csail.debian.org (2603:400a:ffff:bb8::801f:3e):", with: "mirror-csail.debian.org (2001:db8::2):")
        #expect(text == expected)
        #expect(text.contains("ff02::1 ip6-allnodes") && text.contains("::1     localhost"))
        #expect(verdict == .rewritten([Metric("emails", 0), Metric("ipv4", 3), Metric("ipv6", 2), Metric("phones", 0)]))

        let (license, licenseVerdict) = masked(allRules, try SafetyFixtures.text("gutenberg-license.txt"))
        #expect(license.contains("UT 84116, +1-555-0100, email\nemail@example.com.  Email"))
        #expect(license.contains("number is 64-6221541."))
        #expect(licenseVerdict == .rewritten([Metric("emails", 1), Metric("ipv4", 0), Metric("ipv6", 0), Metric("phones", 1)]))
    }

    /// Expected outputs from datatrove 0.10.1's PIIFormatter (a new formatter per case).
    @Test(arguments: [
        ("a..b@x.com", "a..email@example.com"),
        ("write to foo@bar. now", "write to foo@bar. now"),
        ("x@foo.bar. end", "email@example.com. end"),
        ("é-foo@bar.com", "éemail@example.com"),
        ("<john.smith@mail.example.co.uk>", "<email@example.com>"),
        ("user@[192.168.1.1] and root@[10.0.0.1]", "email@example.com and firstname.lastname@example.org"),
        ("me@localhost", "me@localhost"),
        ("a@b.c-", "email@example.com-"),
        ("x@a-.b.com", "x@a-.b.com"),
        ("_x@y.z", "email@example.com"),
        ("mail: -x@y.z", "mail: -email@example.com"),
        ("1.2.3.4.5", "22.214.171.124.5"),
        ("01.2.3.4", "01.2.3.4"),
        ("1234.1.1.1", "122.214.171.124"),
        ("256.1.1.1", "222.214.171.124"),
        ("10.0.0.1", "10.0.0.1"),
        ("100.64.1.1", "100.64.1.1"),
        ("8.8.8.8:53", "22.214.171.124:53"),
        ("224.0.0.251", "22.214.171.124"),
        ("1.2.3.456", "22.214.171.1246"),
        ("192.0.0.9", "22.214.171.124"),
        // Starts up to three digits before a dot, and none after the last dot of the text.
        ("12345.1.2.3.4", "12322.214.171.124.4"),
        ("v1.2.3 and 1.2.3.4.", "v1.2.3 and 22.214.171.124."),
        (".1.1.1.1", ".22.214.171.124"),
        ("a.b 9.9.9.99 1.1.1.1", "a.b 22.214.171.124 126.96.36.199"),
    ])
    func emailAndIPv4CasesAsDatatrove(input: String, output: String) {
        #expect(masked(datatroveRules, input).0 == output)
    }

    @Test(arguments: [
        ("Call +44 20 7946 0958.", "Call +1-555-0100."),
        ("+1 (202) 555-0143", "+1-555-0100"),
        ("tel. (202) 555-0143 or 202-555-0144 or 202.555.0145", "tel. +1-555-0100 or +1-555-0100 or +1-555-0100"),
        ("+49 (0)30 1234567", "+1-555-0100"),
        ("123-456-7890", "123-456-7890"),
        ("202-555-014", "202-555-014"),
        ("on 2021-05-06", "on 2021-05-06"),
        ("ISBN 978-3-16-148410-0", "ISBN 978-3-16-148410-0"),
        ("v1.202.555.0143", "v1.202.555.0143"),
        ("202-555-0143-77", "202-555-0143-77"),
        ("+33 1 23 45", "+33 1 23 45"),
        ("id 202-555-0143x", "id 202-555-0143x"),
    ])
    func conservativePhoneRule(input: String, output: String) {
        let phones = try! SafetyFixtures.stage(PIIMasker.definition, [("emails", .bool(false)), ("ips", .bool(false)), ("ipv6", .bool(false))])
        #expect(masked(phones, input).0 == output)
    }

    @Test(arguments: [
        ("see 2001:4860:4860::8888.", "see 2001:db8::1."),
        ("[2a00:1450:4001:82b::200e]:443", "[2001:db8::1]:443"),
        ("::ffff:8.8.8.8 fe80::1 2001:db8::7 fc00::1", "::ffff:8.8.8.8 fe80::1 2001:db8::7 fc00::1"),
        ("at 11:59:01 and Foo::Bar and abc::def", "at 11:59:01 and Foo::Bar and abc::def"),
        ("2603:400a:ffff:bb8::801f:3e::1", "2603:400a:ffff:bb8::801f:3e::1"),
        ("2001:4860:0:0:0:0:0:8888", "2001:db8::1"),
    ])
    func globalIPv6Only(input: String, output: String) {
        let v6 = try! SafetyFixtures.stage(PIIMasker.definition, [("emails", .bool(false)), ("ips", .bool(false)), ("phones", .bool(false))])
        #expect(masked(v6, input).0 == output)
    }

    @Test func replacementsCycleAndRestartForEachDocument() {
        let text = "a@b.co c@d.co e@f.co"
        #expect(masked(datatroveRules, text).0 == "email@example.com firstname.lastname@example.org email@example.com")
        #expect(masked(datatroveRules, text).0 == "email@example.com firstname.lastname@example.org email@example.com")
        #expect(masked(datatroveRules, "nothing here").1 == .keep)
    }

    @Test func emptyReplacementListIsRejected() {
        let error = #expect(throws: OptionError.self) {
            try SafetyFixtures.stage(PIIMasker.definition, [("email_replacements", .array([]))])
        }
        #expect(error?.key == "email_replacements")
    }
}
