/// What `HTMLExtractor` found in a page.
public struct ExtractedPage: Sendable, Equatable {
    /// The main text as UTF-8: blocks separated by a blank line, list items and table rows by a
    /// line break, table cells by a tab.
    public var text: [UInt8]
    /// The `<title>`, white space collapsed.
    public var title: String?
    /// The `lang` attribute of `<html>`.
    public var lang: String?
    /// The href of `<link rel="canonical">`.
    public var canonicalURL: String?

    public init(text: [UInt8], title: String? = nil, lang: String? = nil, canonicalURL: String? = nil) {
        self.text = text
        self.title = title
        self.lang = lang
        self.canonicalURL = canonicalURL
    }
}
