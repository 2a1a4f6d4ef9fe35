/// The training arguments stored at the head of a fastText model; prediction depends on
/// `dim`, `wordNgrams`, `loss`, `model`, `bucket`, `minn` and `maxn`.
public struct FastTextArgs: Sendable, Equatable {
    /// fastText's output layers, with their numbers in the file.
    public enum Loss: Int32, Sendable {
        case hierarchicalSoftmax = 1, negativeSampling, softmax, oneVsAll
    }

    /// fastText's model kinds, with their numbers in the file; only `supervised` predicts labels.
    public enum Model: Int32, Sendable {
        case cbow = 1, skipgram, supervised
    }

    public var dim: Int
    public var ws: Int
    public var epoch: Int
    public var minCount: Int
    public var neg: Int
    public var wordNgrams: Int
    public var loss: Loss
    public var model: Model
    public var bucket: Int
    public var minn: Int
    public var maxn: Int
    public var lrUpdateRate: Int
    public var t: Double

    /// Reads the 13 fields in the file's order; `version` 11 supervised models used no
    /// character n-grams, whatever `maxn` says.
    init(reading reader: inout FastTextFileReader, version: Int32) throws(FastTextModelError) {
        dim = try reader.count32("args.dim", in: 1...65536)
        ws = Int(try reader.int32("args.ws"))
        epoch = Int(try reader.int32("args.epoch"))
        minCount = Int(try reader.int32("args.minCount"))
        neg = Int(try reader.int32("args.neg"))
        wordNgrams = Int(try reader.int32("args.wordNgrams"))
        let lossAt = reader.offset
        let lossValue = try reader.int32("args.loss")
        guard let loss = Loss(rawValue: lossValue) else { throw FastTextModelError("args.loss at byte \(lossAt) is \(lossValue), expected 1...4") }
        self.loss = loss
        let modelAt = reader.offset
        let modelValue = try reader.int32("args.model")
        guard let model = Model(rawValue: modelValue) else { throw FastTextModelError("args.model at byte \(modelAt) is \(modelValue), expected 1...3") }
        self.model = model
        bucket = try reader.count32("args.bucket", in: 0...Int(Int32.max))
        minn = Int(try reader.int32("args.minn"))
        maxn = Int(try reader.int32("args.maxn"))
        lrUpdateRate = Int(try reader.int32("args.lrUpdateRate"))
        t = try reader.double("args.t")
        if version == 11, model == .supervised { maxn = 0 }
    }
}
