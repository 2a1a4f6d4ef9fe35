import Foundation
import CurateProvenance
import CurateCore

/// The run report: one self-contained HTML file (inline CSS and SVG, no external assets).
public enum HTMLReport {
    /// The ids of the report's sections, in order.
    public static let sections = ["funnel", "drops", "lengths", "languages", "dedup", "tokens", "representation"]

    public static func render(_ data: ReportData) -> String {
        let s = data.summary
        var body = "<h1>curate run report: \(HTML.escape(data.pipelineName))</h1>"
        body += "<p>\(s.docsIn) documents read, \(s.docsKept) kept, \(s.docsIn - s.docsKept - s.errors) dropped, "
            + "\(s.errors) unreadable; \(s.tasksDone) of \(s.tasksTotal) tasks done.</p>"

        body += section("funnel", "Funnel", "Documents in and out of each stage, in pipeline order.",
                        SVGBarChart(labels: s.stages.map(\.stage), values: s.stages.map { [$0.docsIn, $0.docsOut] },
                                    series: ["in", "out"]).render())

        var drops = ""
        for stage in s.stages where !stage.drops.isEmpty {
            drops += "<h3>\(HTML.escape(stage.stage)) <small>(\(HTML.escape(stage.type)))</small></h3>"
            drops += SVGBarChart(labels: stage.drops.map(\.reason), values: stage.drops.map { [$0.documents] }, series: ["dropped"]).render()
            for drop in stage.drops {
                let examples = data.examples[stage.stage + "\t" + drop.reason] ?? []
                guard !examples.isEmpty else { continue }
                drops += "<details><summary>\(HTML.escape(drop.reason)): examples</summary><ul>"
                drops += examples.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul></details>"
            }
        }
        if !s.readerErrors.isEmpty {
            drops += "<h3>unreadable records</h3>" + SVGBarChart(
                labels: s.readerErrors.map(\.reason), values: s.readerErrors.map { [$0.documents] }, series: ["records"]).render()
        }
        body += section("drops", "Drops per reason", "Why documents left, per stage, with examples re-read from their source records.",
                        drops.isEmpty ? "<p>No document was dropped.</p>" : drops)

        body += section("lengths", "Document length", "Characters per document (log2 buckets): all documents read, and those kept.",
                        chart(data.lengths, series: ["read", "kept"]))
        body += section("languages", "Languages", "Documents per identified language: all, and kept.",
                        chart(data.languages, series: ["read", "kept"], empty: "No language-ID stage ran."))
        body += section("dedup", "Dedup clusters", "Clusters by size (documents in the cluster, the kept one included).",
                        chart(data.clusterSizes, series: ["clusters"], empty: "No dedup stage ran, or it found no duplicates."))

        var tokens = ""
        for tokenizer in data.tokenizers {
            let pattern = tokenizer.pattern.map { ", pattern \(HTML.escape($0))" } ?? ""
            let training = (tokenizer.trainedOnDocuments.map { ", trained on \($0) documents" } ?? "")
                + (tokenizer.trainedOnBytes.map { " (\($0) bytes)" } ?? "")
            tokens += "<p>Tokenizer <code>\(HTML.escape(tokenizer.file))</code>: \(tokenizer.vocabSize) tokens" + pattern + training
                + bytesPerToken(tokenizer) + ", sha256 <code>\(tokenizer.sha256.prefix(16))…</code></p>"
        }
        if !data.shards.isEmpty {
            tokens += SVGBarChart(labels: data.shards.map(\.file), values: data.shards.map { [$0.tokens] }, series: ["tokens"]).render()
        }
        body += section("tokens", "Tokens", "Tokens per shard and the tokenizer used.",
                        tokens.isEmpty ? "<p>No shards were written.</p>" : tokens)

        var audit = ""
        for stage in s.stages where !stage.groups.isEmpty && stage.docsIn > stage.docsOut {
            let overall = percent(stage.docsIn - stage.docsOut, of: stage.docsIn)
            audit += "<h3>\(HTML.escape(stage.stage)): dropped \(overall) of all documents</h3><table><tr><th>group</th><th>documents</th><th>dropped</th><th>share</th></tr>"
            for group in stage.groups {
                audit += "<tr><td>\(HTML.escape(group.name))</td><td>\(group.docsIn)</td><td>\(group.dropped)</td><td>\(percent(group.dropped, of: group.docsIn))</td></tr>"
            }
            audit += "</table>"
        }
        body += section("representation", "Representation audit",
                        "Per filter, the share of documents mentioning each term group that it dropped, against the share of all documents.",
                        audit.isEmpty ? "<p>No term-group audit ran, or no audited stage dropped documents.</p>" : audit)

        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>curate report: \(HTML.escape(data.pipelineName))</title>
            <style>
            body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:62em;color:#222}
            h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
            svg text{font:12px system-ui,sans-serif;fill:#222}table{border-collapse:collapse}
            td,th{border:1px solid #ddd;padding:.2em .6em;text-align:right}td:first-child,th:first-child{text-align:left}
            code{font-size:.95em}details{margin:.3em 0}li{margin:.3em 0}
            </style></head><body>
            \(body)
            </body></html>

            """
    }

    private static func section(_ id: String, _ title: String, _ caption: String, _ content: String) -> String {
        "<section id=\"\(id)\"><h2>\(HTML.escape(title))</h2><p>\(HTML.escape(caption))</p>\(content)</section>"
    }

    private static func chart(_ bars: ReportData.Bars, series: [String], empty: String = "No data.") -> String {
        bars.labels.isEmpty ? "<p>\(HTML.escape(empty))</p>" : SVGBarChart(labels: bars.labels, values: bars.values, series: series).render()
    }

    /// ", encoded N bytes into M tokens, B bytes per token" when the stage counted them.
    private static func bytesPerToken(_ tokenizer: TokenizerRecord) -> String {
        guard let bytes = tokenizer.encodedBytes, let tokens = tokenizer.encodedTokens, tokens > 0 else { return "" }
        return ", encoded \(bytes) bytes into \(tokens) tokens (" + String(format: "%.2f", Double(bytes) / Double(tokens)) + " bytes per token)"
    }

    private static func percent(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "0%" : String(format: "%.1f%%", 100 * Double(part) / Double(whole))
    }
}
