import Foundation

/// Linear warmup to the peak rate, then a cosine decay to `minimum` at the last step.
public struct LearningRateSchedule: Sendable, Equatable {
    public var peak: Double
    public var minimum: Double
    public var warmupSteps: Int
    public var totalSteps: Int

    public init(peak: Double, minimum: Double, warmupSteps: Int, totalSteps: Int) {
        self.peak = peak
        self.minimum = minimum
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// The rate for step `step` (from 0).
    public func rate(at step: Int) -> Double {
        if step < warmupSteps { return peak * Double(step + 1) / Double(warmupSteps) }
        let span = max(1, totalSteps - 1 - warmupSteps)
        let progress = min(1, Double(step - warmupSteps) / Double(span))
        return minimum + 0.5 * (peak - minimum) * (1 + cos(Double.pi * progress))
    }
}
