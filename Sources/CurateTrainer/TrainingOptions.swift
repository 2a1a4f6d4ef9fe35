import CurateCore

/// Everything that fixes a training run besides the data: the model's shape, the batch, the
/// optimiser and its schedule, validation, logging and checkpoints.
public struct TrainingOptions: Sendable, Equatable {
    public var layers: Int
    public var heads: Int
    public var width: Int
    /// Tokens per training window, also the model's `n_positions`.
    public var context: Int
    /// Windows per micro-batch.
    public var batchSize: Int
    /// Micro-batches whose gradients are summed (averaged) into one optimiser step.
    public var accumulation: Int
    public var steps: Int
    public var learningRate: Double
    /// The rate at the last step, as a fraction of `learningRate`.
    public var minimumRateFraction: Double
    public var warmupSteps: Int
    public var weightDecay: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    /// The largest global gradient norm; larger gradients are scaled down to it (0: off).
    public var gradientClip: Double
    /// Fraction of the windows, taken from the end of the token stream, held out for validation.
    public var validationFraction: Double
    /// Validation windows evaluated, at most (the first of the held-out ones).
    public var validationWindows: Int
    public var validationEvery: Int
    public var logEvery: Int
    public var saveEvery: Int
    public var seed: UInt64

    /// 2 layers of width 64 over 64 tokens: trains in seconds, for tests and trying things out.
    public static let tiny = TrainingOptions(
        layers: 2, heads: 2, width: 64, context: 64, batchSize: 8, accumulation: 1, steps: 500, learningRate: 3e-3,
        minimumRateFraction: 0.1, warmupSteps: 20, weightDecay: 0.1, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, gradientClip: 1,
        validationFraction: 0.05, validationWindows: 64, validationEvery: 50, logEvery: 10, saveEvery: 500, seed: 1337)

    /// 6 layers of width 384 over 256 tokens (≈ 10.8M parameters besides the embedding).
    public static let small = TrainingOptions(
        layers: 6, heads: 6, width: 384, context: 256, batchSize: 16, accumulation: 2, steps: 5000, learningRate: 6e-4,
        minimumRateFraction: 0.1, warmupSteps: 200, weightDecay: 0.1, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, gradientClip: 1,
        validationFraction: 0.01, validationWindows: 256, validationEvery: 250, logEvery: 10, saveEvery: 500, seed: 1337)

    public static let named: [String: TrainingOptions] = ["tiny": tiny, "small": small]

    public func modelConfig(vocabSize: Int) -> GPTConfig {
        GPTConfig(vocabSize: vocabSize, context: context, layers: layers, heads: heads, width: width)
    }

    public var schedule: LearningRateSchedule {
        LearningRateSchedule(peak: learningRate, minimum: learningRate * minimumRateFraction, warmupSteps: warmupSteps, totalSteps: steps)
    }

