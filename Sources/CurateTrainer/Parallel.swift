import COpenBLAS
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

/// Calls `body` with consecutive slices of `0..<count`, one slice per worker, on up to
/// `workers` cores, where `cost` is the work of one item; small jobs run on the calling
/// thread. Each item is computed the same way whatever the slicing, so results do not depend
/// on the number of cores.
func parallelRows(_ count: Int, cost: Int, workers available: Int = workerCount, _ body: (Range<Int>) -> Void) {
    let workers = min(available, max(1, count * cost / workPerWorker))
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

/// Runs two independent jobs at the same time, the cores shared between them: each is called
/// with the number of workers it may split its own work over (on one core, one after the other).
/// Two products of equal size run whole this way instead of each being split over all cores.
func concurrently(_ first: (_ workers: Int) -> Void, _ second: (_ workers: Int) -> Void) {
    guard workerCount > 1 else {
        first(1)
        second(1)
        return
    }
    let half = workerCount / 2
    withoutActuallyEscaping(first) { first in
        withoutActuallyEscaping(second) { second in
            let box = UncheckedBox((first, second))
            DispatchQueue.concurrentPerform(iterations: 2) { job in
                if job == 0 { box.value.0(half) } else { box.value.1(workerCount - half) }
            }
        }
    }
}

/// The sum of the squares of `x[0..<count]` in double precision: fixed chunks summed over the
/// cores, the chunks' sums added in order, so the result does not depend on the number of cores.
func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
    let chunk = 1 << 16, chunks = (count + chunk - 1) / chunk
    var sums = [Double](repeating: 0, count: chunks)
    sums.withUnsafeMutableBufferPointer { buffer in
        let out = UncheckedBox(buffer.baseAddress!)
        parallelRows(chunks, cost: chunk) { range in
            for i in range { vk_sum_squares(out.value + i, x + i * chunk, min(chunk, count - i * chunk)) }
        }
    }
    return sums.reduce(0, +)
}

private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
