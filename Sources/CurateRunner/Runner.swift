import CurateCore
import CurateIO
import CurateProvenance
import Foundation

/// How `curate run` was asked to run.
public struct RunOptions: Sendable {
    public var pipelinePath: String
    /// Replaces the pipeline's `output`; relative to the current folder.
    public var output: String?
    /// Replaces the pipeline's `workers`; default: the number of cores.
    public var workers: Int?
    /// Discard an earlier run in the output folder instead of resuming it.
    public var restart = false
    /// Write a `documents` row per input document (off: runs, tasks and stage counts only).
    public var recordDocuments = true
    /// Draw a progress line on stderr.
    public var showProgress = false
    /// Write `report.html` into the run folder at the end.
    public var writeReport = true
    /// Let the pipeline file's `output` lead outside its folder and the current directory.
    public var allowOutputAnywhere = false

    public init(pipelinePath: String) { self.pipelinePath = pipelinePath }
}

/// Why a run did not happen or did not finish.
public enum RunError: Error, CustomStringConvertible {
    /// The pipeline file or the command line is wrong; nothing was written.
    case invalidPipeline(PipelineError)
    /// The request conflicts with the state of the output folder; nothing was written.
    case unusable(String)
    /// The run started and failed.
    case failed(String)

    public var description: String {
        switch self {
        case let .invalidPipeline(error): error.description
        case let .unusable(message), let .failed(message): message
        }
    }
}

public enum CurateVersion {
    public static let string = "0.1.0"
}

/// Runs a pipeline into its run folder, resuming an earlier interrupted run of the same
/// pipeline: complete tasks are kept, the others redone from scratch.
public enum Runner {
    /// The files a run folder holds, besides the `docs/` parts.
    static let databaseName = "provenance.sqlite"
    static let pipelineCopyName = "pipeline.json"
    static let reportName = "report.html"
    static let docsFolder = "docs"
    /// Parts of phases before the last, and the barriers' folders.
    static let workFolder = "work"

