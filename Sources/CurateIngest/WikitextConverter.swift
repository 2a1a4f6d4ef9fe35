/// Turns MediaWiki wikitext into plain text for language-model training, on UTF-8 bytes.
///
/// Removed with their content: templates and parser functions (`{{…}}`, nested), template
/// parameters, tables (`{|…|}`, nested), comments, `<ref>`, `<gallery>`, `<math>` (formulas
/// are TeX source, not prose) and other extension tags without prose, file links
/// (`[[File:…]]`, `[[Файл:…]]`, `[[ファイル:…]]`, captions and their links included),
/// category and interlanguage links, behaviour switches (`__TOC__`), horizontal rules.
/// Kept: the text of links (`[[a|b]]` → `b`, `[[a]]s` → `as`, `[http://x y]` → `y`), the
/// content of HTML tags, `<nowiki>` and `<pre>` as written. Headings and list items
/// (without their markers) are lines of their own, paragraphs are separated by a blank line,
/// bold and italic quotes are removed, character references decoded (`&nbsp;` becomes U+00A0),
/// white space collapsed.
public struct WikitextConverter: Sendable {
    private let links: WikitextLinks

    /// A converter that also knows the file and category namespace names of the page's wiki
    /// (the English ones and those of a dozen large Wikipedias are built in).
    public init(fileNamespaces: [String] = [], categoryNamespaces: [String] = []) {
        links = WikitextLinks(namespaces: WikitextNamespaces(fileNamespaces: fileNamespaces, categoryNamespaces: categoryNamespaces))
    }

    /// The plain text of `wikitext`.
    public func plainText(_ wikitext: [UInt8]) -> [UInt8] {
        var stripped: [UInt8] = []
        stripped.reserveCapacity(wikitext.count)
        wikitext.withUnsafeBufferPointer { WikitextPreprocessor.run($0, into: &stripped) }
        var linked: [UInt8] = []
        linked.reserveCapacity(stripped.count)
        stripped.withUnsafeBufferPointer { links.run($0, into: &linked) }
        return linked.withUnsafeBufferPointer { WikitextBlocks.run($0) }
    }
}
