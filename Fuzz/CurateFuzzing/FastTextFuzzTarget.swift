import CurateFilters

extension FuzzTarget {
    /// The fastText model loader (.bin and quantized .ftz); a model that loads must predict.
    static let fasttext = FuzzTarget(name: "fasttext") { input in
        guard let model = try? FastTextModel(bytes: input) else { return }
        let text = Array("The quick brown fox jumps over the lazy dog. Le renard brun saute.".utf8)
        _ = text.withUnsafeBufferPointer { model.predict($0, k: 3) }
    }
}
