import CurateShards

extension FuzzTarget {
    /// The shard reader (seek table, frames) and the manifest decoder, on the same bytes.
    /// Reads the first and last tokens of the first frames, without trusting the sizes claimed.
    static let shard = FuzzTarget(name: "shard") { input in
        _ = try? ShardManifest.decode(input, path: "manifest.json")
        let path = FuzzScratch.write(input, as: "shard-00000.tok.zst")
        for dtype in [TokenType.uint16, .uint32] {
            guard let reader = try? ShardReader(path: path, dtype: dtype, cacheFrames: 1) else { continue }
            var first = 0
            for entry in reader.seekTable.entries.prefix(64) {
                let end = first + Int(entry.decompressedSize) / dtype.width
                if end > first {
                    _ = try? reader.tokens(first..<min(first + 16, end))
                    _ = try? reader.tokens(end - 1..<end)
                }
                first = end
            }
            precondition(first <= reader.tokenCount, "the frames hold more tokens than the shard")
        }
    }
}
