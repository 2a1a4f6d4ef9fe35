#if canImport(Glibc)
import Glibc
#endif

/// One fuzz target: a reader or decoder of untrusted bytes, run on one input. It must return
/// (an error is a fine outcome) and never crash, hang or break the invariants it checks.
public struct FuzzTarget: Sendable {
    /// The target's name, as `scripts/fuzz.sh NAME` and `Tests/Fixtures/fuzz/NAME/` spell it.
    public let name: String
    /// Runs the code under test on `input`; a violated invariant stops the process.
    public let run: @Sendable ([UInt8]) -> Void

    /// Every target, by name.
    public static let all: [String: FuzzTarget] = Dictionary(uniqueKeysWithValues: [
        warc, html, wikitext, fasttext, tiktoken, hfTokenizer, shard, pipeline,
    ].map { ($0.name, $0) })
}

/// A per-process scratch folder for the readers that take a path, on tmpfs when there is one.
enum FuzzScratch {
    static let folder: String = {
        let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        let folder = "\(base)/curate-fuzz-\(getpid())"
        mkdir(folder, 0o700)
        return folder
    }()

    /// Writes `bytes` to `name` in the scratch folder and returns its path.
    static func write(_ bytes: [UInt8], as name: String) -> String {
        let path = folder + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(fd >= 0, "cannot create \(path)")
        defer { close(fd) }
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                precondition(n > 0, "cannot write \(path)")
                done += n
            }
        }
        return path
    }
}
