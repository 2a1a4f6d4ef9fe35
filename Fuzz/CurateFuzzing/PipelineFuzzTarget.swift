import CurateCore
import CurateRunner

extension FuzzTarget {
    /// The pipeline.json decoder with every stage and input format's options, paths resolved
    /// against an empty scratch folder.
    static let pipeline = FuzzTarget(name: "pipeline") { input in
        _ = try? PipelineDecoder(registry: Registry.standard, base: FuzzScratch.folder).decode(input, file: "pipeline.json")
    }
}
