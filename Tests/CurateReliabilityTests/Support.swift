import CurateProvenance
import Foundation

/// The repository's root folder.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The `curate` binary built beside this test bundle.
let curate: String = {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("curate").path
    return FileManager.default.isExecutableFile(atPath: beside) ? beside : root + "/.build/debug/curate"
}()

/// What a finished command printed and returned.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs `executable` with `arguments` to completion in `folder`; its output goes through files,
/// so that neither stream can fill up and block it.
func runCommand(_ executable: String, _ arguments: [String], in folder: String) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    let base = NSTemporaryDirectory() + "curate-output-\(UUID().uuidString)"
    FileManager.default.createFile(atPath: base + ".out", contents: nil)
    FileManager.default.createFile(atPath: base + ".err", contents: nil)
    defer { for end in [".out", ".err"] { try? FileManager.default.removeItem(atPath: base + end) } }
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".err"))
    try process.run()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus,
                         stdout: String(decoding: try Data(contentsOf: URL(fileURLWithPath: base + ".out")), as: UTF8.self),
                         stderr: String(decoding: try Data(contentsOf: URL(fileURLWithPath: base + ".err")), as: UTF8.self))
}

/// A scratch folder for inputs, pipelines and runs, removed by `remove`.
struct Workspace {
    let folder = NSTemporaryDirectory() + "curate-reliability-\(UUID().uuidString)"

    init() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { folder + "/" + name }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: path(name))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    func write(_ name: String, _ text: String) throws { try write(name, Array(text.utf8)) }

    /// Writes `pipeline.json` (or `name`) with these inputs and stages, output `run`.
    @discardableResult
    func pipeline(_ name: String = "pipeline.json", inputs: String, stages: String = "[]", output: String = "run") throws -> String {
        try write(name, #"{"name": "hostile", "inputs": \#(inputs), "stages": \#(stages), "output": "\#(output)"}"#)
        return path(name)
    }

    /// `curate ARGUMENTS`, run in this folder.
    func curate(_ arguments: [String]) throws -> CommandResult {
        try runCommand(CurateReliabilityTests.curate, arguments, in: folder)
    }

    func store(_ run: String = "run") throws -> ProvenanceStore { try ProvenanceStore(path: path(run + "/provenance.sqlite")) }

    /// The `documents` rows of unreadable records: input path, offset, reason and detail.
    func errors(_ run: String = "run") throws -> [[String?]] {
        try store(run).query("""
            SELECT i.path, d.offset, d.reason, d.detail FROM documents d JOIN inputs i ON i.id = d.input_id
            WHERE d.status = 'error' ORDER BY i.path, d.offset
            """)
    }

    /// Every `documents` row as (input path, doc id, status, reason), in input and offset order.
    func documents(_ run: String = "run") throws -> [[String?]] {
        try store(run).query("""
            SELECT i.path, d.doc_id, d.status, d.reason FROM documents d JOIN inputs i ON i.id = d.input_id
            ORDER BY i.path, d.offset
            """)
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }
}

/// The `warning:` lines a run printed on stderr.
func warnings(_ result: CommandResult) -> [String] {
    result.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ") }.map { String($0.dropFirst(9)) }
}

/// Compresses `bytes` with a command-line tool (`gzip`, `bzip2`, `zstd`) reading stdin.
func compress(_ bytes: [UInt8], with tool: String, _ arguments: [String] = ["-c"]) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
    process.arguments = arguments
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    let data = Data(bytes), handle = input.fileHandleForWriting
    let writer = Thread {
        handle.write(data)
        try? handle.close()
    }
    writer.start()
    let compressed = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Array(compressed)
}

/// One WARC record with `block` as its content, CRLF line ends; `contentLength` may lie.
func warcRecord(type: String = "resource", id: String, uri: String, contentType: String = "text/plain",
                block: [UInt8], contentLength: Int? = nil) -> [UInt8] {
    let header = "WARC/1.0\r\nWARC-Type: \(type)\r\nWARC-Record-ID: <urn:uuid:\(id)>\r\nWARC-Target-URI: \(uri)\r\n"
        + "WARC-Date: 2024-05-01T00:00:00Z\r\nContent-Type: \(contentType)\r\nContent-Length: \(contentLength ?? block.count)\r\n\r\n"
    return Array(header.utf8) + block + Array("\r\n\r\n".utf8)
}

/// An HTTP response record's block: status line, headers and `body`.
func httpBlock(_ body: [UInt8], headers: [String] = ["Content-Type: text/html; charset=utf-8"]) -> [UInt8] {
    Array(("HTTP/1.1 200 OK\r\n" + headers.map { $0 + "\r\n" }.joined() + "Content-Length: \(body.count)\r\n\r\n").utf8) + body
}
