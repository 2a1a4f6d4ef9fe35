import Foundation
import Synchronization

/// Runs `body` for every index below `count` on at most `workers` threads; indices are
/// taken in ascending order. The first error thrown is rethrown once all threads stop.
func parallelForEach(count: Int, workers: Int, _ body: @Sendable (Int) throws -> Void) throws {
    let next = Atomic<Int>(0)
    let failure = Mutex<(any Error)?>(nil)
    let threads = max(1, min(workers, count))
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
        while true {
            let index = next.add(1, ordering: .relaxed).oldValue
            guard index < count, failure.withLock({ $0 == nil }) else { return }
            do {
                try body(index)
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
                return
            }
        }
    }
    if let error = failure.withLock({ $0 }) { throw error }
}
