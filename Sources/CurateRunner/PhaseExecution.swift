import CurateCore
import CurateIO
import CurateProvenance
import Foundation

/// Runs the phases of a plan in order, skipping tasks an earlier attempt completed. Once a
/// task of some phase has to run, every task of the later phases runs again too, since
/// its input changed.
struct PhaseExecution {
    let pipeline: Pipeline
    let plan: RunPlan
    let folder: String
    let inputIDs: [Int64]
    let workers: Int
    let store: ProvenanceStore
    let run: Int64
    let progress: ProgressTracker

    /// Whether `store` is one task's own database (scale-out): no earlier phase's rows are
    /// there to update, so a later phase inserts the rows of the documents it drops, and the
    /// merge applies them to the run's database as updates.
    var ownDatabase = false

    /// Runs what is left to run; returns how many tasks ran.
    func runAll() throws -> Int {
        let done = try store.doneTasks()
        var redo = false
        var tasksRun = 0
        /// The stages barriers hand to the phase after them, by pipeline position.
        var barrierStage: (any Stage)?
        for (index, phase) in plan.phases.enumerated() {
            switch phase {
            case .stream:
                let steps = try prepareStream(index, barrierStage: barrierStage)
                let tasks = plan.tasks(of: index)
                var first = 0
                while !redo, first < tasks.count, let finished = done[tasks[first].id],
                      finished.output == partName(phase: index, first),
                      (try? SHA256.hex(ofFile: folder + "/" + finished.output)) == finished.sha256 {
                    progress.startTask(Int(tasks[first].id))
                    if index == 0 { progress.addBytes(inputFiles(tasks[first]).reduce(0) { $0 + $1.size }) }
                    first += 1
                }
                if first < tasks.count {
                    redo = true
                    try runStreamingTasks(phase: index, Array(first..<tasks.count), steps: steps)
                    tasksRun += tasks.count - first
                }
            case let .barrier(position):
                let task = plan.tasks(of: index)[0]
                progress.startTask(Int(task.id))
                if redo || !isResolved(done[task.id], marker: markerPath(position)) {
                    redo = true
                    try resolveBarrier(phase: index)
                    tasksRun += 1
                }
                barrierStage = try loadBarrier(phase: index)
            }
        }
        return tasksRun
    }

    /// The folder of a streaming phase's parts, relative to the run folder: the run's
    /// `docs/` for the last phase.
    func partFolder(_ phase: Int) -> String {
        phase == plan.phases.count - 1 ? Runner.docsFolder : "\(Runner.workFolder)/phase-\(phase)"
    }

    /// The part that task number `n` of a streaming phase writes, relative to the run folder.
    func partName(phase: Int, _ n: Int) -> String {
        "\(partFolder(phase))/part-\(String(format: "%05d", n)).jsonl.zst"
    }

    /// The parts of a streaming phase, in plan order.
    func parts(of phase: Int) -> [String] {
        plan.tasks(of: phase).indices.map { partName(phase: phase, $0) }
    }

    /// Creates a streaming phase's part folder and returns its steps; `barrierStage` is what
    /// the barrier before it loaded. Temporary files that interrupted tasks left are removed
    /// unless other tasks may be writing theirs there at the same time (a task's own are
    /// truncated when it starts again).
    func prepareStream(_ phase: Int, barrierStage: (any Stage)?) throws -> [TaskProcessor.Step] {
        guard case let .stream(range) = plan.phases[phase] else { preconditionFailure("phase \(phase) does not stream") }
        let partFolder = folder + "/" + partFolder(phase)
        try FileManager.default.createDirectory(atPath: partFolder, withIntermediateDirectories: true)
        if !ownDatabase { Runner.removeTemporaryFiles(in: partFolder) }
        return range.map { position in
            let step = pipeline.steps[position]
            return TaskProcessor.Step(
                position: position, name: step.name, type: step.definition.type,
                stage: step.body.streaming ?? barrierStage!)
        }
    }

    /// Runs tasks number `ns` of a streaming phase from scratch, in order.
    func runStreamingTasks(phase: Int, _ ns: [Int], steps: [TaskProcessor.Step]) throws {
        let tasks = plan.tasks(of: phase)
        let inputs = try ns.map { n in
            let task = tasks[n]
            return TaskProcessor.TaskInput(
                format: phase == 0 ? pipeline.inputs[plan.inputs[task.inputs[0]].spec].reader : PartFormat(),
                files: phase == 0 ? inputFiles(task) : [try partFile(partName(phase: phase - 2, n))])
        }
        let source: TaskProcessor.Source = phase == 0 ? .inputs : .parts(inputIDs: displayPathIDs)
        try runStreamingTasks(ns.map { tasks[$0] }, inputs: inputs, names: ns.map { partName(phase: phase, $0) }, source: source,
                              steps: steps)
    }

