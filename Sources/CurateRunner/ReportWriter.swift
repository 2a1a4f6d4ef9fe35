import CurateCore
import CurateIO
import CurateProvenance
import CurateReport
import Foundation

/// Writes a run's HTML report, with example snippets of dropped documents re-read from
/// their source records: the first ones of each reason, which are the quickest to reach.
public enum ReportWriter {
    /// Examples shown per stage and reason.
    static let examplesPerReason = 3

    /// The report of the run in `folder` as HTML. `pipeline` is the run's pipeline and the
    /// folder its paths are relative to, when the caller has it decoded already (a run that
    /// just finished); otherwise it is decoded again from the store.
    public static func html(runFolder folder: String, store: ProvenanceStore, pipeline: (Pipeline, base: String)? = nil) throws -> String {
        var data = try store.reportData()
        var keys: [String] = []
        var samples: [DocumentLineage] = []
        var stages: [String?] = []
        for stage in data.summary.stages {
            for drop in stage.drops {
                let sample = try store.firstDroppedDocuments(stage: stage.stage, reason: drop.reason, limit: examplesPerReason)
                keys += sample.map { _ in stage.stage + "\t" + drop.reason }
                samples += sample
                stages += sample.map { _ in stage.stage }
            }
        }
        let lookup = pipeline.map { SourceLookup(pipeline: $0.0, base: $0.base, store: store) }
            ?? (try? SourceLookup(runFolder: folder, store: store))
        let texts = lookup?.texts(of: samples, before: stages) ?? samples.map { _ in nil }
        for (key, (doc, text)) in zip(keys, zip(samples, texts)) {
            data.examples[key, default: []].append("\(doc.docID): " + (text.map(RunAudit.snippet) ?? "(the record cannot be read again)"))
        }
        return HTMLReport.render(data)
    }

    /// Writes the report of the run in `folder` to `path`.
    public static func write(runFolder folder: String, store: ProvenanceStore, pipeline: (Pipeline, base: String)? = nil,
                             to path: String) throws {
        try DurableFile.write(Array(try html(runFolder: folder, store: store, pipeline: pipeline).utf8), to: path)
    }
}
