import CurateCore

/// Identifies the language of each document with a fastText model (by default fastText's
/// lid.176) and keeps the documents in the wanted languages, deciding as datatrove's
/// `LanguageFilter` does: every label is predicted on the text with newlines as spaces; the
/// best one goes to `metadata.language` (the label without its `__label__` prefix) and its
/// probability to `metadata.language_score`; without an allow-list a document is kept when
/// that probability is above `min_score`, with one when any allowed language's is.
public struct LanguageFilter: Stage {
    public let model: FastTextModel
    /// The allowed languages, or nil for any.
    public let languages: [String]?
    public let minScore: Double
    /// The language code of each of the model's labels.
    private let codes: [String]
    /// The indexes of the allowed labels.
    private let allowed: [Int]

    public init(model: FastTextModel, languages: [String]? = nil, minScore: Double = 0.65) {
        self.model = model
        self.languages = languages
        self.minScore = minScore
        let codes = model.dictionary.labels.map(Self.languageCode)
        let wanted = Set(languages ?? [])
        self.codes = codes
        allowed = codes.indices.filter { wanted.contains(codes[$0]) }
    }

    /// The language a label names, as datatrove reads it: the part between the second and
    /// third `__` (`__label__en` -> `en`).
    public static func languageCode(_ label: String) -> String {
        let parts = label.components(separatedBy: "__")
        return parts.count >= 3 ? parts[2] : label
    }

    public static let definition = StageDefinition(
        type: "language",
        summary: "Identify the language with a fastText model; keep documents in the allowed languages above a minimum score.",
        parameters: [
            Parameter("model", .path, default: .string("resource:models/lid.176.ftz"),
                      "fastText classifier (.bin or .ftz) whose labels are languages; by default fastText's lid.176."),
            Parameter("languages", .stringList,
                      "Languages to keep, as the model's labels name them without `__label__` (\"en\", \"de\"); unset for any."),
            Parameter("min_score", .number(min: 0, max: 1), default: .double(0.65),
                      "A kept document's language probability must be above this."),
        ]
    ) { options throws(OptionError) in
        let path = options.path("model") ?? Resources.path("models/lid.176.ftz")
        let model: FastTextModel
        do throws(FastTextModelError) {
            model = try FastTextModel(contentsOf: path)
        } catch {
            throw OptionError(key: "model", "\(path): \(error.message)")
        }
        let languages = options.strings("languages")
        if let languages {
            if languages.isEmpty { throw OptionError(key: "languages", "is empty: no document could be kept (leave it out to keep any language)") }
            let known = model.dictionary.labels.map(languageCode)
            for language in languages where !known.contains(language) {
                throw OptionError(key: "languages", "\"\(language)\" is not a label of \(path)" + Suggestion.didYouMean(language, among: known))
            }
        }
        return LanguageFilter(model: model, languages: languages, minScore: options.double("min_score") ?? 0.65)
    }

    public func process(_ document: inout Document) -> Verdict {
        // datatrove asks fastText for every label; the best one and the allowed ones' are the
        // same here (the best of k=1, which differs only if two labels tie exactly at the top).
        let prediction = document.text.withUnsafeBufferPointer { model.predictBest($0, scoring: allowed) }
        guard let (best, allowedProbabilities) = prediction else {
            return .drop(reason: "language:no_prediction", metrics: [])
        }
        let score = Double(best.probability)
        document.metadata["language"] = .string(codes[best.label])
        document.metadata["language_score"] = .double(score)
        guard languages != nil else {
            return score > minScore ? .keep : .drop(reason: "language:low_score", metrics: [Metric("language_score", score)])
        }
        let allowedScore = allowedProbabilities.compactMap { $0.map(Double.init) }.max() ?? 0
        if allowedScore > minScore { return .keep }
        let metrics = [Metric("language_score", score), Metric("allowed_language_score", allowedScore)]
        return .drop(reason: allowed.contains(best.label) ? "language:low_score" : "language:not_allowed", metrics: metrics)
    }
}
