import COpenBLAS
import CurateShards
import Foundation

/// What one optimiser step did.
public struct StepReport: Sendable {
    /// Steps completed, from 1.
    public var step: Int
    public var totalSteps: Int
    /// Mean training loss over the step's micro-batches.
    public var loss: Float
    /// The validation loss, on steps where it was measured.
    public var validationLoss: Float?
    public var learningRate: Double
    /// The global gradient norm before clipping.
    public var gradientNorm: Double
    public var tokensPerSecond: Double
}

/// Trains a GPT-2 on a shard set.
///
/// Validation split: the token stream's windows (see `DataLoader`) are numbered in stream
/// order; the last `validationFraction` of them (at least one) are held out, so validation
/// reads the end of the last shards, the latest documents. Training takes the remaining
/// windows in the DataLoader's shuffled order, skipping held-out ones; validation evaluates
/// the first `validationWindows` held-out windows, always the same ones.
public final class Trainer {
    public let options: TrainingOptions
    public let model: GPT
    public let optimizer: AdamW
    public let shards: String
    public let manifest: ShardManifest
    /// Optimiser steps taken.
    public private(set) var step: Int
    /// Called with each micro-batch's inputs and targets (`batchSize × context` ids each) and
    /// the step's learning rate, before the model sees them.
    public var batchObserver: ((_ inputs: [Int32], _ targets: [Int32], _ learningRate: Double) -> Void)?
    private let loader: DataLoader
    private let firstValidationWindow: Int
    private let validationTokens: [UInt32]
    private let validationCount: Int

    /// A new run from freshly initialised weights.
    public convenience init(shards: String, options: TrainingOptions) throws(TrainerError) {
        try self.init(shards: shards, options: options, checkpoint: nil)
    }

    /// Continues the run saved in `checkpoint`, over `shards` (the checkpoint's own when nil),
    /// optionally with a different total of steps (which changes the schedule).
    public convenience init(resuming checkpoint: String, shards: String? = nil, steps: Int? = nil) throws(TrainerError) {
        var state = try Checkpoint(directory: checkpoint)
        if let steps { state.options.steps = steps }
        try self.init(shards: shards ?? state.shards, options: state.options, checkpoint: (checkpoint, state))
    }

    private init(shards: String, options: TrainingOptions, checkpoint: (directory: String, state: Checkpoint)?) throws(TrainerError) {
        if let problem = options.problem { throw TrainerError(path: "", problem) }
        let set: ShardSet
        do { set = try ShardSet(directory: shards) } catch { throw TrainerError(path: error.path, error.message) }
        let config = options.modelConfig(vocabSize: set.manifest.vocabSize)
        if let checkpoint {
            guard checkpoint.state.vocabSize == set.manifest.vocabSize else {
                throw TrainerError(path: shards, "has a vocabulary of \(set.manifest.vocabSize), the checkpoint \(checkpoint.state.vocabSize)")
            }
            model = try checkpoint.state.loadModel(directory: checkpoint.directory)
            optimizer = try checkpoint.state.loadOptimizer(directory: checkpoint.directory, parameterCount: model.layout.count)
            step = checkpoint.state.step
        } else {
            model = GPT(config: config)
            model.initialize(seed: options.seed)
            optimizer = AdamW(parameterCount: model.layout.count, hyperparameters: options.optimizer)
            step = 0
        }
        self.options = options
        self.shards = shards
        manifest = set.manifest
        let loaderOptions = DataLoader.Options(
            context: options.context, batchSize: 1, seed: options.seed, shuffle: true, epochs: nil,
            prefetch: 2 * options.batchSize * options.accumulation)
        do { loader = try DataLoader(directory: shards, options: loaderOptions, resume: checkpoint?.state.cursor) } catch {
            throw TrainerError(path: error.path, error.message)
        }
        let windows = loader.windowsPerEpoch
        let held = max(1, Int((Double(windows) * options.validationFraction).rounded()))
        guard windows - held >= 1 else {
            throw TrainerError(path: shards, "\(set.tokenCount) tokens make \(windows) windows of \(options.context + 1) tokens: too few for training and validation")
        }
        firstValidationWindow = windows - held
        validationCount = min(held, options.validationWindows)
        let span = options.context + 1
        var tokens: [UInt32] = []
        for w in firstValidationWindow..<(firstValidationWindow + validationCount) {
            do { tokens += try set.tokens((w * options.context)..<(w * options.context + span)) } catch { throw TrainerError(path: error.path, error.message) }
        }
        validationTokens = tokens
    }

