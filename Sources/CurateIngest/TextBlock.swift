/// A run of a page's text between two block boundaries (a paragraph, a heading, a list item,
/// a table row…), with the measures main-content selection scores it by.
struct TextBlock {
    enum Kind: UInt8 {
        case other, paragraph, heading, listItem, row, preformatted
    }

    /// Where the block's text lies in the walker's text buffer (white space already collapsed).
    var range: Range<Int>
    var kind: Kind
    /// Visible characters (white space not counted), CJK and Hangul counted thrice as they
    /// carry about as much as a short word each.
    var weight: Int
    /// The part of `weight` inside links.
    var linkWeight: Int
    /// Sentence ends (. ! ? and their CJK forms) in the block.
    var sentenceEnds: Int

    var linkDensity: Double { weight == 0 ? 0 : Double(linkWeight) / Double(weight) }
}
