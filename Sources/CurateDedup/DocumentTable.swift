import CurateCore
import CurateIO

/// What dedup keeps of a document to name it later: its id and where it came from.
struct DocumentIdentity: Sendable, Hashable {
    var id: String
    var input: String
    var offset: Int64
}

/// The identities of one part's documents, in part order, in `docs-NNNNN.bin`.
enum DocumentTable {
    static func path(folder: String, part: Int) -> String {
        "\(folder)/docs-\(partName(part)).bin"
    }

    static func append(_ document: Document, to writer: BinaryWriter) throws(IOError) {
        try writer.write(string: document.id)
        try writer.write(string: document.source.input)
        try writer.write(document.source.offset)
    }

    /// Calls `body` with the identity of the document at each of `ordinals` (ascending),
    /// reading the tables part by part.
    static func forEachIdentity(
        folder: String, ordinals: [UInt64], _ body: (Int, DocumentIdentity) throws -> Void
    ) throws {
        var i = 0
        while i < ordinals.count {
            let part = DocumentOrdinal.part(ordinals[i])
            let reader = try BinaryReader(path: path(folder: folder, part: part))
            var index = 0
            while i < ordinals.count, DocumentOrdinal.part(ordinals[i]) == part {
                let wanted = DocumentOrdinal.index(ordinals[i])
                let id = try reader.readString()
                let input = try reader.readString()
                let offset = try reader.read(Int64.self)
                if index == wanted {
                    try body(i, DocumentIdentity(id: id, input: input, offset: offset))
                    i += 1
                }
                index += 1
            }
        }
    }
}

/// A part's number as it appears in file names.
func partName(_ part: Int) -> String {
    let digits = String(part)
    return String(repeating: "0", count: max(0, 5 - digits.count)) + digits
}
