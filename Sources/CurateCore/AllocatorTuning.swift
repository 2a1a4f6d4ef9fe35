#if canImport(Glibc)
import Glibc
#endif

/// Settings of the C allocator for a process that handles one document after another.
public enum AllocatorTuning {
    /// Extra memory glibc's malloc takes whenever a heap grows and keeps when it shrinks.
    ///
    /// Documents need buffers of a few hundred kilobytes to a few megabytes (a page, its
    /// elided markup, its text) that are freed right after; with glibc's default pad each of
    /// them grows a heap and gives the memory back, and the kernel's page faults and zeroing
    /// took 5% of an end-to-end run's CPU time (bench/e2e.sh: system time 2.1 s -> 0.7 s of
    /// 40 s with this pad), for about 115 MB more resident memory.
    public static let topPad: Int32 = 64 << 20

    /// Applies the settings; call once at start, before threads are started.
    public static func apply() {
        #if canImport(Glibc)
        // malloc.h is not part of the Glibc module: mallopt is looked up by name.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let topPadParameter: Int32 = -2  // M_TOP_PAD
        guard let symbol = dlsym(nil, "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(topPadParameter, topPad)
        #endif
    }
}
