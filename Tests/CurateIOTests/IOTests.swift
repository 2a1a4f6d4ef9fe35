import CurateIO
import Foundation
import Testing

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/io").path

private func readAll(_ stream: any ByteStream) throws -> [UInt8] {
    var out: [UInt8] = []
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 7, alignment: 1)  // tiny, to cross member boundaries
    defer { buffer.deallocate() }
    while true {
        let n = try stream.read(into: buffer)
        if n == 0 { return out }
        out += buffer[..<n]
    }
}

@Suite struct DecompressionTests {
    let plain = try! Array(Data(contentsOf: URL(fileURLWithPath: fixtures + "/lines.txt")))

    @Test(arguments: ["lines.txt", "lines.txt.gz", "lines.txt.zst", "lines.txt.bz2", "lines.txt.xz"])
    func decodesEveryCompressionToTheSameBytes(name: String) throws {
        let stream = try openDecompressed(fixtures + "/" + name)
        #expect(try readAll(stream) == plain)
        #expect(stream.bytesRead == Int64(try FileManager.default.attributesOfItem(atPath: fixtures + "/" + name)[.size] as! Int))
    }

    @Test func gzipInflatedOnHelperThreadsGivesTheSameBytesAndErrors() throws {
        #expect(try readAll(try openDecompressed(fixtures + "/lines.txt.gz", threads: 3)) == plain)
        let path = fixtures + "/truncated.txt.gz"
        let size = Int64(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int)
        #expect(throws: IOError(path: path, offset: size, "truncated gzip stream: the file ends inside compressed data")) {
            _ = try readAll(try openDecompressed(path, threads: 3))
        }
    }

    @Test(arguments: [("truncated.txt.gz", "gzip"), ("truncated.txt.zst", "zstd"), ("truncated.txt.bz2", "bzip2"), ("truncated.txt.xz", "xz")])
    func truncatedFilesFailWithFileAndOffset(name: String, format: String) throws {
        let path = fixtures + "/" + name
        let size = Int64(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int)
        #expect(throws: IOError(path: path, offset: size, "truncated \(format) stream: the file ends inside compressed data")) {
            _ = try readAll(try openDecompressed(path))
        }
    }

    @Test func detectsCompressionByMagicBytes() {
        #expect(Compression.detect([0x1F, 0x8B, 8, 0]) == .gzip)
        #expect(Compression.detect([0x28, 0xB5, 0x2F, 0xFD]) == .zstd)
        #expect(Compression.detect(Array("BZh9".utf8)) == .bzip2)
        #expect(Compression.detect([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) == .xz)
        #expect(Compression.detect(Array("{\"a".utf8)) == .none)
    }

    @Test func aFolderIsNotAFile() {
        #expect(throws: IOError(path: fixtures, "is a folder, expected a file")) { _ = try openDecompressed(fixtures) }
    }
}

@Suite struct LineReaderTests {
    @Test func splitsLinesWithOffsetsAcrossChunks() throws {
        let reader = LineReader(try openDecompressed(fixtures + "/lines.txt.gz"), chunkSize: 16)
        var lines: [LineReader.Line] = []
        while let line = try reader.next() { lines.append(line) }
        #expect(lines.map(\.number) == [1, 2, 3])
        #expect(lines.map(\.offset) == [0, 19, 20])
        #expect(String(decoding: lines[0].bytes, as: UTF8.self) == "Fellow-Countrymen:")
        #expect(lines[1].bytes.isEmpty)
        #expect(lines[2].bytes.count == 749)
    }
}

@Suite struct WriterTests {
    @Test func zstdFileIsPublishedWholeAndReadsBack() throws {
        let folder = NSTemporaryDirectory() + "curate-io-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/out.jsonl.zst"
        let writer = try ZstdFileWriter(path: path)
        try writer.write(Array("first\n".utf8))
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(FileManager.default.fileExists(atPath: folder + "/.out.jsonl.zst.tmp"))
        try writer.write(Array("second\n".utf8))
        let sha = try writer.commit()
        #expect(try readAll(try openDecompressed(path)) == Array("first\nsecond\n".utf8))
        #expect(sha == (try SHA256.hex(ofFile: path)))
        #expect(!FileManager.default.fileExists(atPath: folder + "/.out.jsonl.zst.tmp"))
    }

    @Test func sha256MatchesTheStandardVector() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

@Suite struct PathExpansionTests {
    @Test func expandsGlobsFoldersAndDoubleStars() throws {
        let base = NSTemporaryDirectory() + "curate-glob-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: base) }
        for file in ["a/1.jsonl", "a/2.jsonl.zst", "a/skip.txt", "a/b/3.jsonl", "a/.hidden.jsonl", "c/4.jsonl"] {
            try FileManager.default.createDirectory(atPath: base + "/" + (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: base + "/" + file, contents: Data())
        }
        let ext = [".jsonl", ".jsonl.zst"]
        func names(_ pattern: String) throws -> [String] {
            try PathExpansion.expand(pattern, base: base, folderExtensions: ext).map { PathExpansion.display($0, relativeTo: base) }
        }
        #expect(try names("a/*.jsonl") == ["a/1.jsonl"])
        #expect(try names("a") == ["a/1.jsonl", "a/2.jsonl.zst", "a/b/3.jsonl"])
        #expect(try names("**/*.jsonl") == ["a/1.jsonl", "a/b/3.jsonl", "c/4.jsonl"])
        #expect(try names("./c/../a/?.jsonl*") == ["a/1.jsonl", "a/2.jsonl.zst"])
        #expect(try names("missing/*.jsonl").isEmpty)
        #expect(PathExpansion.display("/x/samples/a.txt", relativeTo: "/x/pipelines") == "../samples/a.txt")
    }
}
