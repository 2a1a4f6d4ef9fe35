import Foundation

/// A raw pointer that may cross into the worker threads of `parallelRows`; the caller makes
/// sure the threads write disjoint elements.
struct SharedPointer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    init(_ base: UnsafeMutablePointer<Float>) { self.base = base }
}

/// Worker threads used by the element-wise kernels.
let workerCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

/// Work (roughly, element operations) below which a worker is not worth waking: each
/// hand-off costs a few microseconds, and far more on a loaded machine.
let workPerWorker = 1 << 16

/// Calls `body` with consecutive slices of `0..<count`, one slice per worker, on all cores,
/// where `cost` is the work of one item; small jobs run on the calling thread. Each item is
/// computed the same way whatever the slicing, so results do not depend on the number of cores.
func parallelRows(_ count: Int, cost: Int, _ body: (Range<Int>) -> Void) {
    let workers = min(workerCount, max(1, count * cost / workPerWorker))
    if workers <= 1 {
        body(0..<count)
        return
    }
    withoutActuallyEscaping(body) { body in
        let box = UncheckedBox(body)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            box.value((count * w / workers)..<(count * (w + 1) / workers))
        }
    }
}

private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
