/// The seek table of a Zstandard seekable file (facebook/zstd contrib/seekable_format): for
/// every frame its compressed and decompressed size and the low 32 bits of the XXH64 of its
/// decompressed bytes, stored in a skippable frame at the end of the file.
public struct SeekTable: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var compressedSize: UInt32
        public var decompressedSize: UInt32
        public var checksum: UInt32
    }

    public var entries: [Entry] = []

    static let skippableMagic: UInt32 = 0x184D_2A5E
    static let seekableMagic: UInt32 = 0x8F92_EAB1
    static let footerSize = 9
    static let entrySize = 12
    /// Checksum_Flag (bit 7) set, reserved and unused bits clear.
    static let descriptor: UInt8 = 0x80

    /// The skippable frame holding the table.
    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(8 + entries.count * SeekTable.entrySize + SeekTable.footerSize)
        out.appendLittleEndian(SeekTable.skippableMagic)
        out.appendLittleEndian(UInt32(entries.count * SeekTable.entrySize + SeekTable.footerSize))
        for entry in entries {
            out.appendLittleEndian(entry.compressedSize)
            out.appendLittleEndian(entry.decompressedSize)
            out.appendLittleEndian(entry.checksum)
        }
        out.appendLittleEndian(UInt32(entries.count))
        out.append(SeekTable.descriptor)
        out.appendLittleEndian(SeekTable.seekableMagic)
        return out
    }

    /// Reads the table at the end of `file`, checking its framing; returns it with the offset
    /// at which the table's skippable frame starts (the end of the data frames).
    static func read(from file: RandomAccessFile) throws(ShardError) -> (table: SeekTable, start: Int64) {
        let size = file.size
        guard size >= Int64(8 + footerSize) else {
            throw ShardError(path: file.path, offset: 0, "too short (\(size) bytes) to end with a seek table")
        }
        let footer = try file.bytes(at: size - Int64(footerSize), count: footerSize)
        let footerOffset = size - Int64(footerSize)
        let (frames, descriptor, magic): (UInt32, UInt8, UInt32) = footer.withUnsafeBytes {
            ($0.littleEndian(at: 0), $0[4], $0.littleEndian(at: 5))
        }
        guard magic == seekableMagic else {
            throw ShardError(path: file.path, offset: footerOffset + 5, "no seekable magic number 0x8F92EAB1 at the end of the file (found 0x\(String(magic, radix: 16)))")
        }
        guard descriptor & 0x7C == 0 else {
            throw ShardError(path: file.path, offset: footerOffset + 4, "seek table descriptor 0x\(String(descriptor, radix: 16)) has reserved bits set")
        }
        guard descriptor & 0x80 != 0 else {
            throw ShardError(path: file.path, offset: footerOffset + 4, "seek table has no checksums (Checksum_Flag clear)")
        }
        let tableSize = Int64(frames) * Int64(entrySize) + Int64(footerSize)
        let start = size - tableSize - 8
        guard start >= 0 else {
            throw ShardError(path: file.path, offset: footerOffset, "seek table of \(frames) frames is larger than the file")
        }
        let bytes = try file.bytes(at: start, count: Int(tableSize) + 8 - footerSize)
        var table = SeekTable()
        table.entries.reserveCapacity(Int(frames))
        try wrap { try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
            let skippable: UInt32 = raw.littleEndian(at: 0)
            guard skippable == skippableMagic else {
                throw ShardError(path: file.path, offset: start, "no skippable frame magic 0x184D2A5E where the seek table of \(frames) frames should start (found 0x\(String(skippable, radix: 16)))")
            }
            let frameSize: UInt32 = raw.littleEndian(at: 4)
            guard Int64(frameSize) == tableSize else {
                throw ShardError(path: file.path, offset: start + 4, "seek table frame size \(frameSize) does not match \(frames) frames (\(tableSize) bytes)")
            }
            for i in 0..<Int(frames) {
                let at = 8 + i * entrySize
                table.entries.append(Entry(
                    compressedSize: raw.littleEndian(at: at),
                    decompressedSize: raw.littleEndian(at: at + 4),
                    checksum: raw.littleEndian(at: at + 8)))
            }
        } }
        let dataSize = table.entries.reduce(Int64(0)) { $0 + Int64($1.compressedSize) }
        guard dataSize == start else {
            throw ShardError(path: file.path, offset: start, "the seek table's compressed sizes add up to \(dataSize) bytes but its frame starts at byte \(start)")
        }
        return (table, start)
    }
}
