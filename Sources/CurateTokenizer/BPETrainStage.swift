import CurateCore
import CurateIO

/// The `bpe_train` barrier: trains a byte-level BPE tokenizer on the documents that reach
/// it and writes `tokenizer.json` and `tokenizer.tiktoken` (with its sidecar) to the run
/// folder and its own folder, with the ids of the documents trained on in
/// `training-documents.txt`. Documents pass on unchanged.
public struct BPETrainStage: BarrierStage {
    public let options: BPETrainingOptions
    /// Documents are taken in plan order while their bytes add up to at most this.
    public let sampleBytes: Int

    /// The files `resolve` writes, in both folders.
    public static let outputs = ["tokenizer.json", "tokenizer.tiktoken", "tokenizer.tiktoken.json"]
    public static let documentList = "training-documents.txt"

    public init(options: BPETrainingOptions, sampleBytes: Int) {
        self.options = options
        self.sampleBytes = sampleBytes
    }

    public static let definition = StageDefinition(
        type: "bpe_train",
        summary: "Train a byte-level BPE tokenizer on the documents (tokenizer.json and .tiktoken in the run folder); keeps every document.",
        parameters: [
            Parameter("vocab_size", .integer(min: 257), default: .integer(32000), "Tokens in the vocabulary: 256 bytes, merges and special tokens."),
            Parameter("pattern", .choice(["gpt2", "cl100k", "o200k"]), default: .string("cl100k"), "Split pattern applied before merging, as tiktoken's encodings define it."),
            Parameter("special_tokens", .stringList, default: .array([.string("<|endoftext|>")]), "Special tokens, given the ids after the merged tokens."),
            Parameter("min_frequency", .integer(min: 1), default: .integer(2), "Fewest occurrences of a pair that is merged."),
            Parameter("max_chunk_bytes", .integer(min: 1), default: .integer(128), "Longer pre-tokenized chunks are left out of training."),
            Parameter("sample_bytes", .integer(min: 1), default: .integer(1 << 30), "Bytes of documents trained on, taken whole in plan order."),
            Parameter("memory_mb", .integer(min: 16), default: .integer(1024), "Memory for chunk counts; past it they spill to disk."),
        ]
    ) { options throws(OptionError) in
        let pattern = SplitPattern(name: options.string("pattern") ?? "cl100k") ?? .cl100k
        let specials = options.strings("special_tokens") ?? []
        let vocabularySize = options.int("vocab_size") ?? 32000
        if vocabularySize < 256 + specials.count + 1 {
            throw OptionError(key: "vocab_size", "must leave room for 256 bytes, the \(specials.count) special tokens and a merge")
        }
        if specials.contains("") { throw OptionError(key: "special_tokens", "a special token cannot be empty") }
        return BPETrainStage(
            options: BPETrainingOptions(
                vocabularySize: vocabularySize, pattern: pattern, specialTokens: specials,
                minFrequency: options.int("min_frequency") ?? 2, maxChunkBytes: options.int("max_chunk_bytes") ?? 128,
                memoryBytes: (options.int("memory_mb") ?? 1024) << 20),
            sampleBytes: options.int("sample_bytes") ?? 1 << 30)
    }

    public func resolve(_ context: BarrierContext) throws {
        var options = self.options
        options.workers = context.workers
        let trainer = BPETrainer(options, folder: context.folder)
        var batch: [[UInt8]] = []
        var batchBytes = 0
        var used: [UInt8] = []
        var total = 0
        var documents = 0
        var full = false
        for part in context.parts.indices where !full {
            try context.forEachDocument(part) { document in
                guard !full else { return }
                guard total + document.text.count <= sampleBytes else {
                    full = true
                    return
                }
                total += document.text.count
                documents += 1
                used.append(contentsOf: document.id.utf8)
                used.append(UInt8(ascii: "\n"))
                batch.append(document.text)
                batchBytes += document.text.count
                if batchBytes >= 16 << 20 {
                    try trainer.add(batch)
                    batch.removeAll(keepingCapacity: true)
                    batchBytes = 0
                }
            }
        }
        try trainer.add(batch)
        let (tokenizer, _) = try trainer.train()
        try DurableFile.write(used, to: "\(context.folder)/\(BPETrainStage.documentList)")
        for folder in [context.folder, context.runFolder] {
            try HFTokenizerFile.write(tokenizer, to: "\(folder)/tokenizer.json")
            try TiktokenFile.write(tokenizer, to: "\(folder)/tokenizer.tiktoken")
        }
        try context.recordTokenizer(TokenizerRecord(
            file: "tokenizer.json", sha256: try SHA256.hex(ofFile: "\(context.runFolder)/tokenizer.json"),
            vocabSize: tokenizer.vocabularySize, pattern: tokenizer.pattern.rawValue, trainedOnDocuments: documents,
            trainedOnBytes: Int64(total)))
    }

    public func load(_ context: BarrierContext) throws -> any Stage {
        _ = try TokenizerFile.load("\(context.folder)/tokenizer.tiktoken")
        return KeepEveryDocument()
    }
}

/// Lets every document through: what follows a barrier that only observes.
struct KeepEveryDocument: Stage {
    func process(_ document: inout Document) -> Verdict { .keep }
}
