import CurateCore

/// Replaces a document's HTML with its main text (see `HTMLExtractor`) and records the page's
/// title, language and canonical URL in the metadata; drops pages with too little main text.
public struct HTMLExtractStage: Stage {
    public var extractor = HTMLExtractor()
    /// Fewest characters (Unicode scalars) of main text a kept document has.
    public var minTextChars = 25

    public init() {}

    public static let definition = StageDefinition(
        type: "html_extract",
        summary: "Turn HTML into its main text (boilerplate removed); title, html_lang and canonical_url go to the metadata.",
        parameters: [
            Parameter("main_content", .boolean, default: .bool(true),
                      "Keep only the main content (false: all visible text but scripts, navigation, headers and footers)."),
            Parameter("min_text_chars", .integer(min: 0), default: .integer(25),
                      "Fewest characters of extracted text a kept document has; others are dropped as no_main_text."),
            Parameter("list_bullets", .boolean, default: .bool(false), "Start list items with \"- \"."),
        ]
    ) { options throws(OptionError) in
        var stage = HTMLExtractStage()
        stage.extractor.mainContent = options.bool("main_content") ?? true
        stage.extractor.listBullets = options.bool("list_bullets") ?? false
        stage.minTextChars = options.int("min_text_chars") ?? 25
        return stage
    }

    public func process(_ document: inout Document) -> Verdict {
        let page = extractor.extract(document.text)
        let chars = page.text.withUnsafeBufferPointer { UTF8Bytes.scalarCount($0) }
        let metrics = [Metric("html_bytes", Double(document.text.count)), Metric("text_chars", Double(chars))]
        if chars < minTextChars || chars == 0 { return .drop(reason: "no_main_text", metrics: metrics) }
        document.text = page.text
        for (key, value) in [("title", page.title), ("html_lang", page.lang), ("canonical_url", page.canonicalURL)] {
            if let value { document.metadata[key] = .string(value) }
        }
        return .rewritten(metrics)
    }
}
