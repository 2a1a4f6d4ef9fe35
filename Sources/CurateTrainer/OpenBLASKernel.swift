import COpenBLAS
import Foundation

/// OpenBLAS picks its matrix kernels from the CPU model at load time; on CPUs it does not know
/// (virtual machines often report a generic "Xeon Processor") it falls back to the SSE3
/// `Prescott` kernels, 2-3x slower than the AVX2 / AVX-512 ones the CPU can run. The choice
/// can only be changed through `OPENBLAS_CORETYPE` before the library loads.
public enum OpenBLASKernel {
    /// The kernels OpenBLAS chose, e.g. `Haswell`.
    public static var current: String { String(cString: openblas_get_corename()) }

    /// The `OPENBLAS_CORETYPE` to start with instead, or nil when the current kernels already
    /// fit the CPU or the variable is set.
    public static func better() -> String? {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil else { return nil }
        guard ["prescott", "core2", "nehalem", "unknown"].contains(current.lowercased()) else { return nil }
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) { return "SkylakeX" }
        if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }
}
