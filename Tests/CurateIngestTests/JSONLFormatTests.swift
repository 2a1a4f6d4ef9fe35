import CurateCore
import CurateIngest
import Foundation
import Testing

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures").path

private func file(_ relative: String) -> InputFile {
    InputFile(id: 7, displayPath: relative, path: fixtures + "/" + relative, size: 0, sha256: String(repeating: "ab", count: 32))
}

@Suite struct JSONLFormatTests {
    let format = JSONLFormat()

    private func records(_ input: InputFile) throws -> [SourceItem] {
        var source = try format.open(input)
        var items: [SourceItem] = []
        while let item = source.next() { items.append(item) }
        return items
    }

    @Test func splitsNonBlankLinesWithTheirLineNumbers() throws {
        let items = try records(file("jsonl/mixed.jsonl"))
        let lines = items.compactMap { if case let .record(r) = $0 { r.line } else { nil } }
        #expect(lines == [1, 3, 4, 5, 6, 7, 8])
    }

    @Test func readsEveryLineWhereItStarts() throws {
        let input = file("jsonl/mixed.jsonl")
        let records = try records(input).compactMap { if case let .record(r) = $0 { r } else { nil } }
        #expect(records.map(\.offset) == [0, 271, 317, 853, 909, 989, 1014])
        for record in records {
            let read = try #require(format.record(at: record.offset, in: input))
            #expect(read.bytes == record.bytes)
            #expect(read.offset == record.offset)
            #expect(format.record(at: record.offset + 1, in: input) == nil)
        }
    }

    @Test(arguments: ["io/lines.txt.gz", "io/lines.txt.zst", "io/lines.txt.bz2", "io/lines.txt.xz"])
    func aCompressedFileIsReadOnlyFromItsStart(name: String) throws {
        #expect(format.record(at: 0, in: file(name)) == nil)
        #expect(format.record(at: 19, in: file(name)) == nil)
    }

    @Test func decodesFieldsAndKeepsTheRestAsMetadata() throws {
        let input = file("jsonl/mixed.jsonl")
        let items = try records(input)
        guard case let .record(first) = items[0], case let .record(numeric) = items[2] else { Issue.record(); return }
        let doc = try #require(try format.decode(first, from: input))
        #expect(doc.id == "lincoln-1861-1")
        #expect(doc.url == "https://example.org/lincoln/1")
        #expect(doc.metadata == JSONObject([("year", .number("1861")), ("tags", .array([.string("speech"), .string("inaugural")]))]))
        #expect(doc.source == SourceRef(input: "jsonl/mixed.jsonl", offset: 0, line: 1))
        #expect(doc.textString.hasPrefix("I do not consider it necessary at present for me to discuss"))
        #expect(try format.decode(numeric, from: input)?.id == "42")
    }

    @Test func reportsBrokenRecordsPrecisely() throws {
        let input = file("jsonl/mixed.jsonl")
        let items = try records(input)
        guard case let .record(broken) = items[1], case let .record(noText) = items[3] else { Issue.record(); return }
        #expect(throws: RecordError("invalid JSON at column 46: unterminated string")) { try format.decode(broken, from: input) }
        #expect(throws: RecordError("no \"text\" field")) { try format.decode(noText, from: input) }
    }

    @Test func keepsInvalidUTF8ForTheNormalizeStage() throws {
        let input = file("jsonl/mixed.jsonl")
        guard case let .record(raw) = try records(input)[4] else { Issue.record(); return }
        let doc = try #require(try format.decode(raw, from: input))
        #expect(doc.text == Array("Café ".utf8) + [0xFF, 0xFE] + Array(" bytes, a bell \u{07} and  spaces\r\nend".utf8))
        #expect(doc.id == "invalid-utf8")
    }

    @Test func derivesAnIdFromTheInputHashWhenThereIsNone() throws {
        let raw = RawRecord(bytes: Array(#"{"text":"x"}"#.utf8), offset: 1234, line: 9)
        #expect(try format.decode(raw, from: file("jsonl/mixed.jsonl"))?.id == "abababababababab/1234")
    }

    @Test func optionsRenameTheFields() throws {
        let custom = JSONLFormat(textField: "body", idField: "key", urlField: "link")
        let raw = RawRecord(bytes: Array(#"{"key":"k","body":"hello","link":"https://a.example/","text":"meta"}"#.utf8), offset: 0)
        let doc = try #require(try custom.decode(raw, from: file("x.jsonl")))
        #expect(doc.id == "k")
        #expect(doc.textString == "hello")
        #expect(doc.url == "https://a.example/")
        #expect(doc.metadata == JSONObject([("text", .string("meta"))]))
        let notString = RawRecord(bytes: Array(#"{"body": 5}"#.utf8), offset: 0)
        #expect(throws: RecordError("invalid JSON at column 10: field \"body\" must be a string")) { try custom.decode(notString, from: file("x.jsonl")) }
    }

    @Test func aTruncatedCompressedFileEndsWithACorruptItem() throws {
        let items = try records(file("io/truncated.txt.zst"))
        guard case let .corrupt(offset, message) = items.last else { Issue.record("no corrupt item"); return }
        #expect(offset <= 770)
        #expect(message == "truncated zstd stream: the file ends inside compressed data (compressed byte 449)")
    }
}

@Suite struct TextFormatTests {
    @Test func aFileIsOneDocumentNamedByItsPath() throws {
        let format = TextFormat()
        let input = file("text/1865-Lincoln.txt")
        var source = try format.open(input)
        guard case let .record(raw)? = source.next() else { Issue.record(); return }
        if case .some = source.next() { Issue.record("a second record") }
        let doc = try #require(try format.decode(raw, from: input))
        #expect(doc.id == "text/1865-Lincoln.txt")
        #expect(doc.text.count == 3926)
    }

    @Test func anEmptyFileIsAnEmptyDocument() throws {
        let format = TextFormat()
        var source = try format.open(file("text/empty.txt"))
        guard case let .record(raw)? = source.next() else { Issue.record(); return }
        #expect(raw.bytes.isEmpty)
    }
}
