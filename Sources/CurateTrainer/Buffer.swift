/// A zero-filled float32 allocation owned by a model or optimizer.
final class Buffer {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(_ count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(repeating: 0, count: max(1, count))
    }

    deinit { pointer.deallocate() }

    func zero() {
        let p = SharedPointer(pointer)
        parallelRows(count, cost: 1) { range in (p.base + range.lowerBound).update(repeating: 0, count: range.count) }
    }
    var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }
}
