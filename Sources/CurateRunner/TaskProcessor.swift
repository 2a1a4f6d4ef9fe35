import CurateCore
import CurateIO
import CurateProvenance
import Foundation

/// Streams the files of a phase's tasks, one task after another, through the stages: one
/// thread splits records, `workers` threads decode and process batches of them, and the
/// calling thread writes the results in input order, so the output does not depend on the
/// number of workers. The workers go on to the next task's batches while the last ones of a
/// task are written, so that no core waits at task boundaries. At most a fixed number of
/// batches is in flight, which bounds memory.
struct TaskProcessor: Sendable {
    /// A stage of the task's phase, at its position in the pipeline.
    struct Step: Sendable {
        let position: Int
        let name: String
        let type: String
        let stage: any Stage
    }

    /// Where the task's documents come from.
    enum Source: Sendable {
        /// Input files: every record gets a documents row.
        case inputs
        /// Parts of an earlier phase: only documents dropped here get a row, found by the
        /// input they came from (its display path) and their offset there.
        case parts(inputIDs: [String: Int64])
    }

    /// The pipeline's term-group auditor and its position, if it has one.
    struct Audit: Sendable {
        let position: Int
        let auditor: any TermGroupAuditor
    }

    /// The files of one task and the format they are read with.
    struct TaskInput: Sendable {
        let format: any InputFormat
        let files: [InputFile]
    }

    let steps: [Step]
    let audit: Audit?
    let tasks: [TaskInput]
    let source: Source
    let workers: Int
    let progress: ProgressTracker?

    /// The most records, and about the most bytes, of a batch that a worker takes. Small
    /// enough that when the last batch is being processed, the other workers, which have
    /// nothing left to do, do not wait long.
    static let batchRecords = 64
    static let batchBytes = 1 << 20

    /// What the task read and kept.
    struct Outcome {
        var docsIn = 0
        var docsKept = 0
        var stages: [StageStats]
    }

    /// A batch of raw records from one file of a task.
    private struct Job: @unchecked Sendable {
        let sequence: Int
        let task: Int
        let file: Int
        let items: [SourceItem]
    }

    /// A processed batch: output lines, provenance rows and counts.
    private struct Done: @unchecked Sendable {
        var output = JSONWriter()
        var rows: [DocumentRecord] = []
        var stages: [StageStats]
        var docsIn = 0
        var docsKept = 0
        var warnings: [String] = []
    }

    private enum Result: @unchecked Sendable {
        case batch(task: Int, Done)
        /// Every batch of the task came before.
        case taskEnd(Int)
        case end
    }

