import CurateCore
import CurateIO
import CurateShards
import Foundation

/// A training checkpoint folder: `model.safetensors` (Hugging Face GPT-2 names and shapes),
/// `optimizer.safetensors` (AdamW's `exp_avg` and `exp_avg_sq`, flat, in the model's layout)
/// and `trainer.json` (step, options, data and the DataLoader cursor).
public struct Checkpoint: Sendable {
    public static let modelFile = "model.safetensors"
    public static let optimizerFile = "optimizer.safetensors"
    public static let stateFile = "trainer.json"
    static let formatName = "curate-train-checkpoint"
    static let formatVersion = 1

    /// Optimiser steps taken.
    public var step: Int
    public var options: TrainingOptions
    public var vocabSize: Int
    public var eodID: UInt32
    /// The shard folder trained on.
    public var shards: String
    /// The tokenizer the shards' manifest names, with its path resolved against the shards folder.
    public var tokenizer: TokenizerReference?
    /// Where the training data stands.
    public var cursor: DataLoaderCursor

    public var modelConfig: GPTConfig { options.modelConfig(vocabSize: vocabSize) }

    /// Writes the three files into `directory` (created if needed), `trainer.json` last.
    public func save(model: GPT, optimizer: AdamW, to directory: String) throws(TrainerError) {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw TrainerError(path: directory, "cannot create the folder: \(error.localizedDescription)")
        }
        let metadata = [("format", "pt"), ("step", String(step))]
        try Checkpoint.writeModel(model, metadata: metadata, to: directory + "/" + Checkpoint.modelFile)
        let count = model.layout.count
        try SafeTensors.write([
            ("exp_avg", [count], UnsafeBufferPointer(optimizer.exponentialAverage)),
            ("exp_avg_sq", [count], UnsafeBufferPointer(optimizer.exponentialAverageSquared)),
        ], metadata: metadata + [("optimizer_step", String(optimizer.step))], to: directory + "/" + Checkpoint.optimizerFile)
        let cursorValue = try? JSONParser.parse(Array(cursor.json().utf8))
        let state = JSONValue.object(JSONObject([
            ("format", .string(Checkpoint.formatName)), ("format_version", .integer(Checkpoint.formatVersion)),
            ("step", .integer(step)), ("vocab_size", .integer(vocabSize)), ("eod_id", .integer(Int(eodID))),
            ("shards", .string(shards)),
            ("tokenizer", tokenizer.map { .object(JSONObject([("file", .string($0.file)), ("sha256", .string($0.sha256))])) } ?? .null),
            ("options", options.json), ("data_cursor", cursorValue ?? .null),
        ]))
        let path = directory + "/" + Checkpoint.stateFile
        do { try DurableFile.write(Array((JSONWriter.serialize(state, pretty: true) + "\n").utf8), to: path) } catch {
            throw TrainerError(path: path, error.message)
        }
    }

    /// Writes the model's parameters under their Hugging Face names.
    static func writeModel(_ model: GPT, metadata: [(String, String)], to path: String) throws(TrainerError) {
        let parameters = UnsafeBufferPointer(model.parameters)
        try SafeTensors.write(model.layout.tensors.map { ($0.name, $0.shape, UnsafeBufferPointer(rebasing: parameters[$0.range])) },
                              metadata: metadata, to: path)
    }

    /// Reads `trainer.json` of the checkpoint in `directory`.
    public init(directory: String) throws(TrainerError) {
        let path = directory + "/" + Checkpoint.stateFile
        guard let data = FileManager.default.contents(atPath: path) else { throw TrainerError(path: path, "cannot read the file; is \(directory) a checkpoint folder?") }
        let value: JSONValue
        do { value = try JSONParser.parse([UInt8](data)) } catch { throw TrainerError(path: path, "byte \(error.offset): invalid JSON: \(error.message)") }
        guard case let .object(o) = value else { throw TrainerError(path: path, "is not a JSON object") }
        guard case .string(Checkpoint.formatName)? = o["format"], case .number("\(Checkpoint.formatVersion)")? = o["format_version"] else {
            throw TrainerError(path: path, "is not a \(Checkpoint.formatName) version \(Checkpoint.formatVersion) file")
        }
        func int(_ key: String) throws(TrainerError) -> Int {
            guard case let .number(text)? = o[key], let n = Int(text), n >= 0 else { throw TrainerError(path: path, "\(key) is not a non-negative integer") }
            return n
        }
        guard case let .string(shards)? = o["shards"] else { throw TrainerError(path: path, "shards is not a string") }
        var tokenizer: TokenizerReference?
        if case let .object(t)? = o["tokenizer"] {
            guard case let .string(file)? = t["file"], case let .string(sha)? = t["sha256"] else { throw TrainerError(path: path, "tokenizer needs file and sha256 strings") }
            tokenizer = TokenizerReference(file: file, sha256: sha)
        }
        guard let cursorValue = o["data_cursor"] else { throw TrainerError(path: path, "data_cursor is missing") }
        let cursor: DataLoaderCursor
        do { cursor = try DataLoaderCursor(json: JSONWriter.serialize(cursorValue)) } catch { throw TrainerError(path: path, "data_cursor: \(error)") }
        guard let options = o["options"] else { throw TrainerError(path: path, "options is missing") }
        self.init(step: try int("step"), options: try TrainingOptions(json: options, path: path), vocabSize: try int("vocab_size"),
                  eodID: UInt32(clamping: try int("eod_id")), shards: shards, tokenizer: tokenizer, cursor: cursor)
    }

    public init(step: Int, options: TrainingOptions, vocabSize: Int, eodID: UInt32, shards: String, tokenizer: TokenizerReference?, cursor: DataLoaderCursor) {
        self.step = step
        self.options = options
        self.vocabSize = vocabSize
        self.eodID = eodID
        self.shards = shards
        self.tokenizer = tokenizer
        self.cursor = cursor
    }

    /// The model saved in `directory`.
    public func loadModel(directory: String) throws(TrainerError) -> GPT {
        if let problem = modelConfig.problem { throw TrainerError(path: directory + "/" + Checkpoint.stateFile, problem) }
        let model = GPT(config: modelConfig)
        let file = try SafeTensors(path: directory + "/" + Checkpoint.modelFile)
        try checkStep(file)
        for tensor in model.layout.tensors {
            try file.read(tensor.name, shape: tensor.shape, into: model.parameters.baseAddress! + tensor.offset)
        }
        return model
    }

    /// The optimiser state saved in `directory`.
    public func loadOptimizer(directory: String, parameterCount: Int) throws(TrainerError) -> AdamW {
        let optimizer = AdamW(parameterCount: parameterCount, hyperparameters: options.optimizer)
        let file = try SafeTensors(path: directory + "/" + Checkpoint.optimizerFile)
        try checkStep(file)
        try file.read("exp_avg", shape: [parameterCount], into: optimizer.exponentialAverage.baseAddress!)
        try file.read("exp_avg_sq", shape: [parameterCount], into: optimizer.exponentialAverageSquared.baseAddress!)
        guard let text = file.metadata["optimizer_step"], let n = Int(text) else { throw TrainerError(path: file.path, "__metadata__.optimizer_step is missing") }
        optimizer.step = n
        return optimizer
    }

    private func checkStep(_ file: SafeTensors) throws(TrainerError) {
        guard file.metadata["step"] == String(step) else {
            throw TrainerError(path: file.path, "was saved at step \(file.metadata["step"] ?? "?"), but \(Checkpoint.stateFile) says step \(step)")
        }
    }
}
