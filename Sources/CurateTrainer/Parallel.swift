import Foundation

/// A raw pointer that may cross into the worker threads of `parallelRows`; the caller makes
/// sure the threads write disjoint elements.
struct SharedPointer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    init(_ base: UnsafeMutablePointer<Float>) { self.base = base }
}

/// Worker threads used by the element-wise kernels.
let workerCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

/// Calls `body` with consecutive slices of `0..<count`, one slice per worker, on all cores;
/// small counts run on the calling thread. The slicing depends only on `count` and the number
/// of workers, so results are the same from run to run.
func parallelRows(_ count: Int, minimumPerWorker: Int = 16, _ body: (Range<Int>) -> Void) {
    let workers = min(workerCount, max(1, count / minimumPerWorker))
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
