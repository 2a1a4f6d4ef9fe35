/// How the dedup barriers share `memory_mb`, the most memory (resident set) the process
/// should take while they run.
///
/// A fixed reserve is set aside for what dedup does not size itself: the process baseline
/// (binary, Swift runtime: 29-34 MB for `curate dedup-bench run` on an empty input) and
/// each worker's reading, parsing and shingling (about 7 MB in `dedup-bench`: input and file
/// buffers, thread stack and malloc arena). The rest is dedup's own data, whatever
/// the corpus size: sort buffers (sorted in place), the cluster table (4 bytes per
/// document) and the drop table (40 bytes plus the kept id per dropped document); whatever
/// does not fit goes to files in the barrier's folder.
enum DedupMemory {
    /// Set aside for the process baseline.
    static let baselineReserve = 32 << 20
    /// Set aside for each worker's reading, parsing and file buffers.
    static let workerReserve = 8 << 20

    /// The help of the barriers' `memory_mb` parameter.
    static let help = "Most memory (MB) the process should take: dedup's sort buffers, cluster table (4 bytes a document) "
        + "and drop table (40 bytes plus the kept id a dropped document) get it minus 32 MB for the process baseline "
        + "and 8 MB a worker (at least a quarter of it); more goes to disk. The provenance store's page cache "
        + "(up to 64 MB in `curate run`) is not counted."

    /// The bytes of `memoryBytes` dedup's own data may take with `workers` workers: all but
    /// the reserve, and at least a quarter.
    static func dataBytes(_ memoryBytes: Int, workers: Int) -> Int {
        max(memoryBytes / 4, memoryBytes - baselineReserve - max(1, workers) * workerReserve)
    }
}
