import Foundation

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The `curate` binary built beside this test bundle.
let curate: String = {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("curate").path
    return FileManager.default.isExecutableFile(atPath: beside) ? beside : root + "/.build/debug/curate"
}()

struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs curate to completion with `arguments`, from the repository's root, with `environment`
/// added to this process's.
func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
    let process = try start(arguments, environment: environment)
    let out = process.standardOutput as! Pipe
    let err = process.standardError as! Pipe
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                  stderr: String(decoding: stderr, as: UTF8.self))
}

func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: curate)
    process.arguments = arguments
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    process.currentDirectoryURL = URL(fileURLWithPath: root)
    process.standardOutput = Pipe()
    process.standardError = Pipe()
    try process.run()
    return process
}

func scratch() -> String { NSTemporaryDirectory() + "curate-cli-\(UUID().uuidString)" }

func files(in folder: String) throws -> [String: Data] {
    var out: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
        out[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
    }
    return out
}