    /// Resolves the barrier that is phase `phase`, from scratch: in an emptied folder through
    /// the barrier's `resolve`, or through `body` in the folder as earlier tasks left it
    /// (when an executor ran the first steps of the barrier as tasks of their own).
    func resolveBarrier(phase: Int, body: ((BarrierContext) throws -> Void)? = nil) throws {
        guard case let .barrier(position) = plan.phases[phase],
              case let .barrier(barrier) = pipeline.steps[position].body else { preconditionFailure("phase \(phase) is not a barrier") }
        let task = plan.tasks(of: phase)[0]
        try resolve(task: task.id, position: position, context: barrierContext(phase: phase), emptying: body == nil,
                    body: body ?? barrier.resolve)
    }

    /// What the barrier that is phase `phase` sees.
    func barrierContext(phase: Int) -> BarrierContext {
        guard case let .barrier(position) = plan.phases[phase] else { preconditionFailure("phase \(phase) is not a barrier") }
        return barrierContext(pipeline.steps[position].name, parts: parts(of: phase - 1), task: plan.tasks(of: phase)[0].id)
    }

    /// The stage that the barrier of phase `phase` hands to the phase after it.
    func loadBarrier(phase: Int) throws -> any Stage {
        guard case let .barrier(position) = plan.phases[phase],
              case let .barrier(barrier) = pipeline.steps[position].body else { preconditionFailure("phase \(phase) is not a barrier") }
        return try barrier.load(barrierContext(phase: phase))
    }

    /// The marker the barrier that is phase `phase` leaves, relative to the run folder.
    func barrierMarker(phase: Int) -> String {
        guard case let .barrier(position) = plan.phases[phase] else { preconditionFailure("phase \(phase) is not a barrier") }
        return markerPath(position)
    }

    /// The marker a resolved barrier leaves, relative to the run folder.
    func markerPath(_ position: Int) -> String {
        "\(Runner.workFolder)/\(pipeline.steps[position].name)/\(Self.markerName)"
    }

    /// The first term-group auditor among the pipeline's streaming stages.
    private var audit: TaskProcessor.Audit? {
        for (position, step) in pipeline.steps.enumerated() {
            if let auditor = step.body.streaming as? any TermGroupAuditor {
                return TaskProcessor.Audit(position: position, auditor: auditor)
            }
        }
        return nil
    }

    /// Written into a barrier's folder after it resolved: its files and their sizes.
    static let markerName = ".resolved"

    private var displayPathIDs: [String: Int64] {
        Dictionary(uniqueKeysWithValues: plan.inputs.indices.map { (plan.inputs[$0].displayPath, inputIDs[$0]) })
    }

    private func inputFiles(_ task: RunPlan.Task) -> [InputFile] {
        task.inputs.map { i in
            let input = plan.inputs[i]
            return InputFile(id: inputIDs[i], displayPath: input.displayPath, path: input.path, size: input.size, sha256: input.sha256)
        }
    }

    private func partFile(_ name: String) throws -> InputFile {
        let path = folder + "/" + name
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        return InputFile(id: 0, displayPath: name, path: path, size: size, sha256: "")
    }

