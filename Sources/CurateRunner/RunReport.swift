import CurateCore
import CurateProvenance
import Foundation

/// The outcome of `curate run`: the run folder's totals and what this invocation did.
public struct RunReport: Sendable {
    public let pipelineName: String
    public let outputFolder: String
    public let inputs: Int
    public let tasks: Int
    /// Tasks run by this invocation; the others were complete already.
    public let tasksRun: Int
    public let workers: Int
    public let seconds: Double
    public let summary: RunSummary
    /// The token shards the run wrote, if any.
    public var shards: [ShardRecord] = []

    /// The summary table printed at the end of a run.
    public func table() -> String {
        let s = summary
        var lines = [
            "pipeline \(pipelineName): \(inputs) input file\(inputs == 1 ? "" : "s"), \(tasks) task\(tasks == 1 ? "" : "s") "
                + "(\(tasksRun) run, \(tasks - tasksRun) already complete), \(workers) worker\(workers == 1 ? "" : "s"), "
                + String(format: "%.2f s", seconds),
            "",
        ]
        var rows: [[String]] = [["stage", "type", "in", "out", "dropped", "rewritten", "time"]]
        for stage in s.stages {
            rows.append([stage.stage, stage.type, Format.count(stage.docsIn), Format.count(stage.docsOut),
                         Format.count(stage.docsIn - stage.docsOut), Format.count(stage.rewritten), String(format: "%.2f s", stage.seconds)])
            for drop in stage.drops {
                rows.append(["  " + drop.reason, "", "", "", Format.count(drop.documents), "", ""])
            }
        }
        if !s.readerErrors.isEmpty {
            rows.append(["(unreadable)", "reader", "", "", Format.count(s.errors), "", ""])
            for error in s.readerErrors { rows.append(["  " + error.reason, "", "", "", Format.count(error.documents), "", ""]) }
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
        for (r, row) in rows.enumerated() {
            let cells = row.enumerated().map { column, cell in
                column < 2 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }
            var line = cells.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            lines.append(line)
            if r == 0 { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        lines += termGroupLines()
        let dropped = s.docsIn - s.docsKept - s.errors
        lines.append("")
        lines.append("documents: \(Format.count(s.docsIn)) read, \(Format.count(s.docsKept)) kept, "
            + "\(Format.count(dropped)) dropped, \(Format.count(s.errors)) unreadable")
        lines.append("output: \(outputFolder)/docs, provenance: \(outputFolder)/provenance.sqlite")
        if !shards.isEmpty {
            let tokens = shards.reduce(0) { $0 + $1.tokens }
            let folder = shards[0].file.split(separator: "/").dropLast().joined(separator: "/")
            lines.append("shards: \(Format.count(tokens)) tokens in \(shards.count) shard\(shards.count == 1 ? "" : "s"), "
                + "\(outputFolder)/\(folder)/manifest.json")
        }
        return lines.joined(separator: "\n")
    }

    /// For each stage that dropped documents, the share it dropped of all documents and of
    /// those mentioning each audited term group.
    public func termGroupLines() -> [String] {
        let audited = summary.stages.filter { !$0.groups.isEmpty && $0.docsIn > $0.docsOut }
        guard !audited.isEmpty else { return [] }
        var lines = ["", "term groups: share of the documents mentioning each group that a stage dropped"]
        for stage in audited {
            let overall = Self.percent(stage.docsIn - stage.docsOut, of: stage.docsIn)
            let groups = stage.groups.map { "\($0.name) \(Self.percent($0.dropped, of: $0.docsIn)) (\($0.dropped)/\($0.docsIn))" }
            lines.append("  \(stage.stage): all \(overall); " + groups.joined(separator: ", "))
        }
        return lines
    }

    private static func percent(_ part: Int, of whole: Int) -> String {
        String(format: "%.1f%%", whole == 0 ? 0 : 100 * Double(part) / Double(whole))
    }

    /// The summary as a JSON object, for `--json`.
    public func json() -> String {
        let s = summary
        func drops(_ list: [RunSummary.Drop]) -> JSONValue {
            .object(JSONObject(list.map { ($0.reason, JSONValue.integer($0.documents)) }))
        }
        let stages = s.stages.map { stage in
            JSONValue.object(JSONObject([
                ("name", .string(stage.stage)), ("type", .string(stage.type)), ("docs_in", .integer(stage.docsIn)),
                ("docs_out", .integer(stage.docsOut)), ("dropped", .integer(stage.docsIn - stage.docsOut)),
                ("rewritten", .integer(stage.rewritten)), ("seconds", .double((stage.seconds * 1000).rounded() / 1000)),
                ("drops", drops(stage.drops)),
                ("term_groups", .object(JSONObject(stage.groups.map {
                    ($0.name, JSONValue.object(JSONObject([("docs_in", .integer($0.docsIn)), ("dropped", .integer($0.dropped))])))
                }))),
            ]))
        }
        let object = JSONObject([
            ("pipeline", .string(pipelineName)),
            ("output", .string(outputFolder)),
            ("inputs", .integer(inputs)),
            ("tasks", .object(JSONObject([("total", .integer(tasks)), ("run", .integer(tasksRun)),
                                          ("already_complete", .integer(tasks - tasksRun))]))),
            ("workers", .integer(workers)),
            ("seconds", .double((seconds * 1000).rounded() / 1000)),
            ("documents", .object(JSONObject([
                ("read", .integer(s.docsIn)), ("kept", .integer(s.docsKept)),
                ("dropped", .integer(s.docsIn - s.docsKept - s.errors)), ("unreadable", .integer(s.errors)),
            ]))),
            ("stages", .array(stages)),
            ("unreadable", drops(s.readerErrors)),
        ])
        return JSONWriter.serialize(.object(object))
    }
}
