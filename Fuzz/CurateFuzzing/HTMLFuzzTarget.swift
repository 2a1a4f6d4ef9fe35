import CurateIngest

extension FuzzTarget {
    /// The HTML main-text extractor (libxml2's parser, our page walker and scoring), with and
    /// without main-content selection.
    static let html = FuzzTarget(name: "html") { input in
        _ = HTMLExtractor().extract(input)
        _ = HTMLExtractor(mainContent: false, listBullets: true).extract(input)
    }
}