    /// Runs `tasks`, reading `inputs` and writing the parts named `names`, as one stream.
    private func runStreamingTasks(
        _ tasks: [RunPlan.Task], inputs: [TaskProcessor.TaskInput], names: [String], source: TaskProcessor.Source,
        steps: [TaskProcessor.Step]
    ) throws {
        /// The task the store has begun and not completed, by index: it is marked failed if
        /// anything fails, even opening its part.
        var begun: Int?
        /// The task whose part is open: when it started, the part, its warnings.
        var current: (started: UInt64, writer: ZstdFileWriter, warnings: Int)?
        let processor = TaskProcessor(steps: steps, audit: audit, tasks: inputs, source: source, workers: workers, progress: progress)
        do {
            try processor.run(
                begin: { index in
                    let task = tasks[index]
                    progress.startTask(Int(task.id))
                    let started = Stopwatch.now()
                    if case .parts = source, !ownDatabase {
                        try store.beginTask(task.id, run: run, kind: .continuing)
                    } else {
                        try store.beginTask(task.id, run: run, kind: .reading)
                    }
                    begun = index
                    current = (started, try ZstdFileWriter(path: folder + "/" + names[index]), 0)
                },
                write: { try current!.writer.write($0) },
                record: { try store.record($0, task: tasks[begun!].id) },
                end: { index, outcome in
                    let task = tasks[index]
                    if current!.warnings > 20 {
                        FileHandle.standardError.write(Data(
                            "warning: \(current!.warnings - 20) more unreadable records in task \(task.id); see the documents table\n".utf8))
                    }
                    let sha = try current!.writer.commit()
                    try store.completeTask(task.id, TaskCompletion(
                        docsIn: outcome.docsIn, docsKept: outcome.docsKept, seconds: Double(Stopwatch.now() - current!.started) / 1e9,
                        output: names[index], outputSHA256: sha, stages: outcome.stages, groupNames: audit?.auditor.groupNames ?? []))
                    current = nil
                    begun = nil
                },
                warn: { message in
                    current!.warnings += 1
                    if current!.warnings <= 20 { FileHandle.standardError.write(Data("warning: \(message)\n".utf8)) }
                })
        } catch {
            if let begun { try? store.failTask(tasks[begun].id, message: "\(error)") }
            throw error
        }
    }

    private func barrierContext(_ stepName: String, parts: [String], task: Int64) -> BarrierContext {
        let paths = parts.map { folder + "/" + $0 }
        let store = store
        return BarrierContext(
            stepName: stepName, folder: folder + "/\(Runner.workFolder)/" + stepName, runFolder: folder, parts: paths,
            workers: workers,
            forEachDocument: { index, body in try PartFormat.forEachDocument(in: paths[index], body) },
            recordClusters: { members in try store.recordClusters(members, task: task, stage: stepName) },
            recordTokenizer: { tokenizer in try store.recordTokenizer(tokenizer, task: task, stage: stepName) },
            recordShards: { [displayPathIDs] shards, spans in
                try store.recordShards(shards, spans: spans, inputIDs: displayPathIDs, task: task)
            })
    }

    /// Whether the barrier's results from an earlier attempt are complete and unchanged.
    private func isResolved(_ finished: (output: String, sha256: String)?, marker: String) -> Bool {
        guard let finished, finished.output == marker,
              (try? SHA256.hex(ofFile: folder + "/" + marker)) == finished.sha256 else { return false }
        let listing = try? String(contentsOfFile: folder + "/" + marker, encoding: .utf8)
        return listing == (try? Self.listing(of: (folder + "/" + marker as NSString).deletingLastPathComponent))
    }

    private func resolve(task: Int64, position: Int, context: BarrierContext, emptying: Bool,
                         body: (BarrierContext) throws -> Void) throws {
        let started = Stopwatch.now()
        let step = pipeline.steps[position]
        let marker = markerPath(position)
        try store.beginTask(task, run: run, kind: .barrier(stage: step.name))
        do {
            let manager = FileManager.default
            if emptying, manager.fileExists(atPath: context.folder) { try manager.removeItem(atPath: context.folder) }
            try manager.createDirectory(atPath: context.folder, withIntermediateDirectories: true)
            try body(context)
            let listing = try Self.listing(of: context.folder)
            try DurableFile.write(Array(listing.utf8), to: folder + "/" + marker)
            let seconds = Double(Stopwatch.now() - started) / 1e9
            // The barrier's time counts toward its stage; its documents are counted by the phase after it.
            var stats = StageStats(position: position, stage: step.name, type: step.definition.type)
            stats.seconds = seconds
            try store.completeTask(task, TaskCompletion(
                docsIn: 0, docsKept: 0, seconds: seconds, output: marker, outputSHA256: SHA256.hex(Array(listing.utf8)),
                stages: [stats]))
        } catch {
            try? store.failTask(task, message: "\(error)")
            throw error
        }
    }

    /// The files of a barrier's folder (not the marker) with their sizes, one per line, sorted.
    private static func listing(of folder: String) throws -> String {
        let manager = FileManager.default
        var lines: [String] = []
        for name in try manager.subpathsOfDirectory(atPath: folder).sorted() where name != markerName {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            let size = (try manager.attributesOfItem(atPath: folder + "/" + name)[.size] as? NSNumber)?.int64Value ?? 0
            lines.append("\(name) \(size)")
        }
        return lines.map { $0 + "\n" }.joined()
    }
}