    /// Reads, checks and plans a pipeline without writing anything.
    public static func prepare(_ pipelinePath: String, registry: Registry = .standard) throws(RunError) -> (Pipeline, RunPlan, base: String) {
        let path = absolute(pipelinePath)
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path)
        } catch {
            throw .invalidPipeline(PipelineError(file: pipelinePath, problems: [PipelineProblem(path: "(file)", message: error.message)]))
        }
        let base = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        do {
            let pipeline = try PipelineDecoder(registry: registry, base: base).decode(bytes, file: pipelinePath)
            return (pipeline, try RunPlan.make(pipeline, base: base, file: pipelinePath), base)
        } catch {
            throw .invalidPipeline(error)
        }
    }

    public static func run(_ options: RunOptions, registry: Registry = .standard) throws(RunError) -> RunReport {
        let started = Stopwatch.now()
        let (pipeline, plan, base) = try prepare(options.pipelinePath, registry: registry)
        let folder = try runFolder(options, pipeline: pipeline, base: base)
        if !options.restart, PathExpansion.exists(ScaleOutPlan.path(in: folder)) {
            throw .unusable("""
                \(folder) holds a run submitted to an executor; continue it with --executor and --resume, \
                or pass --restart to discard it
                """)
        }
        let workers = options.workers ?? pipeline.workers ?? ProcessInfo.processInfo.activeProcessorCount
        let pipelineSHA = SHA256.hex(pipeline.source)

        do {
            if options.restart { try discardRun(in: folder) }
            try FileManager.default.createDirectory(atPath: folder + "/" + docsFolder, withIntermediateDirectories: true)
        } catch {
            throw .unusable("cannot prepare the output folder \(folder): \(error)")
        }

        let store: ProvenanceStore
        let runID: Int64
        let inputIDs: [Int64]
        do {
            store = try ProvenanceStore(path: folder + "/" + databaseName, recordsDocuments: options.recordDocuments)
            if let previous = try store.previousPipelineSHA256(), previous != pipelineSHA {
                throw RunError.unusable("""
                    \(folder) holds a run of a different pipeline (sha256 \(previous.prefix(12))); \
                    choose another output folder, or pass --restart to discard that run
                    """)
            }
            inputIDs = try plan.register(in: store, pipeline: pipeline)
            runID = try store.beginRun(
                pipelineName: pipeline.name, pipelineJSON: String(decoding: pipeline.source, as: UTF8.self),
                sha256: pipelineSHA, pipelineFolder: base, toolVersion: CurateVersion.string, workers: workers)
            let copy = folder + "/" + pipelineCopyName
            if !PathExpansion.exists(copy) { try DurableFile.write(pipeline.source, to: copy) }
        } catch let error as RunError {
            throw error
        } catch let error as PlanMismatch {
            throw .unusable("\(error.message); pass --restart to discard the earlier run")
        } catch {
            throw .unusable("\(error)")
        }

        let progress = ProgressTracker(totalBytes: plan.totalBytes, totalTasks: plan.tasks.count)
        if options.showProgress { progress.startDrawing() }
        defer { progress.finish() }
        var tasksRun = 0
        do {
            let execution = PhaseExecution(
                pipeline: pipeline, plan: plan, folder: folder, inputIDs: inputIDs, workers: workers, store: store,
                run: runID, progress: progress)
            tasksRun = try execution.runAll()
            try store.finishRun(runID, succeeded: true)
            if options.writeReport {
                try ReportWriter.write(runFolder: folder, store: store, pipeline: (pipeline, base), to: folder + "/" + reportName)
            }
            let summary = try store.summary()
            var report = RunReport(
                pipelineName: pipeline.name, outputFolder: folder, inputs: plan.inputs.count, tasks: plan.tasks.count,
                tasksRun: tasksRun, workers: workers, seconds: Double(Stopwatch.now() - started) / 1e9, summary: summary)
            report.shards = try store.shardRecords()
            return report
        } catch {
            try? store.finishRun(runID, succeeded: false)
            throw .failed("\(error)")
        }
    }

    /// The run folder `options` and the pipeline ask for, checked against the output policy.
    static func runFolder(_ options: RunOptions, pipeline: Pipeline, base: String) throws(RunError) -> String {
        guard let outputSetting = options.output.map(absolute) ?? pipeline.output.map({ PathExpansion.join(base, $0) }) else {
            throw .invalidPipeline(PipelineError(file: options.pipelinePath, problems: [
                PipelineProblem(path: "output", message: "missing: give the run folder in pipeline.json or with --output"),
            ]))
        }
        let folder = PathExpansion.normalized(outputSetting)
        if options.output == nil, !options.allowOutputAnywhere,
           let problem = OutputPolicy.problem(folder, pipelineFolder: base, workingDirectory: FileManager.default.currentDirectoryPath) {
            throw .invalidPipeline(PipelineError(file: options.pipelinePath, problems: [PipelineProblem(path: "output", message: problem)]))
        }
        return folder
    }

    /// Removes what an earlier run left in `folder`: only the files curate writes there.
    static func discardRun(in folder: String) throws {
        let manager = FileManager.default
        for name in [databaseName, databaseName + "-wal", databaseName + "-shm", pipelineCopyName, reportName, docsFolder, workFolder,
                     ScaleOutPlan.fileName, TaskFiles.folderName, SlurmExecutor.folderName]
        where PathExpansion.exists(folder + "/" + name) {
            try manager.removeItem(atPath: folder + "/" + name)
        }
    }

    static func removeTemporaryFiles(in folder: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }

    static func absolute(_ path: String) -> String {
        PathExpansion.normalized(path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path)
    }

    private static func readWholeFile(_ path: String) throws(IOError) -> [UInt8] {
        let file = try FileReader(path: path)
        var bytes: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = try file.read(into: chunk)
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<n])
        }
    }
}
