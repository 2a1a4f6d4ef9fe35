import CurateDedup
import CurateIO
import Foundation

/// The files one executor task leaves in `RUN/tasks/phase-P/`: its provenance database, its
/// completion marker (written last, a `sha256sum` listing of what the task wrote, its
/// database included) and, when it failed, a file with the error.
public struct TaskFiles: Sendable {
    static let folderName = "tasks"

    public let folder: String
    public let phase: Int
    public let task: Int

    public init(folder: String, phase: Int, task: Int) {
        self.folder = folder
        self.phase = phase
        self.task = task
    }

    /// `RUN/tasks/phase-P`.
    public var phaseFolder: String { "\(folder)/\(Self.folderName)/phase-\(phase)" }
    var stem: String { "\(phaseFolder)/task-\(String(format: "%05d", task))" }
    var counts: String { stem + ".counts" }
    public var database: String { stem + ".sqlite" }
    public var marker: String { stem + ".done" }
    public var failure: String { stem + ".failed" }
    /// `HOST PID` of the process running the task, while it runs.
    public var running: String { stem + ".running" }
    /// `database`, relative to the run folder.
    var databaseName: String { relativeStem + ".sqlite" }
    /// What a task of a MinHash barrier's first steps counted, relative to the run folder.
    var countsName: String { relativeStem + ".counts" }
    private var relativeStem: String { "\(Self.folderName)/phase-\(phase)/task-\(String(format: "%05d", task))" }
    /// Where the local executor sends the task's stdout and stderr.
    public var log: String { stem + ".log" }

    public var isDone: Bool { PathExpansion.exists(marker) }
    public var failureMessage: String? {
        FileManager.default.contents(atPath: failure).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether a process on this machine is running the task now (a process elsewhere cannot
    /// be checked; Slurm's queue tells about those).
    var isRunningHere: Bool {
        guard let text = try? String(contentsOfFile: running, encoding: .utf8) else { return false }
        let fields = text.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard fields.count == 2, fields[0] == ProcessInfo.processInfo.hostName, let pid = Int32(fields[1]) else { return false }
        return kill(pid, 0) == 0
    }

    /// Records that this process runs the task.
    func markRunning() throws {
        try DurableFile.write(Array("\(ProcessInfo.processInfo.hostName) \(getpid())\n".utf8), to: running)
    }

    /// Whether the task completed and what it wrote is still there, unchanged.
    var isCompleteAndIntact: Bool {
        guard let listing = try? String(contentsOfFile: marker, encoding: .utf8) else { return false }
        for line in listing.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, (try? SHA256.hex(ofFile: folder + "/" + fields[2])) == String(fields[0]) else { return false }
        }
        return true
    }

    /// Records the files the task wrote (relative to the run folder) with their sha256,
    /// in the format of `sha256sum`, which marks the task done.
    func markDone(outputs: [String]) throws {
        var listing = ""
        for name in outputs { listing += "\(try SHA256.hex(ofFile: folder + "/" + name))  \(name)\n" }
        try DurableFile.write(Array(listing.utf8), to: marker)
    }

    func markFailed(_ message: String) {
        try? DurableFile.write(Array((message.hasSuffix("\n") ? message : message + "\n").utf8), to: failure)
    }

    /// Writes the documents, documents without shingles and spilled sort runs a MinHash
    /// step counted, one `name value` line each.
    func writeCounts(_ stats: DedupStats) throws {
        let text = "documents \(stats.documents)\nwithout_shingles \(stats.documentsWithoutShingles)\nspilled_runs \(stats.spilledRuns)\n"
        try DurableFile.write(Array(text.utf8), to: counts)
    }

    func readCounts() throws -> DedupStats {
        guard let text = try? String(contentsOfFile: counts, encoding: .utf8) else {
            throw RunError.unusable("\(counts) is missing: its task has not finished")
        }
        var values: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, let value = Int(fields[1]) { values[String(fields[0])] = value }
        }
        guard let documents = values["documents"], let withoutShingles = values["without_shingles"],
              let spilled = values["spilled_runs"] else { throw RunError.unusable("\(counts): not counts curate wrote") }
        var stats = DedupStats()
        stats.documents = documents
        stats.documentsWithoutShingles = withoutShingles
        stats.spilledRuns = spilled
        return stats
    }

    /// Removes everything an earlier attempt left, the marker included.
    func reset() throws {
        for path in [marker, failure, running, counts, database, database + "-wal", database + "-shm", database + "-journal"]
        where PathExpansion.exists(path) {
            try FileManager.default.removeItem(atPath: path)
        }
    }
}
