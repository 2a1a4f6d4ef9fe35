import COpenBLAS
import Foundation

/// Softmax cross-entropy over the vocabulary, in place on the logits.
enum CrossEntropy {
    /// Turns each row of `logits[rows, v]` into probabilities and writes `-log p(target)`
    /// into `losses`.
    static func forward(_ logits: UnsafeMutablePointer<Float>, _ losses: UnsafeMutablePointer<Float>, targets: UnsafePointer<Int32>, rows: Int, v: Int) {
        let l = SharedPointer(logits), out = SharedPointer(losses)
        parallelRows(rows, cost: 4 * v) { range in
            for r in range {
                let x = l.base + r * v
                vk_softmax(x, v)
                out.base[r] = -logf(x[Int(targets[r])])
            }
        }
    }

    /// Turns the probabilities into the gradient of `scale * Σ losses` with respect to the logits.
    static func backward(_ probabilities: UnsafeMutablePointer<Float>, targets: UnsafePointer<Int32>, rows: Int, v: Int, scale: Float) {
        let p = SharedPointer(probabilities)
        parallelRows(rows, cost: 4 * v) { range in
            for r in range {
                let x = p.base + r * v
                x[Int(targets[r])] -= 1
                vk_scale(x, v, scale)
            }
        }
    }
}
