import CurateCore
import CurateIngest
import Foundation
import Testing

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/warc").path

private func input(_ name: String) -> InputFile {
    InputFile(id: 1, displayPath: name, path: fixtures + "/" + name, size: 0, sha256: String(repeating: "0", count: 64))
}

/// Every item of a file, records decoded: documents, nil for skipped records, or the error text.
private enum Item: Equatable {
    case document(offset: Int64, id: String)
    case skipped(offset: Int64)
    case corrupt(offset: Int64, message: String)
    case invalid(offset: Int64, message: String)
}

private func items(_ name: String, format: WARCFormat = WARCFormat()) throws -> (items: [Item], documents: [Document]) {
    let file = input(name)
    var source = try format.open(file)
    var items: [Item] = []
    var documents: [Document] = []
    while let item = source.next() {
        switch item {
        case let .corrupt(offset, message):
            items.append(.corrupt(offset: offset, message: message))
        case let .record(record):
            do {
                if let document = try format.decode(record, from: file) {
                    items.append(.document(offset: record.offset, id: document.id))
                    documents.append(document)
                } else {
                    items.append(.skipped(offset: record.offset))
                }
            } catch {
                items.append(.invalid(offset: record.offset, message: error.message))
            }
        }
    }
    return (items, documents)
}

@Suite struct WARCReaderTests {
    /// Offsets of the response, resource and conversion records as warcio 1.7 reports them.
    @Test(arguments: [
        ("cc-2024-22-whirlwind.warc.gz", [1023]),
        ("cc-2024-22-whirlwind.warc.wet.gz", [466]),
        ("cc-2020-34-resiliparse-50rec.warc.gz", [940, 12685, 32353, 38503, 42891]),
        ("warcio-example.warc", [1197]),
        ("warcio-example.warc.gz", [784]),
        ("warcio-example-iana.org-chunked.warc", [405]),
        ("warcio-example-resource.warc.gz", [802]),
    ] as [(String, [Int64])])
    func readsTheSameRecordsAsWarcio(name: String, firstOffsets: [Int64]) throws {
        let all = WARCFormat(mimeTypes: [])
        let offsets = try items(name, format: all).items.map { item -> Int64 in
            guard case let .document(offset, _) = item else { Issue.record("\(item)"); return -1 }
            return offset
        }
        #expect(Array(offsets.prefix(5)) == firstOffsets)
        #expect(offsets.count == (name.hasPrefix("cc-2020-34") ? 16 : 1))
    }

    /// Common Crawl's record-per-member gzip files and plain files.
    @Test(arguments: ["cc-2020-34-resiliparse-50rec.warc.gz", "cc-2024-22-whirlwind.warc.wet.gz", "warcio-example.warc",
                      "derived-content-encoding.warc"])
    func readsEveryRecordWhereItStarts(name: String) throws {
        let format = WARCFormat(mimeTypes: [])
        let file = input(name)
        var source = try format.open(file)
        var offsets: [Int64] = []
        while let item = source.next() {
            guard case let .record(record) = item else { Issue.record("\(item)"); continue }
            offsets.append(record.offset)
            let read = try #require(format.record(at: record.offset, in: file))
            #expect(read.bytes == record.bytes)
            #expect(read.offset == record.offset)
            #expect(format.record(at: record.offset + 1, in: file) == nil)
        }
        #expect(offsets.count == ["cc-2020-34-resiliparse-50rec.warc.gz": 16, "derived-content-encoding.warc": 3][name] ?? 1)
    }