    public var optimizer: AdamW.Hyperparameters {
        AdamW.Hyperparameters(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    }

    /// Why the options cannot train, or nil.
    public var problem: String? {
        if let problem = modelConfig(vocabSize: 1).problem { return problem }
        if batchSize < 1 || accumulation < 1 { return "batch size \(batchSize) and accumulation \(accumulation) must be positive" }
        if steps < 1 { return "steps \(steps) must be positive" }
        if !(learningRate > 0) { return "the learning rate \(learningRate) must be positive" }
        if !(0...1).contains(minimumRateFraction) { return "the minimum rate fraction \(minimumRateFraction) is not in [0, 1]" }
        if warmupSteps < 0 || gradientClip < 0 || weightDecay < 0 { return "warmup, gradient clip and weight decay must not be negative" }
        if !(validationFraction > 0 && validationFraction < 1) { return "the validation fraction \(validationFraction) is not in (0, 1)" }
        if validationWindows < 1 || validationEvery < 1 || logEvery < 1 || saveEvery < 1 { return "validation windows and the every-N options must be positive" }
        return nil
    }

    /// The options as a JSON object (numbers read back exactly).
    public var json: JSONValue {
        .object(JSONObject([
            ("layers", .integer(layers)), ("heads", .integer(heads)), ("width", .integer(width)), ("context", .integer(context)),
            ("batch_size", .integer(batchSize)), ("accumulation", .integer(accumulation)), ("steps", .integer(steps)),
            ("learning_rate", .number("\(learningRate)")), ("minimum_rate_fraction", .number("\(minimumRateFraction)")),
            ("warmup_steps", .integer(warmupSteps)), ("weight_decay", .number("\(weightDecay)")), ("beta1", .number("\(beta1)")),
            ("beta2", .number("\(beta2)")), ("epsilon", .number("\(epsilon)")), ("gradient_clip", .number("\(gradientClip)")),
            ("validation_fraction", .number("\(validationFraction)")), ("validation_windows", .integer(validationWindows)),
            ("validation_every", .integer(validationEvery)), ("log_every", .integer(logEvery)), ("save_every", .integer(saveEvery)),
            ("seed", .number(String(seed))),
        ]))
    }

    /// Parses `json`; errors name the key.
    public init(json value: JSONValue, path: String) throws(TrainerError) {
        guard case let .object(o) = value else { throw TrainerError(path: path, "options is not an object") }
        func number(_ key: String) throws(TrainerError) -> String {
            guard case let .number(text)? = o[key] else { throw TrainerError(path: path, "options.\(key) is missing or not a number") }
            return text
        }
        func int(_ key: String) throws(TrainerError) -> Int {
            guard let n = Int(try number(key)) else { throw TrainerError(path: path, "options.\(key) is not an integer") }
            return n
        }
        func double(_ key: String) throws(TrainerError) -> Double {
            guard let d = Double(try number(key)) else { throw TrainerError(path: path, "options.\(key) is not a number") }
            return d
        }
        guard let seed = UInt64(try number("seed")) else { throw TrainerError(path: path, "options.seed is not an unsigned integer") }
        self.init(
            layers: try int("layers"), heads: try int("heads"), width: try int("width"), context: try int("context"),
            batchSize: try int("batch_size"), accumulation: try int("accumulation"), steps: try int("steps"),
            learningRate: try double("learning_rate"), minimumRateFraction: try double("minimum_rate_fraction"),
            warmupSteps: try int("warmup_steps"), weightDecay: try double("weight_decay"), beta1: try double("beta1"),
            beta2: try double("beta2"), epsilon: try double("epsilon"), gradientClip: try double("gradient_clip"),
            validationFraction: try double("validation_fraction"), validationWindows: try int("validation_windows"),
            validationEvery: try int("validation_every"), logEvery: try int("log_every"), saveEvery: try int("save_every"), seed: seed)
    }

    public init(
        layers: Int, heads: Int, width: Int, context: Int, batchSize: Int, accumulation: Int, steps: Int, learningRate: Double,
        minimumRateFraction: Double, warmupSteps: Int, weightDecay: Double, beta1: Double, beta2: Double, epsilon: Double,
        gradientClip: Double, validationFraction: Double, validationWindows: Int, validationEvery: Int, logEvery: Int, saveEvery: Int, seed: UInt64
    ) {
        self.layers = layers
        self.heads = heads
        self.width = width
        self.context = context
        self.batchSize = batchSize
        self.accumulation = accumulation
        self.steps = steps
        self.learningRate = learningRate
        self.minimumRateFraction = minimumRateFraction
        self.warmupSteps = warmupSteps
        self.weightDecay = weightDecay
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.gradientClip = gradientClip
        self.validationFraction = validationFraction
        self.validationWindows = validationWindows
        self.validationEvery = validationEvery
        self.logEvery = logEvery
        self.saveEvery = saveEvery
        self.seed = seed
    }
}
