import CurateCore
import CurateIO

/// What dedup keeps of a document to name it later: its id and where it came from.
struct DocumentIdentity: Sendable, Hashable {
    var id: String
    var input: String
    var offset: Int64
}

/// The identities of one part's documents, in part order, in `docs-NNNNN.bin`, and where
/// each starts in `docs-NNNNN.idx` (one 64-bit offset per document, then the file's size).
enum DocumentTable {
    static func path(folder: String, part: Int) -> String {
        "\(folder)/docs-\(partName(part)).bin"
    }

    static func indexPath(folder: String, part: Int) -> String {
        "\(folder)/docs-\(partName(part)).idx"
    }

    /// Writes one part's table and index.
    final class Writer {
        private let table: BinaryWriter
        private let index: BinaryWriter

        init(folder: String, part: Int) throws(IOError) {
            table = try BinaryWriter(path: DocumentTable.path(folder: folder, part: part))
            index = try BinaryWriter(path: DocumentTable.indexPath(folder: folder, part: part))
            try index.write(Int64(0))
        }

        func append(_ document: Document) throws(IOError) {
            try table.write(string: document.id)
            try table.write(string: document.source.input)
            try table.write(document.source.offset)
            try index.write(table.bytesWritten)
        }

        func finish() throws(IOError) {
            try table.finish()
            try index.finish()
        }
    }

    /// How many documents part `part`'s table holds.
    static func count(folder: String, part: Int) throws(IOError) -> Int {
        let path = indexPath(folder: folder, part: part)
        guard let size = fileSize(path), size >= 8, size % 8 == 0 else {
            throw IOError(path: path, "missing or not a document index")
        }
        return Int(size / 8) - 1
    }

    /// Reads identities in ascending order of their dense number, skipping the others.
    final class SequentialReader {
        private let folder: String
        private let numbering: DocumentNumbering
        private var part = -1
        private var next = 0
        private var reader: BinaryReader?

        init(folder: String, numbering: DocumentNumbering) {
            self.folder = folder
            self.numbering = numbering
        }

        /// The identity of document `number`; numbers must be asked for in ascending order.
        func identity(_ number: Int) throws(IOError) -> DocumentIdentity {
            let (wantedPart, wanted) = numbering.position(number)
            if wantedPart != part {
                part = wantedPart
                next = 0
                reader = try BinaryReader(path: DocumentTable.path(folder: folder, part: part))
            }
            guard let reader else { preconditionFailure("no open part") }
            while next < wanted {
                try reader.skipBytes()
                try reader.skipBytes()
                _ = try reader.read(Int64.self)
                next += 1
            }
            next += 1
            return try DocumentIdentity(id: reader.readString(), input: reader.readString(), offset: reader.read(Int64.self))
        }
    }

    /// Reads the identity of any document through its part's index.
    final class RandomReader {
        private let folder: String
        private var files: [Int: (table: BinaryReader, index: BinaryReader)] = [:]
        private var bytes: [UInt8] = []

        init(folder: String) {
            self.folder = folder
        }

        /// The id of the document at `ordinal`.
        func id(_ ordinal: UInt64) throws -> String {
            let part = DocumentOrdinal.part(ordinal)
            let open: (table: BinaryReader, index: BinaryReader)
            if let known = files[part] {
                open = known
            } else {
                open = (try BinaryReader(path: DocumentTable.path(folder: folder, part: part), bufferSize: 0),
                        try BinaryReader(path: DocumentTable.indexPath(folder: folder, part: part), bufferSize: 0))
                files[part] = open
            }
            var start: UInt64 = 0
            try withUnsafeMutablePointer(to: &start) { p throws(IOError) in
                try open.index.read(into: UnsafeMutableBufferPointer(start: p, count: 1), at: Int64(DocumentOrdinal.index(ordinal) * 8))
            }
            var length: UInt32 = 0
            try withUnsafeMutableBytes(of: &length) { raw throws(IOError) in try open.table.read(into: raw, at: Int64(start)) }
            if bytes.count < Int(length) { bytes = [UInt8](repeating: 0, count: Int(length)) }
            try bytes.withUnsafeMutableBytes { raw in
                try open.table.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[..<Int(length)]), at: Int64(start) + 4)
            }
            return String(decoding: bytes[..<Int(length)], as: UTF8.self)
        }
    }
}

/// Numbers the documents of a barrier densely (0, 1, ... in plan order), so that tables
/// over them are flat arrays of 32-bit entries.
struct DocumentNumbering {
    /// The dense number of each part's first document, then the total.
    private let starts: [Int]

    /// Most documents a barrier can number (tables reserve the top bit of an entry).
    static let maxDocuments = Int(Int32.max) - 1

    /// Counts the documents of `parts` parts from their document indexes in `folder`.
    init(folder: String, parts: Int) throws(IOError) {
        var starts = [0]
        starts.reserveCapacity(parts + 1)
        for part in 0..<parts { starts.append(starts[part] + (try DocumentTable.count(folder: folder, part: part))) }
        if starts[parts] > Self.maxDocuments {
            throw IOError(path: folder, "\(starts[parts]) documents; dedup numbers at most \(Self.maxDocuments)")
        }
        self.starts = starts
    }

    var count: Int { starts[starts.count - 1] }

    func number(_ ordinal: UInt64) -> Int {
        starts[DocumentOrdinal.part(ordinal)] + DocumentOrdinal.index(ordinal)
    }

    /// The part and index within it of document `number`.
    func position(_ number: Int) -> (part: Int, index: Int) {
        var low = 0, high = starts.count - 1
        // The last part whose first number is at most `number`, skipping empty parts.
        while high - low > 1 {
            let mid = (low + high) / 2
            if starts[mid] <= number { low = mid } else { high = mid }
        }
        return (low, number - starts[low])
    }

    func ordinal(_ number: Int) -> UInt64 {
        let (part, index) = position(number)
        return DocumentOrdinal.make(part: part, index: index)
    }
}

/// A part's number as it appears in file names.
func partName(_ part: Int) -> String {
    let digits = String(part)
    return String(repeating: "0", count: max(0, 5 - digits.count)) + digits
}
