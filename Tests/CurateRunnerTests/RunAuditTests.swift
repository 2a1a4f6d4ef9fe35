@testable import CurateRunner
import Foundation
import Testing

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures").path

@Suite struct SnippetTests {
    @Test func collapsesWhiteSpace() {
        #expect(RunAudit.snippet("  Fellow-Countrymen:\n\n\tAt this  second\u{00A0}appearing \n") == "Fellow-Countrymen: At this second appearing")
        #expect(RunAudit.snippet(" \n\t ") == "")
    }

    @Test func showsTheFirst240CharactersOnly() {
        // 24 words of 9 characters and 23 spaces: 239 characters, 240 with the "x".
        let words = Array(repeating: String(repeating: "é", count: 9), count: 24)
        let collapsed = words.joined(separator: " ") + "x"
        #expect(collapsed.count == 240)
        #expect(RunAudit.snippet(words.joined(separator: " \n ") + "x\n") == collapsed)
        #expect(RunAudit.snippet(words.joined(separator: " \n ") + "xy") == collapsed + "…")
        #expect(RunAudit.snippet(words.joined(separator: " \n ") + "x yz") == collapsed + "…")
    }

    /// The same text as splitting all of it at white space, joining with spaces and cutting.
    @Test func matchesCollapsingTheWholeText() throws {
        let text = try String(contentsOfFile: fixtures + "/io/lines.txt", encoding: .utf8)
        let whole = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(whole.count > 240)
        #expect(RunAudit.snippet(text) == String(whole.prefix(240)) + "…")
        #expect(RunAudit.snippet(String(text.prefix(200))) == String(text.prefix(200)).split(whereSeparator: \.isWhitespace).joined(separator: " "))
    }
}
