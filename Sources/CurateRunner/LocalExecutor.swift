import Foundation

/// Runs executor tasks as `curate task` child processes on this machine, a fixed number at
/// a time; each child's output goes to its task's log file.
struct LocalExecutor {
    /// The curate binary.
    let executable: String
    let folder: String
    /// Children running at once.
    let processes: Int

    struct Failure: Sendable {
        let task: Int
        let message: String
    }

    /// Runs `tasks` of `phase`, each with `threads` worker threads; returns those that failed.
    func run(phase: Int, tasks: [Int], threads: Int) -> [Failure] {
        let slots = DispatchSemaphore(value: max(1, processes))
        let group = DispatchGroup()
        let failures = Locked<[Failure]>([])
        for task in tasks {
            slots.wait()
            group.enter()
            let files = TaskFiles(folder: folder, phase: phase, task: task)
            let finish: @Sendable (String?) -> Void = { message in
                if let message { failures.withLock { $0.append(Failure(task: task, message: message)) } }
                slots.signal()
                group.leave()
            }
            do {
                try FileManager.default.createDirectory(atPath: files.phaseFolder, withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: files.log, contents: nil) else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: files.log])
                }
                let log = try FileHandle(forWritingTo: URL(fileURLWithPath: files.log))
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = ["task", folder, "--phase", String(phase), "--task", String(task), "--workers", String(threads)]
                process.standardInput = FileHandle.nullDevice
                process.standardOutput = log
                process.standardError = log
                process.terminationHandler = { child in
                    try? log.close()
                    let status = child.terminationStatus
                    let failed = child.terminationReason == .uncaughtSignal || status != 0
                    finish(failed ? files.failureMessage?.trimmingCharacters(in: .newlines)
                        ?? "\(child.terminationReason == .uncaughtSignal ? "killed by signal" : "exited with status") \(status); see \(files.log)"
                        : nil)
                }
                try process.run()
            } catch {
                finish("cannot start \(executable): \(error)")
            }
        }
        group.wait()
        return failures.withLock { $0 }.sorted { $0.task < $1.task }
    }
}
