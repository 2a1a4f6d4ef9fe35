import CurateIO
#if canImport(Glibc)
import Glibc
#endif

/// Formats other trainers read; each shard becomes one file (or file pair) of the same name.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// llm.c / nanoGPT `.bin`: a header of 256 int32 (magic 20240520, version 1, token count;
    /// or magic 20240801, version 7 for uint32 ids), then the ids.
    case llmc
    /// Megatron-LM indexed dataset: `.bin` of ids and `.idx` (MMIDIDX), a sequence per document.
    case megatron
    /// NumPy `.npy` (format 1.0): a one-dimensional array of the ids.
    case npy
}

/// Writes a shard set's tokens in another trainer's format, one output per shard, durably.
/// Token bytes are copied from the decompressed frames as they are: the stored little-endian
/// uint16 / uint32 ids are what all three formats hold.
public struct ShardExporter {
    public let set: ShardSet

    public init(set: ShardSet) { self.set = set }

    /// Exports every shard into `directory` (created if missing); returns the files written.
    public func export(_ format: ExportFormat, to directory: String) throws(ShardError) -> [String] {
        if mkdir(directory, 0o755) != 0, errno != EEXIST { throw ShardError(path: directory, "cannot create the folder: \(String(cString: strerror(errno)))") }
        var written: [String] = []
        for (s, info) in set.manifest.shards.enumerated() {
            let stem = directory + "/" + String(info.file.prefix(while: { $0 != "." }))
            switch format {
            case .llmc:
                written.append(try writeTokens(shard: s, to: stem + ".bin", header: llmcHeader(tokens: info.tokens, path: stem + ".bin")))
            case .npy:
                written.append(try writeTokens(shard: s, to: stem + ".npy", header: npyHeader(tokens: info.tokens)))
            case .megatron:
                guard set.manifest.dtype == .uint16 || set.manifest.vocabSize <= Int(Int32.max) + 1 else {
                    throw ShardError(path: stem + ".bin", "Megatron stores wide ids as int32; vocab_size \(set.manifest.vocabSize) does not fit")
                }
                written.append(try writeTokens(shard: s, to: stem + ".bin", header: []))
                let idx = try megatronIndex(shard: s)
                try wrap { try DurableFile.write(idx, to: stem + ".idx") }
                written.append(stem + ".idx")
            }
        }
        return written
    }

    private func writeTokens(shard s: Int, to path: String, header: [UInt8]) throws(ShardError) -> String {
        let reader = set.shards[s]
        try wrap {
            let file = try DurableFile(path: path)
            try file.write(header)
            for f in reader.seekTable.entries.indices {
                try file.write(try reader.decompress(frame: f))
            }
            try file.commit()
        }
        return path
    }

    private func llmcHeader(tokens: Int, path: String) throws(ShardError) -> [UInt8] {
        guard tokens <= Int(Int32.max) else { throw ShardError(path: path, "\(tokens) tokens do not fit the llm.c header's int32 count") }
        let wide = set.manifest.dtype == .uint32
        var header: [UInt8] = []
        header.reserveCapacity(1024)
        header.appendLittleEndian(Int32(wide ? 20_240_801 : 20_240_520))
        header.appendLittleEndian(Int32(wide ? 7 : 1))
        header.appendLittleEndian(Int32(tokens))
        header += repeatElement(0, count: 1024 - 12)
        return header
    }

    /// A format 1.0 header whose total length (magic included) is a multiple of 64.
    private func npyHeader(tokens: Int) -> [UInt8] {
        let descr = set.manifest.dtype == .uint16 ? "<u2" : "<u4"
        var dict = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(tokens),), }".utf8)
        let unpadded = 10 + dict.count + 1
        dict += repeatElement(0x20, count: (64 - unpadded % 64) % 64)
        dict.append(0x0A)
        var header: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        header.appendLittleEndian(UInt16(dict.count))
        return header + dict
    }

    /// The `.idx`: `MMIDIDX\0\0`, uint64 version 1, uint8 dtype code (8 uint16, 4 int32),
    /// uint64 sequence count, uint64 document-index count, int32 sequence lengths, int64 byte
    /// pointers, int64 document indices (0, 1, ..., n: one sequence per document).
    private func megatronIndex(shard s: Int) throws(ShardError) -> [UInt8] {
        let index = try set.documentIndex(s)
        let width = set.manifest.dtype.width
        var out = Array("MMIDIDX".utf8) + [0, 0]
        out.appendLittleEndian(UInt64(1))
        out.append(set.manifest.dtype == .uint16 ? 8 : 4)
        out.appendLittleEndian(UInt64(index.count))
        out.appendLittleEndian(UInt64(index.count + 1))
        for i in 0..<index.count {
            let range = index.range(i)
            guard range.count <= Int(Int32.max) else { throw ShardError(path: set.directory, "document \(index.id(i)) has \(range.count) tokens, more than a Megatron int32 length") }
            out.appendLittleEndian(Int32(range.count))
        }
        for i in 0..<index.count { out.appendLittleEndian(Int64(index.starts[i]) * Int64(width)) }
        for i in 0...index.count { out.appendLittleEndian(Int64(i)) }
        return out
    }
}
