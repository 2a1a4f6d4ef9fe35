import CurateCore

/// Turns an HTML page (UTF-8) into its main text, title, language and canonical URL.
///
/// The page is read as libxml2's HTML parser reads it (recovering from errors, no network);
/// scripts, styles, navigation, asides, headers, footers, forms and hidden elements are left
/// out, and `MainContent` picks the main text unless `mainContent` is false.
public struct HTMLExtractor: Sendable {
    /// Keep only the main content; false keeps all visible text.
    public var mainContent: Bool
    /// Start list items with "- ".
    public var listBullets: Bool

    public init(mainContent: Bool = true, listBullets: Bool = false) {
        self.mainContent = mainContent
        self.listBullets = listBullets
    }

    public func extract(_ html: [UInt8]) -> ExtractedPage {
        let walker = PageWalker.walk(html)
        let chosen = mainContent
            ? MainContent.select(walker.blocks, walker.spans, text: walker.text)
            : MainContent.visible(walker.blocks, walker.spans)
        return ExtractedPage(text: join(chosen, of: walker), title: walker.title, lang: walker.lang,
                             canonicalURL: walker.canonicalURL)
    }

    /// The text of the chosen blocks with their separators, as valid UTF-8 whatever the page's bytes.
    private func join(_ chosen: [Int], of walker: PageWalker) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(chosen.reduce(0) { $0 + walker.blocks[$1].range.count + 2 })
        var previous: TextBlock?
        for i in chosen {
            let block = walker.blocks[i]
            if let previous {
                let sameList = previous.kind == block.kind && (block.kind == .listItem || block.kind == .row)
                out.append(contentsOf: sameList ? [0x0A] : [0x0A, 0x0A])
            }
            if listBullets, block.kind == .listItem { out.append(contentsOf: [0x2D, 0x20]) }
            out.append(contentsOf: walker.text[block.range])
            previous = block
        }
        UTF8Bytes.repair(&out)
        return out
    }
}
