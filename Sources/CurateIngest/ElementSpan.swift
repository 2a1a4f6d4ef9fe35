/// A block-level element of a page and the blocks of text inside it.
struct ElementSpan {
    var tag: HTMLTag
    var hint: ElementHint
    /// The indices of the blocks inside the element (blocks are in document order, so an
    /// element's blocks are contiguous).
    var blocks: Range<Int>
}
