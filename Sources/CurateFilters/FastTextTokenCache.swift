#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The input rows of the tokens a thread has met, so that a token met again (most are: a text's
/// words repeat, and so do a language's) costs a hash and a comparison instead of a dictionary
/// lookup or the hashing of its character n-grams. The rows are kept in the order fastText adds
/// them, so the sums are the same floats. Each thread has its own cache per model, emptied when
/// full and freed when the thread ends. All storage is behind raw pointers: no exclusivity
/// checks on the hot path.
struct FastTextTokenCache {
    private struct Entry {
        var hash: UInt32 = 0
        var length: UInt32 = .max
        var tokenStart: UInt32 = 0
        var rowStart: UInt32 = 0
        var rowCount: UInt32 = 0
    }

    private static let slotCount = 1 << 15
    private static let tokenLimit = slotCount / 2, byteLimit = 1 << 20, rowLimit = 1 << 20

    private let slots: UnsafeMutablePointer<Entry>
    private let bytes: UnsafeMutablePointer<UInt8>
    private let rows: UnsafeMutablePointer<Int32>
    private var tokenCount = 0, byteCount = 0, rowCount = 0
    /// Where the rows of the token being added start, and whether they ran out of room.
    private var pendingStart = 0, overflowed = false

    private init() {
        slots = .allocate(capacity: Self.slotCount)
        slots.initialize(repeating: Entry(), count: Self.slotCount)
        bytes = .allocate(capacity: Self.byteLimit)
        rows = .allocate(capacity: Self.rowLimit)
    }

    /// Calls `body` with the rows of the token, if it was added before; false if not.
    @inline(__always)
    func withRows(of token: UnsafePointer<UInt8>, _ count: Int, hash: UInt32, _ body: (UnsafeBufferPointer<Int32>) -> Void) -> Bool {
        var i = Int(hash) & (Self.slotCount - 1)
        while true {
            let entry = slots[i]
            if entry.length == .max { return false }
            if entry.hash == hash, entry.length == count, memcmp(bytes + Int(entry.tokenStart), token, count) == 0 {
                body(UnsafeBufferPointer(start: rows + Int(entry.rowStart), count: Int(entry.rowCount)))
                return true
            }
            i = (i + 1) & (Self.slotCount - 1)
        }
    }

    /// Starts the rows of a token that `withRows` did not find.
    @inline(__always)
    mutating func begin() {
        if tokenCount >= Self.tokenLimit || byteCount >= Self.byteLimit / 2 || rowCount >= Self.rowLimit / 2 { empty() }
        pendingStart = rowCount
        overflowed = false
    }

    /// Appends a row of the token begun.
    @inline(__always)
    mutating func append(_ row: Int32) {
        guard !overflowed else { return }
        guard rowCount < Self.rowLimit else {
            overflowed = true
            return
        }
        rows[rowCount] = row
        rowCount += 1
    }

    /// Adds the token begun, with the rows appended since, if they fit.
    mutating func commit(_ token: UnsafePointer<UInt8>, _ count: Int, hash: UInt32) {
        guard !overflowed, count <= Self.byteLimit - byteCount else {
            rowCount = pendingStart
            return
        }
        var i = Int(hash) & (Self.slotCount - 1)
        while slots[i].length != .max { i = (i + 1) & (Self.slotCount - 1) }
        slots[i] = Entry(hash: hash, length: UInt32(count), tokenStart: UInt32(byteCount), rowStart: UInt32(pendingStart),
                         rowCount: UInt32(rowCount - pendingStart))
        (bytes + byteCount).update(from: token, count: count)
        byteCount += count
        tokenCount += 1
    }

    private mutating func empty() {
        slots.update(repeating: Entry(), count: Self.slotCount)
        tokenCount = 0
        byteCount = 0
        rowCount = 0
    }

    /// Frees the storage.
    private func deallocate() {
        slots.deallocate()
        bytes.deallocate()
        rows.deallocate()
    }

    /// Each thread's caches, by model number, freed when the thread ends.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            guard let threadCaches = pointer?.assumingMemoryBound(to: ThreadCaches.self) else { return }
            for cache in threadCaches.pointee.caches {
                cache.pointee.deallocate()
                cache.deinitialize(count: 1)
                cache.deallocate()
            }
            threadCaches.deinitialize(count: 1)
            threadCaches.deallocate()
        }
        return key
    }()

    private struct ThreadCaches {
        var models: [Int] = []
        var caches: [UnsafeMutablePointer<FastTextTokenCache>] = []
    }

    private static let nextModel = Atomic<Int>(0)

    /// A number for a new model, naming its caches.
    static func newModelNumber() -> Int { nextModel.add(1, ordering: .relaxed).newValue }

    /// The cache of the calling thread for model `number`.
    static func current(_ number: Int) -> UnsafeMutablePointer<FastTextTokenCache> {
        var threadCaches: UnsafeMutablePointer<ThreadCaches>
        if let existing = pthread_getspecific(key) {
            threadCaches = existing.assumingMemoryBound(to: ThreadCaches.self)
        } else {
            threadCaches = .allocate(capacity: 1)
            threadCaches.initialize(to: ThreadCaches())
            pthread_setspecific(key, threadCaches)
        }
        if let index = threadCaches.pointee.models.firstIndex(of: number) { return threadCaches.pointee.caches[index] }
        let cache = UnsafeMutablePointer<FastTextTokenCache>.allocate(capacity: 1)
        cache.initialize(to: FastTextTokenCache())
        threadCaches.pointee.models.append(number)
        threadCaches.pointee.caches.append(cache)
        return cache
    }
}