    /// Processes the tasks in order: calls `begin` with a task's index before its first
    /// batch, hands each batch's output to `write` and its rows to `record`, and calls `end`
    /// with the task's outcome after its last batch.
    func run(begin: (Int) throws -> Void, write: ([UInt8]) throws -> Void, record: ([DocumentRecord]) throws -> Void,
             end: (Int, Outcome) throws -> Void, warn: (String) -> Void) throws {
        let inFlight = max(4, workers * 3)
        let jobs = BoundedQueue<Job>(capacity: inFlight)
        let results = ReorderBuffer<Result>()
        let slots = DispatchSemaphore(value: inFlight)
        let cancelled = Locked(false)

        let reader = spawn("curate-reader") { [self] in
            var sequence = 0
            for (taskIndex, task) in tasks.enumerated() {
                if cancelled.withLock({ $0 }) { break }
                func submit(_ file: Int, _ items: [SourceItem]) -> Bool {
                    slots.wait()
                    guard !cancelled.withLock({ $0 }) else {
                        slots.signal()
                        return false
                    }
                    jobs.push(Job(sequence: sequence, task: taskIndex, file: file, items: items))
                    sequence += 1
                    return true
                }
                read(task, submit: submit)
                results.put(sequence, .taskEnd(taskIndex))
                sequence += 1
            }
            jobs.close()
            results.put(sequence, .end)
        }


        let pool = (0..<workers).map { n in
            spawn("curate-worker-\(n)") { [self] in
                while let job = jobs.pop() {
                    if cancelled.withLock({ $0 }) { continue }
                    results.put(job.sequence, .batch(task: job.task, process(job)))
                }
            }
        }

        var outcome = Outcome(stages: emptyStats())
        var begun = false
        var sequence = 0
        do {
            loop: while let result = results.take(sequence) {
                sequence += 1
                switch result {
                case let .batch(task, done):
                    if !begun { try begin(task) }
                    begun = true
                    try write(done.output.bytes)
                    try record(done.rows)
                    done.warnings.forEach(warn)
                    outcome.docsIn += done.docsIn
                    outcome.docsKept += done.docsKept
                    for i in outcome.stages.indices { outcome.stages[i].add(done.stages[i]) }
                    progress?.add(done.stages, documents: done.docsIn)
                    slots.signal()
                case let .taskEnd(task):
                    if !begun { try begin(task) }
                    try end(task, outcome)
                    outcome = Outcome(stages: emptyStats())
                    begun = false
                case .end:
                    break loop
                }
            }
        } catch {
            cancelled.withLock { $0 = true }
            jobs.close()
            results.close()
            for _ in 0..<inFlight { slots.signal() }
            reader.join()
            pool.forEach { $0.join() }
            throw error
        }
        reader.join()
        pool.forEach { $0.join() }
    }

    /// Reads the files of `task` in batches, handing each to `submit` with the file's index,
    /// until `submit` returns false.
    private func read(_ task: TaskInput, submit: (Int, [SourceItem]) -> Bool) {
        for (index, file) in task.files.enumerated() {
            var source: any RecordSource
            do throws(RecordError) {
                source = try task.format.open(file)
            } catch {
                guard submit(index, [.corrupt(offset: 0, message: error.message)]) else { return }
                addBytes(file.size)
                continue
            }
            var items: [SourceItem] = []
            var bytes = 0
            var reported: Int64 = 0
            while let item = source.next() {
                items.append(item)
                if case let .record(record) = item { bytes += record.bytes.count }
                if items.count >= Self.batchRecords || bytes >= Self.batchBytes {
                    guard submit(index, items) else { return }
                    items.removeAll(keepingCapacity: true)
                    bytes = 0
                    addBytes(source.bytesRead - reported)
                    reported = source.bytesRead
                }
            }
            if !items.isEmpty, !submit(index, items) { return }
            addBytes(file.size - reported)
        }
    }

    /// Progress counts input bytes; parts of later phases are not part of that total.
    private func addBytes(_ n: Int64) {
        if case .inputs = source { progress?.addBytes(n) }
    }

    private func emptyStats() -> [StageStats] {
        steps.map { StageStats(position: $0.position, stage: $0.name, type: $0.type, groups: audit?.auditor.groupNames.count ?? 0) }
    }

