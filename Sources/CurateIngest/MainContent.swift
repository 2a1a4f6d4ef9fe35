/// Chooses the blocks of a page's main content.
///
/// Each block gets a score: its text outside links counts for it, its link text as much
/// against, and a fixed cost per block against, with a little credit for sentence ends; so prose
/// scores high and menus, link lists and scattered short lines score low. Blocks inside page
/// furniture (by tag, by class or id, or hidden) count half their length against. The element whose blocks add up to the
/// highest score (a little more for elements named or marked up as content) holds the main
/// content; inside it, blocks that read as text are kept, short ones when the blocks around
/// them are, and a repeated block only once.
enum MainContent {
    /// The cost of a block, in characters: what a line must outweigh to count for a page's text.
    private static let blockCost = 15.0
    /// The credit per sentence end, for at most `countedSentences` of them.
    private static let sentenceCredit = 10.0
    private static let countedSentences = 3
    /// How much of its length a block inside page furniture counts against.
    private static let furnitureCost = 0.5
    /// The fewest non-link characters of a block that reads as text.
    private static let goodLength = 40
    /// The highest link density of a block that reads as text.
    private static let goodLinkDensity = 0.3
    /// The link density above which a block is a list of links.
    private static let linkListDensity = 0.5
    /// The share of a page's prose above which an element is taken for a wrapper of the page,
    /// not for furniture, whatever its tag or name.
    private static let wrapperShare = 0.5

    /// The indices of the blocks that make up the main content, in order; `text` holds the
    /// blocks' bytes.
    static func select(_ blocks: [TextBlock], _ spans: [ElementSpan], text: [UInt8]) -> [Int] {
        guard !blocks.isEmpty else { return [] }
        let furniture = furnitureMask(blocks, spans)
        var prefix = [Double](repeating: 0, count: blocks.count + 1)
        for (i, block) in blocks.enumerated() {
            prefix[i + 1] = prefix[i] + (furniture[i] ? -furnitureCost * Double(block.weight) : score(block))
        }
        var best = 0..<blocks.count
        var bestScore = 0.0
        for span in spans where !span.blocks.isEmpty {
            var score = prefix[span.blocks.upperBound] - prefix[span.blocks.lowerBound]
            if score > 0 { score *= bonus(span) }
            if score > bestScore {
                bestScore = score
                best = span.blocks
            }
        }
        return keep(blocks, in: best, furniture: furniture, text: text)
    }

    /// How much a block's text looks like prose.
    private static func score(_ block: TextBlock) -> Double {
        Double(block.weight - 2 * block.linkWeight) - blockCost
            + sentenceCredit * Double(min(block.sentenceEnds, countedSentences))
    }

    /// Extra weight for elements whose markup says they hold the content.
    private static func bonus(_ span: ElementSpan) -> Double {
        switch span.hint {
        case .articleBody: 1.5
        case .content: 1.2
        default: span.tag == .article || span.tag == .main ? 1.2 : 1
        }
    }

    /// The indices of all blocks but those inside furniture elements (navigation, headers,
    /// footers, asides, figures, forms) and hidden ones.
    static func visible(_ blocks: [TextBlock], _ spans: [ElementSpan]) -> [Int] {
        let furniture = furnitureMask(blocks, spans, byName: false)
        return blocks.indices.filter { !furniture[$0] }
    }

    /// Which blocks lie inside furniture elements, hidden ones, or (if `byName`) ones named like
    /// furniture, unless such an element holds most of the page's prose (then it is a wrapper).
    private static func furnitureMask(_ blocks: [TextBlock], _ spans: [ElementSpan], byName: Bool = true) -> [Bool] {
        var prose = [Double](repeating: 0, count: blocks.count + 1)
        for (i, block) in blocks.enumerated() { prose[i + 1] = prose[i] + max(0, score(block)) }
        let total = prose[blocks.count]
        var opened = [Int](repeating: 0, count: blocks.count + 1)
        for span in spans where span.tag.isFurniture || span.hint == .hidden || (byName && span.hint == .boilerplate) {
            let inside = prose[span.blocks.upperBound] - prose[span.blocks.lowerBound]
            if total > 0, inside > wrapperShare * total { continue }
            opened[span.blocks.lowerBound] += 1
            opened[span.blocks.upperBound] -= 1
        }
        var mask = [Bool](repeating: false, count: blocks.count)
        var depth = 0
        for i in blocks.indices {
            depth += opened[i]
            mask[i] = depth > 0
        }
        return mask
    }

    private enum Class { case good, bad, short }

    /// The blocks of `range` that read as text: long with few links; short blocks between good
    /// ones, or before a good one at the start of the range or as its heading; each text once.
    private static func keep(_ blocks: [TextBlock], in range: Range<Int>, furniture: [Bool], text: [UInt8]) -> [Int] {
        let classes: [Class] = range.map { i in
            let block = blocks[i]
            if furniture[i] || block.linkDensity > linkListDensity { return .bad }
            if block.weight - block.linkWeight >= goodLength, block.linkDensity <= goodLinkDensity { return .good }
            return .short
        }
        var previous = [Class?](repeating: nil, count: classes.count)
        for k in classes.indices.dropFirst() { previous[k] = classes[k - 1] == .short ? previous[k - 1] : classes[k - 1] }
        var next: Class?
        var kept: [Int] = []
        for k in classes.indices.reversed() {
            let i = range.lowerBound + k
            let keep = switch classes[k] {
            case .good: true
            case .bad: false
            case .short: keepsShort(next: next, previous: previous[k], heading: blocks[i].kind == .heading)
            }
            if keep { kept.append(i) }
            if classes[k] != .short { next = classes[k] }
        }
        var seen: Set<BlockText> = []
        return kept.reversed().filter { seen.insert(BlockText(bytes: text[blocks[$0].range])).inserted }
    }

    /// A block's text as a set member, hashed in one go rather than byte by byte.
    private struct BlockText: Hashable {
        let bytes: ArraySlice<UInt8>

        func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
    }

    /// Whether a short block is kept, given the classes of the nearest long blocks after and
    /// before it (nil at the ends of the range).
    private static func keepsShort(next: Class?, previous: Class?, heading: Bool) -> Bool {
        next == .good && (previous == .good || previous == nil || heading)
    }
}