    /// A file gzipped whole has its later records inside the one member: those are read from
    /// the start.
    @Test func aRecordInsideAGzipMemberIsNotReadWhereItStarts() throws {
        let format = WARCFormat(mimeTypes: [])
        let whole = FileManager.default.temporaryDirectory.appendingPathComponent("curate-whole-\(getpid()).warc.gz").path
        defer { try? FileManager.default.removeItem(atPath: whole) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -c < '\(fixtures)/derived-content-encoding.warc' > '\(whole)'"]
        try process.run()
        process.waitUntilExit()
        let file = InputFile(id: 1, displayPath: "whole.warc.gz", path: whole, size: 0, sha256: String(repeating: "0", count: 64))
        var source = try format.open(file)
        var offsets: [Int64] = []
        while let item = source.next() { if case let .record(record) = item { offsets.append(record.offset) } }
        try #require(offsets.count == 3)
        #expect(offsets[0] == 0)
        #expect(format.record(at: 0, in: file)?.offset == 0)
        #expect(format.record(at: offsets[1], in: file) == nil)
        #expect(format.record(at: offsets[2], in: file) == nil)
    }

    @Test func decodesACommonCrawlResponse() throws {
        let (found, documents) = try items("cc-2024-22-whirlwind.warc.gz")
        #expect(found == [.document(offset: 1023, id: "urn:uuid:2aabeff2-67f5-4608-8466-e87c6296e2b6")])
        let doc = try #require(documents.first)
        #expect(doc.url == "https://an.wikipedia.org/wiki/Escopete")
        #expect(doc.source.recordID == doc.id)
        #expect(doc.metadata["http_status"] == .number("200"))
        #expect(doc.metadata["content_type"] == .string("text/html"))
        #expect(doc.metadata["warc_date"] == .string("2024-05-18T01:58:10Z"))
        #expect(doc.textString.hasPrefix("<!DOCTYPE html>"))
    }

    @Test func decodesAWETConversionRecord() throws {
        let (_, documents) = try items("cc-2024-22-whirlwind.warc.wet.gz")
        let doc = try #require(documents.first)
        #expect(doc.metadata["warc_type"] == .string("conversion"))
        #expect(doc.metadata["content_type"] == .string("text/plain"))
        #expect(doc.url == "https://an.wikipedia.org/wiki/Escopete")
        #expect(doc.textString.hasPrefix("Escopete - Biquipedia"))
    }

    @Test func undoesChunkedTransferEncoding() throws {
        let (_, documents) = try items("warcio-example-iana.org-chunked.warc")
        let doc = try #require(documents.first)
        #expect(doc.text.count == 7223)
        #expect(doc.textString.hasPrefix("<!doctype html>\n<html>\n<head>\n\t<title>Internet Assigned Numb"))
    }

    @Test(arguments: [(["text/html", "application/xhtml+xml"], 16), (["text/html"], 6), (["text/plain"], 0)] as [(Set<String>, Int)])
    func keepsOnlyTheWantedMediaTypes(types: Set<String>, expected: Int) throws {
        let found = try items("cc-2020-34-resiliparse-50rec.warc.gz", format: WARCFormat(mimeTypes: types)).items
        let kept = found.filter { if case .document = $0 { true } else { false } }.count
        let skipped = found.filter { if case .skipped = $0 { true } else { false } }.count
        #expect((kept, skipped) == (expected, 16 - expected))
    }
}

@Suite struct WARCDamageTests {
    @Test func aClippedGzipRecordIsOneError() throws {
        #expect(try items("resiliparse-clipped.warc.gz").items == [
            .corrupt(offset: 0, message: "truncated record: 75207 of 88275 bytes (truncated gzip stream: the file ends inside compressed data (compressed byte 18184))"),
        ])
    }

    @Test func aWrongContentLengthIsReportedAndReadingGoesOn() throws {
        let found = try items("hostile-wrong-content-length.warc").items
        #expect(found == [.corrupt(offset: 1197, message: "record does not end after its Content-Length of 875 bytes")])
    }

    @Test func aMissingBlankLineIsReportedAndTheNextRecordRead() throws {
        let found = try items("hostile-missing-blank-line.warc").items
        #expect(found == [.corrupt(offset: 1197, message: "record does not end after its Content-Length of 975 bytes")])
    }

    /// warcio warns about the same record: "Record not followed by newline, perhaps Content-Length is invalid".
    @Test func warciosTruncatedExampleHasAContentLengthTwoBytesShort() throws {
        #expect(try items("warcio-example-trunc.warc").items == [
            .corrupt(offset: 1197, message: "record does not end after its Content-Length of 973 bytes"),
        ])
    }

    @Test func leadingGarbageIsSkippedWithAReport() throws {
        let found = try items("hostile-leading-garbage.warc").items
        #expect(found.first == .corrupt(offset: 0, message: "no WARC record here; skipped 27 bytes to the next record"))
        #expect(found.dropFirst().first.map { if case .document = $0 { true } else { false } } == true)
    }

    @Test func aCorruptGzipMemberCostsOnlyItsRecord() throws {
        let found = try items("hostile-corrupt-member.warc.gz", format: WARCFormat(mimeTypes: [])).items
        let documents = found.filter { if case .document = $0 { true } else { false } }
        let errors = found.filter { if case .corrupt = $0 { true } else { false } }
        #expect(documents.count == 15)
        #expect(errors.count == 1)
        #expect(!found.contains { if case .document(12685, _) = $0 { true } else { false } })
    }
}

@Suite struct WARCParallelInflateTests {
    /// Helper threads inflating gzip members ahead change nothing: the same records, offsets,
    /// texts and errors, damaged members included.
    @Test(arguments: ["cc-2020-34-resiliparse-50rec.warc.gz", "hostile-corrupt-member.warc.gz", "resiliparse-clipped.warc.gz",
                      "warcio-example.warc.gz", "cc-2024-22-whirlwind.warc.wet.gz", "hostile-leading-garbage.warc"])
    func readsTheSameWithHelperThreads(name: String) throws {
        let one = try items(name, format: WARCFormat(mimeTypes: []))
        for threads in [2, 4] {
            let many = try items(name, format: WARCFormat(mimeTypes: [], inflateThreads: threads))
            #expect(many.items == one.items)
            #expect(many.documents.map(\.text) == one.documents.map(\.text))
        }
    }
}

@Suite struct HTTPBodyTests {
    /// The example.com page of warcio's capture, as the server sent it before gzip.
    let page = "<!doctype html>\n<html>\n<head>\n    <title>Example Domain</title>\n\n    <meta charset=\"utf-8\" />"

    @Test func undoesGzipContentEncodingOfARealCapture() throws {
        let doc = try #require(try items("warcio-example.warc").documents.first)
        #expect(doc.text.count == 1270)
        #expect(doc.textString.hasPrefix(page))
        #expect(doc.textString.hasSuffix("</html>\n"))
    }

    @Test func undoesGzipAndBothFormsOfDeflate() throws {
        let (found, documents) = try items("derived-content-encoding.warc")
        #expect(found.count == 3)
        #expect(documents.count == 3)
        let expected = try #require(try items("warcio-example.warc").documents.first).text
        #expect(documents.map(\.text) == [expected, expected, expected])
    }
}
