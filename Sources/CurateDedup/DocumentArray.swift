import CurateIO
#if canImport(Glibc)
import Glibc
#endif

/// One 32-bit value per document, indexed by dense document number (see
/// ``DocumentNumbering``): a flat array in memory when it fits in `memoryBytes`, otherwise
/// a file in the barrier's folder read and written through a cache of `memoryBytes` of pages.
final class DocumentArray {
    let count: Int
    /// The whole array, when it fits in memory.
    private let storage: PageBuffer<UInt32>?
    private let memory: UnsafeMutablePointer<UInt32>?
    private let file: PagedFile?

    /// Entries per page of the on-disk array with a cache of `memoryBytes`: at most 4096,
    /// and small enough that the cache holds 8 pages.
    static func pageLength(memoryBytes: Int) -> Int {
        min(4096, max(4, memoryBytes / 32))
    }

    /// Whether `count` entries fit in `memoryBytes`.
    static func fitsInMemory(count: Int, memoryBytes: Int) -> Bool {
        count * MemoryLayout<UInt32>.stride <= memoryBytes
    }

    /// An array of `count` entries equal to `value`; `path` names its file if it goes to disk.
    init(count: Int, repeating value: UInt32, memoryBytes: Int, path: String) throws(IOError) {
        self.count = count
        if Self.fitsInMemory(count: count, memoryBytes: memoryBytes) {
            let storage = PageBuffer<UInt32>(capacity: count)
            storage.buffer.initialize(repeating: value)
            self.storage = storage
            memory = storage.buffer.baseAddress
            file = nil
        } else {
            storage = nil
            memory = nil
            let pageLength = Self.pageLength(memoryBytes: memoryBytes)
            file = try PagedFile(path: path, count: count, repeating: value, pageLength: pageLength,
                                 pages: max(2, memoryBytes / (pageLength * MemoryLayout<UInt32>.stride)))
        }
    }

    /// Whether the array lives on disk.
    var isOnDisk: Bool { file != nil }

    @inline(__always)
    func get(_ i: Int) throws(IOError) -> UInt32 {
        if let memory { return memory[i] }
        return try file!.get(i)
    }

    @inline(__always)
    func set(_ i: Int, _ value: UInt32) throws(IOError) {
        if let memory {
            memory[i] = value
            return
        }
        try file!.set(i, value)
    }
}

/// The on-disk storage of a ``DocumentArray``: a direct-mapped cache of pages over a file
/// that is deleted when the array goes away.
private final class PagedFile {
    private let path: String
    private let fd: Int32
    private let slots: Int
    private let cache: UnsafeMutablePointer<UInt32>
    /// The page each cache slot holds, or -1.
    private var slotPage: [Int]
    private var slotDirty: [Bool]
    private let pageLength: Int

    init(path: String, count: Int, repeating value: UInt32, pageLength: Int, pages: Int) throws(IOError) {
        self.path = path
        self.pageLength = pageLength
        fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ioError(path, "cannot create") }
        let pageCount = (count + pageLength - 1) / pageLength
        slots = max(1, min(pages, pageCount))
        cache = UnsafeMutablePointer<UInt32>.allocate(capacity: slots * pageLength)
        slotPage = [Int](repeating: -1, count: slots)
        slotDirty = [Bool](repeating: false, count: slots)
        // Every page starts as `value`.
        cache.initialize(repeating: value, count: slots * pageLength)
        let bytes = pageLength * MemoryLayout<UInt32>.stride
        for page in 0..<pageCount {
            try pwriteFully(fd, UnsafeRawBufferPointer(start: cache, count: bytes), at: Int64(page * bytes), path: path)
        }
    }

    deinit {
        cache.deallocate()
        close(fd)
        _ = path.withCString { unlink($0) }
    }

    @inline(__always)
    func get(_ i: Int) throws(IOError) -> UInt32 {
        try slot(i)[i % pageLength]
    }

    @inline(__always)
    func set(_ i: Int, _ value: UInt32) throws(IOError) {
        let page = try slot(i)
        page[i % pageLength] = value
        slotDirty[(i / pageLength) % slots] = true
    }

    /// The cached page holding entry `i`, reading it (and writing back what it replaces) if needed.
    private func slot(_ i: Int) throws(IOError) -> UnsafeMutablePointer<UInt32> {
        let page = i / pageLength, slot = page % slots
        let base = cache + slot * pageLength
        if slotPage[slot] == page { return base }
        let bytes = pageLength * MemoryLayout<UInt32>.stride
        if slotDirty[slot] {
            try pwriteFully(fd, UnsafeRawBufferPointer(start: base, count: bytes), at: Int64(slotPage[slot] * bytes), path: path)
            slotDirty[slot] = false
        }
        try preadFully(fd, UnsafeMutableRawBufferPointer(start: base, count: bytes), at: Int64(page * bytes), path: path)
        slotPage[slot] = page
        return base
    }
}
