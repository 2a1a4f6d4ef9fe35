import Synchronization

/// Results written by index from several threads, each index by exactly one.
final class UnsafeResults<Value>: @unchecked Sendable {
    private var storage: [Value?]

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) {
        storage.withUnsafeMutableBufferPointer { $0[index] = value }
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
