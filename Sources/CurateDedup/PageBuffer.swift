import CurateIO
#if canImport(Glibc)
import Glibc
#endif

/// A large buffer mapped straight from the system rather than taken from malloc, so that its
/// pages count toward the resident set only once written and all go back when it is freed
/// (malloc keeps freed memory for reuse, which would let dedup's phases add up).
final class PageBuffer<T: BitwiseCopyable> {
    let buffer: UnsafeMutableBufferPointer<T>
    private let bytes: Int

    init(capacity: Int) {
        bytes = max(1, capacity * MemoryLayout<T>.stride)
        let address = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let address, address != MAP_FAILED else {
            fatalError("dedup: cannot map \(bytes) bytes: \(String(cString: strerror(errno)))")
        }
        buffer = UnsafeMutableBufferPointer(start: address.bindMemory(to: T.self, capacity: capacity), count: capacity)
    }

    deinit { munmap(buffer.baseAddress, bytes) }
}

/// Hands memory that earlier steps freed back to the system (glibc's `malloc_trim`), so that
/// the next step's peak does not sit on top of it.
func releaseFreedMemory() {
    _ = mallocTrim?(0)
}

/// glibc's `malloc_trim`, which the Glibc module does not export (it is in <malloc.h>).
private let mallocTrim: (@convention(c) (Int) -> Int32)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
}()
