import Foundation
import Testing

/// Every case of issue 11's hostile corpus, through `curate run` as a user meets it: the run
/// does not crash, a broken record is named with its file and offset on stderr and in the
/// `documents` table, and every other document is processed.
@Suite struct HostileInputTests {
    /// A workspace holding copies of the named fixtures (`hostile/NAME` or `warc/NAME`), so
    /// that the paths in messages are short.
    private func workspace(_ fixtures: String...) throws -> Workspace {
        let space = try Workspace()
        for fixture in fixtures {
            try space.write(String(fixture.split(separator: "/").last!), Array(try Data(contentsOf: URL(fileURLWithPath: root + "/Tests/Fixtures/" + fixture))))
        }
        return space
    }

    @Test func truncatedGzipAndBzip2StreamsKeepWhatCameBeforeTheCut() throws {
        let space = try workspace("hostile/truncated.jsonl.gz", "hostile/truncated.jsonl.bz2")
        defer { space.remove() }
        try space.write("ok.jsonl", #"{"id": "ok", "text": "an intact document"}"# + "\n")
        try space.pipeline(inputs: #"[{"format": "jsonl", "paths": ["truncated.jsonl.gz", "truncated.jsonl.bz2", "ok.jsonl"]}]"#)
        let result = try space.curate(["run", "pipeline.json", "--no-report"])
        #expect(result.status == 0)
        let gz = "truncated.jsonl.gz", bz2 = "truncated.jsonl.bz2"
        let gzError = "truncated gzip stream: the file ends inside compressed data (compressed byte 685)"
        let bz2Error = "truncated bzip2 stream: the file ends inside compressed data (compressed byte 410)"
        // The gzip stream breaks off inside line 117, at decompressed byte 10255 (116 lines of 88
        // bytes and 7 more); bzip2 decodes whole blocks, and the file's only block is cut.
        #expect(warnings(result).sorted() == ["\(bz2): at byte 0: \(bz2Error)", "\(gz): at byte 10255: \(gzError)"])
        #expect(try space.errors() == [[bz2, "0", "corrupt_input", bz2Error], [gz, "10255", "corrupt_input", gzError]])
        let kept = try space.documents().filter { $0[2] == "kept" }
        #expect(kept.map { $0[1]! } == ["ok"] + (0..<116).map { "d" + String(1000 + $0).dropFirst() })
    }

    @Test func damagedWARCRecordsCostOnlyThemselves() throws {
        let space = try workspace("warc/hostile-wrong-content-length.warc", "warc/hostile-missing-blank-line.warc",
                                  "hostile/claim-2gb.warc", "hostile/claim-past-end.warc")
        defer { space.remove() }
        // A gzip member per record, one claiming 2 GB and ending without its blank line: the
        // next member's start shows where the next record is.
        let lie = Array(String(decoding: warcRecord(id: "2", uri: "http://example.com/2", block: Array("liar".utf8), contentLength: 2 << 30), as: UTF8.self)
            .replacingOccurrences(of: "liar\r\n\r\n", with: "liar").utf8)
        try space.write("claim-2gb-members.warc.gz", try [
            warcRecord(id: "1", uri: "http://example.com/1", block: Array("one".utf8)), lie,
            warcRecord(id: "3", uri: "http://example.com/3", block: Array("three".utf8)),
        ].flatMap { try compress($0, with: "gzip") })
        let files = ["claim-2gb-members.warc.gz", "claim-2gb.warc", "claim-past-end.warc", "hostile-missing-blank-line.warc", "hostile-wrong-content-length.warc"]
        try space.pipeline(inputs: #"[{"format": "warc", "mime_types": [], "paths": ["*.warc", "*.warc.gz"]}]"#)
        let result = try space.curate(["run", "pipeline.json", "--no-report"])
        #expect(result.status == 0)
        let errors: [[String?]] = [
            [files[0], "164", "corrupt_input", "record claims 2147483648 bytes, more than max_record_bytes (67108864), but the next record starts 4 bytes into it; skipped to it"],
            [files[1], "252", "corrupt_input", "record claims 2147483648 bytes, more than max_record_bytes (67108864), but the next record starts 37 bytes into it; skipped to it"],
            [files[2], "252", "corrupt_input", "truncated record: 536 of 1048576 bytes"],
            [files[3], "1197", "corrupt_input", "record does not end after its Content-Length of 975 bytes"],
            [files[4], "1197", "corrupt_input", "record does not end after its Content-Length of 875 bytes"],
        ]
        #expect(try space.errors() == errors)
        #expect(warnings(result).sorted() == errors.map { "\($0[0]!): at byte \($0[1]!): \($0[3]!)" })
        // The records after a lying Content-Length are found again.
        let read = try space.documents().filter { $0[2] != "error" }
        let uuid = "urn:uuid:00000000-0000-0000-0000-00000000000"
        #expect(read.map { [$0[0]!, $0[1]!] } == [
            [files[0], "urn:uuid:1"], [files[0], "urn:uuid:3"],
            [files[1], uuid + "1"], [files[1], uuid + "3"], [files[1], uuid + "4"],
            [files[2], uuid + "1"], [files[2], uuid + "3"], [files[2], uuid + "4"],
        ])
    }

    @Test func aDamagedGzipMemberCostsOnlyItsRecord() throws {
        let space = try Workspace()
        defer { space.remove() }
        let one = try compress(warcRecord(id: "1", uri: "http://example.com/1", block: Array(String(repeating: "one ", count: 50).utf8)), with: "gzip")
        let two = try compress(warcRecord(id: "2", uri: "http://example.com/2", block: (0..<10240).map { UInt8($0 % 256) }), with: "gzip")
        let three = try compress(warcRecord(id: "3", uri: "http://example.com/3", block: Array(String(repeating: "three ", count: 50).utf8)), with: "gzip")
        // Cut in half: zlib reads on into the next member's bytes before it fails. Without its
        // length: the next member's first bytes are taken for it. A wrong CRC.
        try space.write("cut.warc.gz", one + two.prefix(two.count / 2) + three)
        try space.write("no-length.warc.gz", one + two.dropLast(4) + three)
        try space.write("bad-crc.warc.gz", one + two.dropLast(8) + [0, 0, 0, 0] + two.suffix(4) + three)
        try space.pipeline(inputs: #"[{"format": "warc", "mime_types": [], "paths": ["*.warc.gz"]}]"#)
        let result = try space.curate(["run", "pipeline.json", "--no-report"])
        #expect(result.status == 0)
        let (a, b) = (one.count, one.count + two.count)
        let errors = try space.errors()
        #expect(errors.map { [$0[0], $0[1], $0[2]] } == [
            ["bad-crc.warc.gz", String(a), "corrupt_input"], ["cut.warc.gz", String(a), "corrupt_input"], ["no-length.warc.gz", String(a), "corrupt_input"],
        ])
        #expect(errors.map { $0[3]!.contains("corrupt gzip data: incorrect") } == [true, true, true])
        let documents = try space.documents().filter { $0[2] != "error" }.map { [$0[0], $0[1]] }
        #expect(documents == [
            ["bad-crc.warc.gz", "urn:uuid:1"], ["bad-crc.warc.gz", "urn:uuid:3"],
            ["cut.warc.gz", "urn:uuid:1"], ["cut.warc.gz", "urn:uuid:3"],
            ["no-length.warc.gz", "urn:uuid:1"], ["no-length.warc.gz", "urn:uuid:3"],
        ])
        let offsets = try space.store().query("SELECT i.path, d.offset FROM documents d JOIN inputs i ON i.id = d.input_id WHERE d.doc_id = 'urn:uuid:3' ORDER BY i.path")
        #expect(offsets == [["bad-crc.warc.gz", String(b)], ["cut.warc.gz", String(a + two.count / 2)], ["no-length.warc.gz", String(b - 4)]])
    }

    @Test func invalidUTF8AndNULBytesAreRepairedNotFatal() throws {
        let space = try workspace("hostile/invalid-utf8-and-nul.jsonl", "hostile/nul-bytes.txt")
        defer { space.remove() }
        try space.pipeline(
            inputs: #"[{"format": "jsonl", "paths": ["invalid-utf8-and-nul.jsonl"]}, {"format": "text", "paths": ["nul-bytes.txt"]}]"#,
            stages: #"[{"type": "normalize"}, {"type": "length", "min_chars": 1}]"#)
        let result = try space.curate(["run", "pipeline.json", "--no-report", "--json"])
        #expect(result.status == 0)
        // A raw NUL inside a JSON string is invalid JSON (RFC 8259 wants it escaped): that line
        // is an error; invalid UTF-8 is repaired by normalize, NUL bytes in text files removed.
        #expect(warnings(result) == ["invalid-utf8-and-nul.jsonl:2: invalid JSON at column 57: control character U+0000 inside a string must be escaped"])
        #expect(try space.errors() == [["invalid-utf8-and-nul.jsonl", "82", "invalid_record", "invalid JSON at column 57: control character U+0000 inside a string must be escaped"]])
        #expect(try keptTexts(space) == [
            "latin1": "caf\u{FFFD} cr\u{FFFD}me, lone continuation \u{FFFD} and a cut sequence \u{FFFD}",
            "overlong": "overlong slash \u{FFFD}\u{FFFD} and surrogate \u{FFFD}\u{FFFD}\u{FFFD} bytes",
            "nul-bytes.txt": "Plain text with NULbytesinside and invalid \u{FFFD}\u{FFFD} bytes.",
        ])
    }

    @Test func htmlNestedAHundredThousandLevelsDeep() throws {
        let space = try Workspace()
        defer { space.remove() }
        let text = "Deep text that is long enough to be the main content of this page."
        try space.write("divs.html", "<html><body>" + String(repeating: "<div>", count: 100_000) + "<p>\(text)</p>"
            + String(repeating: "</div>", count: 100_000) + "</body></html>")
        try space.write("unclosed.html", "<html><body>" + String(repeating: "<b><i>", count: 50_000) + text)
        try space.write("ok.html", "<html><body><p>\(text)</p></body></html>")
        try space.pipeline(inputs: #"[{"format": "html", "paths": ["divs.html", "unclosed.html", "ok.html"]}]"#,
                           stages: #"[{"type": "html_extract"}]"#)
        let result = try space.curate(["run", "pipeline.json", "--no-report"])
        #expect(result.status == 0)
        let documents = try space.documents().map { $0[2] }
        #expect(documents == ["kept", "kept", "kept"])
        #expect(try keptTexts(space) == ["divs.html": text, "ok.html": text, "unclosed.html": text])
    }

    @Test func aFiftyMegabyteLineIsReadOrSkippedAtItsLimit() throws {
        let space = try Workspace()
        defer { space.remove() }
        let line = [UInt8](repeating: UInt8(ascii: "a"), count: 50 << 20)
        try space.write("long.txt", line)
        try space.write("long.jsonl", Array(#"{"id": "short", "text": "before"}"#.utf8) + [0x0A]
            + Array(#"{"id": "long", "text": ""#.utf8) + line + Array("\"}\n".utf8) + Array(#"{"id": "after", "text": "after"}"#.utf8) + [0x0A])
        try space.pipeline(
            inputs: #"[{"format": "text", "paths": ["long.txt"]}, {"format": "jsonl", "paths": ["long.jsonl"], "max_document_bytes": 16777216}]"#,
            stages: #"[{"type": "length", "min_chars": 1}]"#)
        let result = try space.curate(["run", "pipeline.json", "--no-report"])
        #expect(result.status == 0)
        let error = "line 2 is 52428826 bytes, more than the 16777216 a document may have (max_document_bytes); skipped"
        #expect(warnings(result) == ["long.jsonl: at byte 34: \(error)"])
        #expect(try space.errors() == [["long.jsonl", "34", "corrupt_input", error]])
        let documents = try space.documents().map { [$0[0], $0[1], $0[2]] }
        #expect(documents == [
            ["long.jsonl", "short", "kept"], ["long.jsonl", "a0afb64f5e634178/34", "error"], ["long.jsonl", "after", "kept"],
            ["long.txt", "long.txt", "kept"],
        ])
        #expect(try space.store().query("SELECT chars FROM documents WHERE doc_id = 'long.txt'") == [["52428800"]])
    }

    @Test func aWhitespaceOnlyDocumentIsDroppedForItsLength() throws {
        let space = try Workspace()
        defer { space.remove() }
        try space.write("ws.jsonl", #"{"id": "ws", "text": " \t\n\u00a0\n  \r\n "}"# + "\n" + #"{"id": "ok", "text": "words"}"# + "\n")
        try space.write("ws.txt", " \n\n\t \n")
        try space.pipeline(inputs: #"[{"format": "jsonl", "paths": ["ws.jsonl"]}, {"format": "text", "paths": ["ws.txt"]}]"#,
                           stages: #"[{"type": "normalize"}, {"type": "length", "min_chars": 1}]"#)
        let result = try space.curate(["run", "pipeline.json", "--no-report"])
        #expect(result.status == 0)
        let documents = try space.documents().map { [$0[1], $0[2], $0[3]] }
        #expect(documents == [
            ["ws", "dropped", "too_few_chars"], ["ok", "kept", nil], ["ws.txt", "dropped", "too_few_chars"],
        ])
    }

    @Test func xmlEntityBombsAndExternalEntitiesAreNeitherExpandedNorFetched() throws {
        let space = try workspace("hostile/entities.xml")
        defer { space.remove() }
        try space.pipeline(inputs: #"[{"format": "mediawiki", "paths": ["entities.xml"]}]"#)
        let result = try space.curate(["run", "pipeline.json", "--no-report"])
        #expect(result.status == 0)
        #expect(warnings(result) == [])
        let texts = try keptTexts(space)
        #expect(texts.count == 2)
        #expect(!texts.values.contains { $0.contains("root:") || $0.contains("lollol") })
    }

    @Test func decompressionBombsAreSkippedWithinTheirLimits() throws {
        let space = try workspace("hostile/bomb.jsonl.gz", "hostile/bomb.jsonl.bz2", "hostile/bomb.txt.zst")
        defer { space.remove() }
        // A gzip member per record: one whose record inflates to 100 MiB, between two small ones.
        let page = Array("<html><body><p>A small page with enough text to be its main content, for once.</p></body></html>".utf8)
        var members: [UInt8] = []
        members += try compress(warcRecord(id: "1", uri: "http://example.com/1", contentType: "text/html", block: page), with: "gzip")
        members += try compress(warcRecord(id: "2", uri: "http://example.com/2", block: [UInt8](repeating: 0x20, count: 100 << 20)), with: "gzip")
        members += try compress(warcRecord(id: "3", uri: "http://example.com/3", contentType: "text/html", block: page), with: "gzip")
        try space.write("member-bomb.warc.gz", members)
        // An HTTP body with Content-Encoding: gzip that inflates to 64 MiB.
        let body = try compress([UInt8](repeating: 0x20, count: 64 << 20), with: "gzip")
        try space.write("http-bomb.warc", warcRecord(type: "response", id: "4", uri: "http://example.com/4", contentType: "application/http; msgtype=response",
                                                     block: httpBlock(body, headers: ["Content-Type: text/html", "Content-Encoding: gzip"]))
            + warcRecord(id: "5", uri: "http://example.com/5", contentType: "text/html", block: page))
        try space.pipeline(inputs: #"""
            [{"format": "warc", "paths": ["member-bomb.warc.gz"]},
             {"format": "warc", "paths": ["http-bomb.warc"], "max_record_bytes": 1048576},
             {"format": "jsonl", "paths": ["bomb.jsonl.gz", "bomb.jsonl.bz2"], "max_document_bytes": 1048576},
             {"format": "text", "paths": ["bomb.txt.zst"]}]
            """#, stages: #"[{"type": "html_extract", "min_text_chars": 1}]"#)
        let result = try space.curate(["run", "pipeline.json", "--no-report"])
        #expect(result.status == 0)
        let errors: [[String?]] = [
            ["bomb.jsonl.bz2", "84", "corrupt_input", "line 2 is 104857626 bytes, more than the 1048576 a document may have (max_document_bytes); skipped"],
            ["bomb.jsonl.gz", "84", "corrupt_input", "line 2 is 104857626 bytes, more than the 1048576 a document may have (max_document_bytes); skipped"],
            ["bomb.txt.zst", "0", "corrupt_input", "the file holds more than the 67108864 bytes a document may have (max_document_bytes); skipped"],
            ["http-bomb.warc", "0", "invalid_record", "gzip payload expands beyond 4194304 bytes"],
            ["member-bomb.warc.gz", "224", "corrupt_input", "record of 104857600 bytes is larger than max_record_bytes (67108864); skipped"],
        ]
        #expect(try space.errors() == errors)
        #expect(Set(warnings(result)) == Set(errors.map { $0[2] == "invalid_record" ? "\($0[0]!)@\($0[1]!): \($0[3]!)" : "\($0[0]!): at byte \($0[1]!): \($0[3]!)" }))
        #expect(try space.documents().filter { $0[2] != "error" }.map { [$0[0], $0[1], $0[2]] } == [
            ["bomb.jsonl.bz2", "before", "kept"], ["bomb.jsonl.bz2", "after", "kept"],
            ["bomb.jsonl.gz", "before", "kept"], ["bomb.jsonl.gz", "after", "kept"],
            ["http-bomb.warc", "urn:uuid:5", "kept"],
            ["member-bomb.warc.gz", "urn:uuid:1", "kept"], ["member-bomb.warc.gz", "urn:uuid:3", "kept"],
        ])
    }

    @Test func emptyInputsOfEveryFormatGiveNoDocuments() throws {
        let space = try Workspace()
        defer { space.remove() }
        for name in ["empty.jsonl", "empty.txt", "empty.warc", "empty.html", "empty.xml", "empty.jsonl.gz"] { try space.write(name, []) }
        try space.pipeline(inputs: #"""
            [{"format": "jsonl", "paths": ["empty.jsonl", "empty.jsonl.gz"]}, {"format": "text", "paths": ["empty.txt"]},
             {"format": "warc", "paths": ["empty.warc"]}, {"format": "html", "paths": ["empty.html"]}, {"format": "mediawiki", "paths": ["empty.xml"]}]
            """#)
        let result = try space.curate(["run", "pipeline.json", "--no-report"])
        #expect(result.status == 0)
        // An empty file is not a MediaWiki dump: that one is an error. An empty text or HTML
        // file is an empty document (for a length stage to drop); the others hold no records.
        #expect(try space.errors() == [["empty.xml", "0", "corrupt_input", "truncated dump: the XML ends inside the dump"]])
        let documents = try space.documents().map { [$0[0], $0[2]] }
        #expect(documents == [["empty.html", "kept"], ["empty.txt", "kept"], ["empty.xml", "error"]])
        #expect(warnings(result) == ["empty.xml: at byte 0: truncated dump: the XML ends inside the dump"])
    }

    @Test func aFolderWhereAFileWasExpected() throws {
        let space = try Workspace()
        defer { space.remove() }
        try FileManager.default.createDirectory(atPath: space.path("folder.jsonl"), withIntermediateDirectories: true)
        try space.write("ok.jsonl", #"{"id": "ok", "text": "fine"}"# + "\n")
        try space.pipeline(inputs: #"[{"format": "jsonl", "paths": ["folder.jsonl", "ok.jsonl"]}]"#)
        let named = try space.curate(["run", "pipeline.json", "--no-report"])
        #expect(named.status == 2)
        #expect(named.stderr == "error: pipeline.json: inputs[0].paths[0]: no file matches \"folder.jsonl\" (relative to \(space.folder))\n")
        // A glob that also matches a folder reads the files and looks inside the folder.
        try space.pipeline(inputs: #"[{"format": "jsonl", "paths": ["*.jsonl"]}]"#)
        let globbed = try space.curate(["run", "pipeline.json", "--no-report"])
        #expect(globbed.status == 0)
        let documents = try space.documents().map { $0[1] }
        #expect(documents == ["ok"])
    }

    @Test func aDeviceOrFIFOWhereAFileWasExpectedIsRefusedNotReadForever() throws {
        let space = try Workspace()
        defer { space.remove() }
        try FileManager.default.createSymbolicLink(atPath: space.path("zero.jsonl"), withDestinationPath: "/dev/zero")
        #expect(mkfifo(space.path("fifo.jsonl"), 0o644) == 0)
        try space.write("ok.jsonl", #"{"id": "ok", "text": "fine"}"# + "\n")
        try space.pipeline(inputs: #"[{"format": "jsonl", "paths": ["*.jsonl"]}]"#)
        let result = try space.curate(["run", "pipeline.json", "--no-report"])
        #expect(result.status == 0)
        let message = "is a device, FIFO or socket, expected a file"
        #expect(warnings(result).sorted() == ["fifo.jsonl: at byte 0: \(message)", "zero.jsonl: at byte 0: \(message)"])
        let documents = try space.store().query("SELECT i.path, d.status, d.reason FROM documents d JOIN inputs i ON i.id = d.input_id ORDER BY i.path")
        #expect(documents == [["fifo.jsonl", "error", "corrupt_input"], ["ok.jsonl", "kept", nil], ["zero.jsonl", "error", "corrupt_input"]])
    }

    @Test func anUnreadableFileIsRecordedAndTheOthersRead() throws {
        let space = try Workspace()
        defer { space.remove() }
        try space.write("a.jsonl", #"{"id": "a", "text": "readable"}"# + "\n")
        try space.write("b.jsonl", #"{"id": "b", "text": "unreadable"}"# + "\n")
        try space.write("c.jsonl", #"{"id": "c", "text": "readable"}"# + "\n")
        try space.pipeline(inputs: #"[{"format": "jsonl", "paths": ["*.jsonl"]}]"#)
        chmod(space.path("b.jsonl"), 0)
        // root reads any file: run as nobody then, in a folder nobody may write.
        var command = [curate, "run", "pipeline.json", "--no-report"]
        if geteuid() == 0 {
            chmod(space.folder, 0o777)
            chmod(space.path("pipeline.json"), 0o644)
            command = ["--reuid=65534", "--regid=65534", "--clear-groups"] + command
        }
        let result = try runCommand(geteuid() == 0 ? "/usr/bin/setpriv" : curate, geteuid() == 0 ? command : Array(command.dropFirst()), in: space.folder)
        #expect(result.status == 0)
        #expect(warnings(result) == ["b.jsonl: at byte 0: cannot open: Permission denied"])
        let documents = try space.store().query("""
            SELECT i.path, d.status, d.detail FROM documents d JOIN inputs i ON i.id = d.input_id ORDER BY i.path
            """)
        #expect(documents == [["a.jsonl", "kept", nil], ["b.jsonl", "error", "cannot open: Permission denied"], ["c.jsonl", "kept", nil]])
    }

    @Test func anOutputLeadingOutOfItsFolderIsRefusedUnlessAllowed() throws {
        let space = try Workspace()
        defer { space.remove() }
        let outside = try Workspace(), elsewhere = try Workspace()
        defer { outside.remove(); elsewhere.remove() }
        try space.write("in/ok.jsonl", #"{"id": "ok", "text": "fine"}"# + "\n")
        try FileManager.default.createSymbolicLink(atPath: space.path("in/link"), withDestinationPath: outside.folder)
        try space.pipeline("in/up.json", inputs: #"[{"format": "jsonl", "paths": ["ok.jsonl"]}]"#, output: "../../escaped")
        try space.pipeline("in/linked.json", inputs: #"[{"format": "jsonl", "paths": ["ok.jsonl"]}]"#, output: "link/run")
        for (pipeline, folder) in [("in/up.json", (space.folder as NSString).deletingLastPathComponent + "/escaped"), ("in/linked.json", "\(space.folder)/in/link/run (through links: \(outside.folder)/run)")] {
            let refused = try runCommand(curate, ["run", space.path(pipeline), "--no-report"], in: elsewhere.folder)
            #expect(refused.status == 2)
            #expect(refused.stderr == "error: \(space.path(pipeline)): output: the run folder \(folder) is outside both the pipeline's folder and the current directory; give it with --output, or pass --allow-output-anywhere\n")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.folder) == [])
        let allowed = try runCommand(curate, ["run", space.path("in/linked.json"), "--no-report", "--allow-output-anywhere"], in: space.folder)
        #expect(allowed.status == 0)
        #expect(FileManager.default.fileExists(atPath: outside.path("run/provenance.sqlite")))
    }
}

/// The text of each kept document of `space`'s run, by id.
func keptTexts(_ space: Workspace, run: String = "run") throws -> [String: String] {
    var texts: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: space.path(run + "/docs")).sorted() {
        let stream = try runCommand("/usr/bin/zstd", ["-dc", space.path(run + "/docs/" + name)], in: space.folder)
        for line in stream.stdout.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            texts[object["id"] as! String] = object["text"] as? String
        }
    }
    return texts
}
