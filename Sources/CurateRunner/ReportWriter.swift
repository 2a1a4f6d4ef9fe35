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

    /// The report of the run in `folder` as HTML.
    public static func html(runFolder folder: String, store: ProvenanceStore) throws -> String {
        var data = try store.reportData()
        let lookup = try? SourceLookup(runFolder: folder, store: store)
        for stage in data.summary.stages {
            for drop in stage.drops {
                let (_, sample) = try store.droppedDocuments(stage: stage.stage, reason: drop.reason, limit: examplesPerReason, spread: false)
                let texts = lookup?.texts(of: sample, before: stage.stage) ?? []
                data.examples[stage.stage + "\t" + drop.reason] = zip(sample, texts).map { doc, text in
                    "\(doc.docID): " + (text.map(RunAudit.snippet) ?? "(the record cannot be read again)")
                }
            }
        }
        return HTMLReport.render(data)
    }

    /// Writes the report of the run in `folder` to `path`.
    public static func write(runFolder folder: String, store: ProvenanceStore, to path: String) throws {
        try DurableFile.write(Array(try html(runFolder: folder, store: store).utf8), to: path)
    }
}
