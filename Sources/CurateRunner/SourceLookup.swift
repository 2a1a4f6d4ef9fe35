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
            let pipeline = try PipelineDecoder(registry: registry, base: folder).decode(Array(json.utf8), file: runFolder + "/pipeline.json")
            self.init(pipeline: pipeline, base: folder, store: store)
        } catch {
            throw RunError.unusable("the run's pipeline no longer decodes: \(error.description)")
        }
    }

    /// Reads the run of `store` with `pipeline`, the run's pipeline already decoded (with its
    /// paths relative to `base`), so that its stages are not built a second time.
    init(pipeline: Pipeline, base: String, store: ProvenanceStore) {
        self.pipeline = pipeline
        self.base = base
        self.store = store
    }

    /// The texts of `documents` as the stage named `stage` received them (nil: as read), in
    /// order; nil for a document whose record cannot be read again.
    public func texts(of documents: [DocumentLineage], before stage: String?) -> [String?] {
        texts(of: documents, before: documents.map { _ in stage })
    }

    /// The text of each document as the stage named beside it received it; each input is read
    /// once, however many stages the documents stop at.
    public func texts(of documents: [DocumentLineage], before stages: [String?]) -> [String?] {
        let stops = stages.map { stage in stage.flatMap { name in pipeline.steps.firstIndex { $0.name == name } } ?? 0 }
        var found: [String: [Int64: String]] = [:]
        for (input, group) in Dictionary(grouping: documents.indices, by: { documents[$0].input }) {
            var wanted: [Int64: Int] = [:]
            for i in group { wanted[documents[i].offset] = stops[i] }
            found[input] = read(input: input, stops: wanted)
        }
        return documents.map { found[$0.input]?[$0.offset] }
    }

    /// Decodes the records of `input` at the offsets of `stops` and applies to each the
    /// streaming stages before its stop. Records the format can read where they start are read
    /// there; the others by reading the input from its start.
    private func read(input: String, stops: [Int64: Int]) -> [Int64: String] {
        guard let (formatName, sha256) = try? store.input(path: input),
              let spec = pipeline.inputs.first(where: { $0.format.format == formatName }) else { return [:] }
        let path = PathExpansion.join(base, input)
        let file = InputFile(id: 0, displayPath: input, path: path, size: 0, sha256: sha256)
        var texts: [Int64: String] = [:]
        func add(_ raw: RawRecord, stop: Int) {
            guard case var document? = try? spec.reader.decode(raw, from: file) else { return }
            for stage in pipeline.steps.prefix(stop).compactMap(\.body.streaming) {
                if case .drop = stage.process(&document) { break }
            }
            texts[raw.offset] = document.textString
        }
        var unreached: [Int64: Int] = [:]
        for (offset, stop) in stops {
            if let raw = spec.reader.record(at: offset, in: file) { add(raw, stop: stop) } else { unreached[offset] = stop }
        }
        guard !unreached.isEmpty, var source = try? spec.reader.open(file) else { return texts }
        var found = 0
        while found < unreached.count, let item = source.next() {
            guard case let .record(raw) = item, let stop = unreached[raw.offset] else { continue }
            found += 1
            add(raw, stop: stop)
        }
        return texts
    }
}
