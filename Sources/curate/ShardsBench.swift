import ArgumentParser
import CurateShards
import Foundation

/// Timings for bench/shards.sh: random windows through the shard reader (and, for
/// comparison, through an mmap of an uncompressed llm.c export), and DataLoader throughput.
struct ShardsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time random-window reads and the DataLoader on a shards folder; prints JSON.",
        shouldDisplay: false)

    @Argument(help: "The shards folder.", completion: .directory)
    var directory: String

    @Option(help: "Random windows to read.")
    var windows = 5000

    @Option(help: "Tokens per window.")
    var length = 2049

    @Option(help: "Seed of the window positions.")
    var seed: UInt64 = 1

    @Option(help: "An llm.c .bin export of the same (single-shard) set, read through mmap for comparison.", completion: .file())
    var llmc: String?

    @Option(help: "DataLoader context (0 to skip the DataLoader).")
    var context = 1024

    @Option(help: "DataLoader batch size.")
    var batch = 8

    func run() throws {
        let set = try ShardSet(directory: directory)
        let starts = positions(count: set.tokenCount)
        var out = [UInt32](repeating: 0, count: length)
        let shardTimes = try out.withUnsafeMutableBufferPointer { buffer in
            try starts.map { start in try time { try set.read(start..<(start + length), into: buffer.baseAddress!) } }
        }
        var checksum = out.reduce(0, &+)
        var result = ["shard_window": summary(shardTimes)]
        if let llmc {
            let (times, sum) = try mmapWindows(llmc, starts: starts, dtype: set.manifest.dtype)
            result["llmc_mmap_window"] = summary(times)
            checksum &+= sum
        }
        var fields = result.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }
        if context > 0 {
            for shuffle in [false, true] {
                let loader = try DataLoader(directory: directory, options: .init(context: context, batchSize: batch, shuffle: shuffle))
                let clock = ContinuousClock()
                let started = clock.now
                var tokens = 0
                while let batch = try loader.next() {
                    tokens += batch.windows * context
                    checksum &+= batch.tokens[0]
                }
                let seconds = seconds(clock.now - started)
                fields.append("\"loader_\(shuffle ? "shuffled" : "sequential")\": {\"tokens\": \(tokens), \"seconds\": \(seconds), \"tokens_per_second\": \(Double(tokens) / seconds)}")
            }
        }
        fields.append("\"checksum\": \(checksum)")
        print("{" + fields.joined(separator: ", ") + "}")
    }

    private func positions(count: Int) -> [Int] {
        var state = seed
        return (0..<windows).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 11) % UInt64(count - length + 1))
        }
    }

    private func mmapWindows(_ path: String, starts: [Int], dtype: TokenType) throws -> ([(wall: Double, cpu: Double)], UInt32) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ValidationError("cannot open \(path)") }
        defer { close(fd) }
        var status = stat()
        fstat(fd, &status)
        let size = Int(status.st_size)
        guard let base = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), base != MAP_FAILED else { throw ValidationError("cannot mmap \(path)") }
        defer { munmap(base, size) }
        let data = UnsafeRawPointer(base) + 1024
        var out = [UInt32](repeating: 0, count: length)
        let times = out.withUnsafeMutableBufferPointer { buffer in
            starts.map { start in
                time {
                    let p = buffer.baseAddress!
                    if dtype == .uint16 {
                        let source = data.assumingMemoryBound(to: UInt16.self) + start
                        for i in 0..<length { p[i] = UInt32(UInt16(littleEndian: source[i])) }
                    } else {
                        let source = data.assumingMemoryBound(to: UInt32.self) + start
                        for i in 0..<length { p[i] = UInt32(littleEndian: source[i]) }
                    }
                }
            }
        }
        return (times, out.reduce(0, &+))
    }

    /// Wall-clock and thread CPU microseconds of `body`; CPU time leaves out the time the
    /// thread waited for a core on a shared machine.
    private func time(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        let clock = ContinuousClock()
        let cpuStart = threadCPU()
        let started = clock.now
        try body()
        let wall = seconds(clock.now - started) * 1e6
        return (wall, (threadCPU() - cpuStart) * 1e6)
    }

    private func threadCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Median and p99 in microseconds, wall-clock and thread CPU time.
    private func summary(_ times: [(wall: Double, cpu: Double)]) -> String {
        func stats(_ values: [Double]) -> (Double, Double) {
            let sorted = values.sorted()
            return (sorted[sorted.count / 2], sorted[min(sorted.count - 1, sorted.count * 99 / 100)])
        }
        let (wallMedian, wallP99) = stats(times.map(\.wall))
        let (cpuMedian, cpuP99) = stats(times.map(\.cpu))
        return "{\"median_us\": \(wallMedian), \"p99_us\": \(wallP99), \"cpu_median_us\": \(cpuMedian), \"cpu_p99_us\": \(cpuP99)}"
    }
}
