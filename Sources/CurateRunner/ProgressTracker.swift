import CurateProvenance
import Foundation

/// Live counters of a run, drawn as one status line on stderr a few times a second:
/// input MB/s with an ETA from input bytes, and documents per second for each stage.
final class ProgressTracker: @unchecked Sendable {
    private struct State {
        var bytes: Int64 = 0
        var documents = 0
        /// By pipeline position.
        var stages: [Int: StageStats] = [:]
        var task = 0
    }

    private let state = Locked(State())
    private let totalBytes: Int64
    private let totalTasks: Int
    private let start = Stopwatch.now()
    private let stop = Locked(false)
    private var drawer: ThreadHandle?

    init(totalBytes: Int64, totalTasks: Int) {
        self.totalBytes = max(1, totalBytes)
        self.totalTasks = totalTasks
    }

    func addBytes(_ n: Int64) { state.withLock { $0.bytes += n } }

    func add(_ stages: [StageStats], documents: Int) {
        state.withLock { state in
            state.documents += documents
            for stage in stages {
                if state.stages[stage.position] == nil { state.stages[stage.position] = stage } else {
                    state.stages[stage.position]!.add(stage)
                }
            }
        }
    }

    func startTask(_ index: Int) { state.withLock { $0.task = index } }

    /// Starts redrawing the status line until `finish`.
    func startDrawing() {
        drawer = spawn("curate-progress") { [self] in
            while !stop.withLock({ $0 }) {
                FileHandle.standardError.write(Data(("\r" + line() + "\u{1B}[K").utf8))
                usleep(250_000)
            }
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        }
    }

    func finish() {
        stop.withLock { $0 = true }
        drawer?.join()
    }

    private func line() -> String {
        let s = state.withLock { $0 }
        let elapsed = max(1e-3, Double(Stopwatch.now() - start) / 1e9)
        let fraction = min(1, Double(s.bytes) / Double(totalBytes))
        let rate = Double(s.bytes) / elapsed
        let eta = rate > 0 ? Double(totalBytes - s.bytes) / rate : 0
        var parts = [
            "task \(s.task + 1)/\(totalTasks)",
            String(format: "%3.0f%%", fraction * 100),
            String(format: "%.1f MB/s", rate / 1e6),
            "\(Format.count(Int(Double(s.documents) / elapsed))) docs/s",
            "ETA \(Format.duration(eta))",
        ]
        for stage in s.stages.values.sorted(by: { $0.position < $1.position }) where stage.seconds > 0 {
            parts.append("\(stage.stage) \(Format.count(Int(Double(stage.docsIn) / stage.seconds)))/s")
        }
        return parts.joined(separator: " · ")
    }
}

/// Number and time formatting for terminal output.
enum Format {
    /// `1234567` as `1,234,567`.
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Seconds as `m:ss` or `h:mm:ss`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }
}
