import COpenBLAS
import Foundation

/// AdamW with decoupled weight decay, applied only to the tensors the layout marks as
/// decaying (matrices and embeddings, not biases or LayerNorm). The update is PyTorch's
/// `torch.optim.AdamW` step, operation for operation.
public final class AdamW {
    public struct Hyperparameters: Sendable, Equatable {
        public var beta1: Double
        public var beta2: Double
        public var epsilon: Double
        public var weightDecay: Double

        public init(beta1: Double = 0.9, beta2: Double = 0.95, epsilon: Double = 1e-8, weightDecay: Double = 0.1) {
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
            self.weightDecay = weightDecay
        }
    }

    public let hyperparameters: Hyperparameters
    /// Steps taken so far.
    public var step = 0
    private let firstMoment: Buffer
    private let secondMoment: Buffer

    public init(parameterCount: Int, hyperparameters: Hyperparameters) {
        self.hyperparameters = hyperparameters
        firstMoment = Buffer(parameterCount)
        secondMoment = Buffer(parameterCount)
    }

    /// The running mean of the gradients (`exp_avg`).
    public var exponentialAverage: UnsafeMutableBufferPointer<Float> { firstMoment.buffer }
    /// The running mean of the squared gradients (`exp_avg_sq`).
    public var exponentialAverageSquared: UnsafeMutableBufferPointer<Float> { secondMoment.buffer }

    /// One step at learning rate `lr`.
    public func update(_ parameters: UnsafeMutableBufferPointer<Float>, gradients: UnsafeMutableBufferPointer<Float>, layout: ParameterLayout, lr: Double) {
        step += 1
        let h = hyperparameters
        let b1 = Float(h.beta1), b2 = Float(h.beta2), eps = Float(h.epsilon)
        let stepSize = Float(lr / (1 - pow(h.beta1, Double(step))))
        let correction2 = Float((1 - pow(h.beta2, Double(step))).squareRoot())
        let p = SharedPointer(parameters.baseAddress!), g = SharedPointer(gradients.baseAddress!)
        let m = SharedPointer(firstMoment.pointer), v = SharedPointer(secondMoment.pointer)
        for tensor in layout.tensors {
            let decay = tensor.decays ? Float(1 - lr * h.weightDecay) : 1
            let base = tensor.offset
            parallelRows(tensor.count, cost: 16) { range in
                let k = base + range.lowerBound
                vk_adamw(p.base + k, m.base + k, v.base + k, g.base + k, range.count, decay, b1, b2, eps, stepSize, correction2)
            }
        }
    }
}