    private func process(_ job: Job) -> Done {
        let format = tasks[job.task].format
        let file = tasks[job.task].files[job.file]
        var done = Done(stages: emptyStats())
        done.output.bytes.reserveCapacity(1 << 20)
        done.rows.reserveCapacity(job.items.count)
        for item in job.items {
            switch item {
            case let .corrupt(offset, message):
                done.docsIn += 1
                guard case .inputs = source else {
                    done.warnings.append("\(file.displayPath): at byte \(offset): \(message)")
                    continue
                }
                done.rows.append(DocumentRecord(
                    inputID: file.id, offset: offset, line: nil,
                    docID: Document.derivedID(inputSHA256: file.sha256, offset: offset), url: nil, status: .error,
                    droppedBy: "reader", reason: "corrupt_input", detail: message))
                done.warnings.append("\(file.displayPath): at byte \(offset): \(message)")
            case let .record(raw):
                let decoded: Document?
                do throws(RecordError) {
                    decoded = try format.decode(raw, from: file)
                } catch {
                    done.docsIn += 1
                    guard case .inputs = source else {
                        done.warnings.append(error.message)
                        continue
                    }
                    let location = SourceRef(input: file.displayPath, offset: raw.offset, line: raw.line).location
                    done.rows.append(DocumentRecord(
                        inputID: file.id, offset: raw.offset, line: raw.line,
                        docID: Document.derivedID(inputSHA256: file.sha256, offset: raw.offset), url: nil, status: .error,
                        droppedBy: "reader", reason: "invalid_record", detail: error.message))
                    done.warnings.append("\(location): \(error.message)")
                    continue
                }
                guard var document = decoded else { continue }
                done.docsIn += 1
                let row = apply(&document, file: file, stats: &done.stages, output: &done.output)
                if row.status == .kept { done.docsKept += 1 }
                if case .inputs = source {
                    done.rows.append(row)
                } else if row.status != .kept {
                    done.rows.append(row)
                }
            }
        }
        return done
    }

    /// Runs the stages over one document; writes it out if it survives.
    private func apply(_ document: inout Document, file: InputFile, stats: inout [StageStats],
                       output: inout JSONWriter) -> DocumentRecord {
        let inputID: Int64 = switch source {
        case .inputs: file.id
        case let .parts(ids): ids[document.source.input] ?? 0
        }
        var row = DocumentRecord(inputID: inputID, offset: document.source.offset, line: document.source.line,
                                 docID: document.id, url: document.url, status: .kept, domain: document.url.flatMap(URLHost.of))
        var clock = Stopwatch()
        /// The groups the text mentions; nil until needed and after each rewrite.
        var groups: UInt64?
        for (i, step) in steps.enumerated() {
            stats[i].docsIn += 1
            var audited: UInt64 = 0
            if let audit, step.position >= audit.position {
                if groups == nil { groups = document.text.withUnsafeBufferPointer(audit.auditor.groups) }
                audited = groups!
                Self.count(audited, into: &stats[i].groupsIn)
                clock = Stopwatch()
            }
            let verdict = step.stage.process(&document)
            stats[i].seconds += clock.lap()
            switch verdict {
            case .keep:
                stats[i].docsOut += 1
            case .rewritten:
                stats[i].docsOut += 1
                stats[i].rewritten += 1
                groups = nil
            case let .drop(reason, metrics, detail):
                stats[i].drops[reason, default: 0] += 1
                Self.count(audited, into: &stats[i].groupsDropped)
                row.status = .dropped
                row.droppedBy = step.name
                row.reason = reason
                row.metrics = Self.json(metrics)
                row.detail = detail
                row.chars = document.text.withUnsafeBufferPointer(UTF8Bytes.scalarCount)
                if case let .string(language)? = document.metadata["language"] { row.language = language }
                return row
            }
        }
        if case let .string(language)? = document.metadata["language"] { row.language = language }
        row.chars = document.text.withUnsafeBufferPointer(UTF8Bytes.scalarCount)
        DocumentJSONL.append(document, to: &output)
        return row
    }

    /// Adds one to the counter of every group set in `mask`.
    private static func count(_ mask: UInt64, into counters: inout [Int]) {
        var rest = mask
        while rest != 0 {
            counters[rest.trailingZeroBitCount] += 1
            rest &= rest - 1
        }
    }

    private static func json(_ metrics: [Metric]) -> String? {
        guard !metrics.isEmpty else { return nil }
        return JSONWriter.serialize(.object(JSONObject(metrics.map { ($0.name, JSONValue.double($0.value)) })))
    }
}

/// Measures the time between successive laps on the monotonic clock.
struct Stopwatch {
    private var last = Stopwatch.now()

    /// Seconds since the previous lap (or the start).
    mutating func lap() -> Double {
        let now = Stopwatch.now()
        defer { last = now }
        return Double(now - last) / 1e9
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
