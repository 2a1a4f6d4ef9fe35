import CurateCore
import CurateIO
import CurateProvenance
import Foundation

/// Re-reads documents from the input records a run recorded, for audits: the text as a given
/// stage saw it, by decoding the record again and applying the streaming stages before that
/// stage (so a dropped web page shows its extracted text, not its HTML).
public struct SourceLookup {
    let pipeline: Pipeline
    let base: String
    let store: ProvenanceStore

    /// Opens the run in `runFolder` with the stages of `registry`.
    public init(runFolder: String, store: ProvenanceStore, registry: Registry = .standard) throws {
        guard let (json, folder) = try store.latestPipeline() else {
            throw RunError.unusable("\(runFolder) holds no run")
        }
        do {
            pipeline = try PipelineDecoder(registry: registry, base: folder).decode(Array(json.utf8), file: runFolder + "/pipeline.json")
        } catch {
            throw RunError.unusable("the run's pipeline no longer decodes: \(error.description)")
        }
        base = folder
        self.store = store
    }

    /// The texts of `documents` as the stage named `stage` received them (nil: as read), in
    /// order; nil for a document whose record cannot be read again.
    public func texts(of documents: [DocumentLineage], before stage: String?) -> [String?] {
        let stop = stage.flatMap { name in pipeline.steps.firstIndex { $0.name == name } } ?? 0
        let stages = pipeline.steps.prefix(stop).compactMap(\.body.streaming)
        var found: [String: [Int64: String]] = [:]
        for (input, group) in Dictionary(grouping: documents, by: \.input) {
            let wanted = Set(group.map(\.offset))
            found[input] = read(input: input, offsets: wanted, stages: stages)
        }
        return documents.map { found[$0.input]?[$0.offset] }
    }

    /// Decodes the records of `input` at `offsets` and applies `stages` to them.
    private func read(input: String, offsets: Set<Int64>, stages: [any Stage]) -> [Int64: String] {
        guard let (formatName, sha256) = try? store.input(path: input),
              let spec = pipeline.inputs.first(where: { $0.format.format == formatName }) else { return [:] }
        let path = PathExpansion.join(base, input)
        let file = InputFile(id: 0, displayPath: input, path: path, size: 0, sha256: sha256)
        guard var source = try? spec.reader.open(file) else { return [:] }
        var texts: [Int64: String] = [:]
        while texts.count < offsets.count, let item = source.next() {
            guard case let .record(raw) = item, offsets.contains(raw.offset),
                  case var document?? = try? spec.reader.decode(raw, from: file) else { continue }
            for stage in stages {
                if case .drop = stage.process(&document) { break }
            }
            texts[raw.offset] = document.textString
        }
        return texts
    }
}
