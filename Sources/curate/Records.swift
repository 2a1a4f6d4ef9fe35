import ArgumentParser
import CurateCore
import CurateIngest
import CurateRunner
import Foundation

struct Records: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read files with an input format and count their records, documents and problems.",
        discussion: """
            Decodes every record without running stages: a quick look at what a dump holds, and the reader \
            benchmark. With two or more threads, one splits records off the files while the others decode them, \
            as `curate run` does. For WARC input every thread inflates gzip members, the reading thread \
            splits, and only threads beyond the second decode.
            """)

    @Option(name: .shortAndLong, help: "The input format (see `curate stages`).")
    var format: String

    @Argument(help: "Files to read.", completion: .file())
    var files: [String]

    @Option(help: "Threads: 1 splits and decodes on one thread. Default: the number of cores.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print the counts as JSON.")
    var json = false

    func run() throws {
        guard let definition = Registry.standard.inputFormat(format) else {
            throw ValidationError("unknown input format \"\(format)\"" + Suggestion.didYouMean(format, among: Registry.standard.inputFormats.map(\.format)))
        }
        var reader = try definition.make(.defaults(definition.parameters))
        var scanThreads = max(1, threads)
        if let warc = reader as? WARCFormat, threads > 1 {
            // Inflating is most of the work: every thread inflates gzip members (the reading
            // thread when it would otherwise wait), and threads beyond the second also decode.
            // Handing records to a decoding thread costs more than it saves on two cores.
            reader = warc.inflating(threads: threads)
            scanThreads = threads - 1
        }
        let cpuBefore = Self.cpuSeconds()
        let report = RecordScan.scan(files, format: reader, threads: scanThreads)
        let cpu = Self.cpuSeconds() - cpuBefore
        let mb = Double(report.inputBytes) / 1e6
        if json {
            print(JSONWriter.serialize(.object(JSONObject([
                ("records", .integer(report.records)), ("documents", .integer(report.documents)),
                ("skipped", .integer(report.skipped)), ("problems", .integer(report.problems.count)),
                ("input_bytes", .number(String(report.inputBytes))), ("text_bytes", .number(String(report.textBytes))),
                ("seconds", .double((report.seconds * 1e4).rounded() / 1e4)),
                ("cpu_seconds", .double((cpu * 1e4).rounded() / 1e4)),
            ]))))
        } else {
            print("\(report.records) records: \(report.documents) documents, \(report.skipped) skipped, \(report.problems.count) problems")
            print(String(format: "%.1f MB in %.3f s (%.3f s of CPU): %.0f records/s, %.1f MB/s", mb, report.seconds, cpu,
                         Double(report.records) / max(report.seconds, 1e-9), mb / max(report.seconds, 1e-9)))
        }
        for problem in report.problems.prefix(20) {
            FileHandle.standardError.write(Data("problem: \(problem)\n".utf8))
        }
    }

    /// User and system CPU time of the process so far, all threads.
    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
