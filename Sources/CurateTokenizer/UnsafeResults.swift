import Synchronization

/// Results written by index from several threads, each index by exactly one.
///
/// The slots live in a buffer allocated once: threads write through its base pointer and
/// never touch a shared Swift array, whose mutating accessors are not safe to call
/// concurrently even at distinct indices.
final class UnsafeResults<Value>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    func set(_ index: Int, _ value: Value) {
        storage[index] = value
    }

    /// Every value, once all are set.
    var values: [Value] { storage.map { $0! } }
}

/// A counter threads take successive numbers from.
final class AtomicCounter: Sendable {
    private let value = Atomic<Int>(0)

    /// The next number, starting at 0.
    func increment() -> Int { value.add(1, ordering: .relaxed).oldValue }
}
