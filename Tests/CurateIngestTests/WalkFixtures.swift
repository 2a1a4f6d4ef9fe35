import CurateCore
@testable import CurateIngest
import Foundation

/// What the extractor sees of a page: its text, blocks, block-level elements and head fields.
struct Walk: Equatable {
    let text: [UInt8]
    let blocks: [Range<Int>]
    let spans: [Range<Int>]
    let head: [String?]

    init(_ walker: PageWalker) {
        text = walker.text
        blocks = walker.blocks.map(\.range)
        spans = walker.spans.map(\.blocks)
        head = [walker.title, walker.lang, walker.canonicalURL]
    }
}

enum WalkFixtures {
    /// Every HTML fixture page and every page of two WARC fixtures, as the extractor gets them
    /// (UTF-8), named by file (and record offset).
    static func pages() throws -> [(String, [UInt8])] {
        var pages: [(String, [UInt8])] = []
        let html = HTMLFixtures.folder
        for relative in try FileManager.default.subpathsOfDirectory(atPath: html).sorted()
        where relative.hasSuffix(".html") || relative.hasSuffix(".html.gz") {
            pages.append((relative, try HTMLFixtures.document(relative).text))
        }
        let warc = URL(fileURLWithPath: html).deletingLastPathComponent().appendingPathComponent("warc").path
        for name in ["cc-2020-34-resiliparse-50rec.warc.gz", "cc-2024-22-whirlwind.warc.gz"] {
            let file = InputFile(id: 1, displayPath: name, path: warc + "/" + name, size: 0, sha256: String(repeating: "0", count: 64))
            var source = try WARCFormat().open(file)
            while let item = source.next() {
                if case let .record(record) = item, let document = try? WARCFormat().decode(record, from: file) {
                    pages.append(("\(name)@\(record.offset)", document.text))
                }
            }
        }
        return pages
    }
}