    /// The state to save after the current step.
    public var checkpoint: Checkpoint {
        var tokenizer = manifest.tokenizer
        if let t = tokenizer, !t.file.hasPrefix("/") { tokenizer?.file = shards + "/" + t.file }
        return Checkpoint(step: step, options: options, vocabSize: manifest.vocabSize, eodID: manifest.eodID,
                          shards: shards, tokenizer: tokenizer, cursor: loader.cursor)
    }

    /// Saves model, optimiser and data position into `directory`.
    public func save(to directory: String) throws(TrainerError) {
        try checkpoint.save(model: model, optimizer: optimizer, to: directory)
    }

    /// Trains until `until` steps (at most `options.steps`) are done; calls `report` after
    /// every step and saves into `checkpoint`, when given, every `saveEvery` steps and at the end.
    public func train(until: Int? = nil, checkpoint: String? = nil, report: (StepReport) -> Void) throws(TrainerError) {
        let end = min(until ?? options.steps, options.steps)
        let t = options.context, b = options.batchSize
        let schedule = options.schedule
        var inputs = [Int32](repeating: 0, count: b * t), targets = inputs
        while step < end {
            let started = DispatchTime.now().uptimeNanoseconds
            let lr = schedule.rate(at: step)
            model.zeroGradients()
            var lossSum: Double = 0
            for _ in 0..<options.accumulation {
                for k in 0..<b {
                    let window = try nextTrainingWindow()
                    for i in 0..<t {
                        inputs[k * t + i] = Int32(window[i])
                        targets[k * t + i] = Int32(window[i + 1])
                    }
                }
                try checkVocabulary(inputs, targets)
                batchObserver?(inputs, targets, lr)
                lossSum += Double(model.forward(tokens: inputs, targets: targets, batch: b, time: t)!)
                model.backward(scale: 1 / Float(options.accumulation))
            }
            let norm = clipGradients()
            optimizer.update(model.parameters, gradients: model.gradients, layout: model.layout, lr: lr)
            step += 1
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            var validation: Float?
            if step % options.validationEvery == 0 || step == options.steps { validation = try validationLoss() }
            report(StepReport(step: step, totalSteps: options.steps, loss: Float(lossSum / Double(options.accumulation)),
                              validationLoss: validation, learningRate: lr, gradientNorm: norm,
                              tokensPerSecond: Double(b * t * options.accumulation) / seconds))
            if let checkpoint, step % options.saveEvery == 0 || step == end { try save(to: checkpoint) }
        }
    }

    /// The mean loss over the validation windows.
    public func validationLoss() throws(TrainerError) -> Float {
        let t = options.context, span = t + 1
        var sum: Double = 0
        var start = 0
        while start < validationCount {
            let count = min(options.batchSize, validationCount - start)
            var inputs: [Int32] = [], targets: [Int32] = []
            for w in start..<(start + count) {
                let window = validationTokens[(w * span)..<(w * span + span)]
                inputs += window.dropLast().map { Int32($0) }
                targets += window.dropFirst().map { Int32($0) }
            }
            try checkVocabulary(inputs, targets)
            sum += Double(model.forward(tokens: inputs, targets: targets, batch: count, time: t)!) * Double(count)
            start += count
        }
        return Float(sum / Double(validationCount))
    }

    private func nextTrainingWindow() throws(TrainerError) -> [UInt32] {
        while true {
            let batch: DataLoader.Batch?
            do { batch = try loader.next() } catch { throw TrainerError(path: error.path, error.message) }
            guard let batch else { throw TrainerError(path: shards, "the data loader ended") }
            if batch.windowNumbers[0] < firstValidationWindow { return batch.tokens }
        }
    }

    private func checkVocabulary(_ inputs: [Int32], _ targets: [Int32]) throws(TrainerError) {
        let v = Int32(model.config.vocabSize)
        if let bad = (inputs + targets).first(where: { $0 < 0 || $0 >= v }) {
            throw TrainerError(path: shards, "token id \(bad) is outside the manifest's vocabulary of \(v)")
        }
    }

    /// Scales the gradients to a global norm of at most `gradientClip`, as
    /// `torch.nn.utils.clip_grad_norm_` does; returns the norm before.
    private func clipGradients() -> Double {
        let g = model.gradients
        let norm = sumOfSquares(UnsafePointer(g.baseAddress!), count: g.count).squareRoot()
        if options.gradientClip > 0 {
            let scale = Float(min(1, options.gradientClip / (norm + 1e-6)))
            if scale < 1 {
                let p = SharedPointer(g.baseAddress!)
                parallelRows(g.count, cost: 1) { range in vk_scale(p.base + range.lowerBound, range.count, scale) }
            }
        }
        return norm
    }
}
