import ArgumentParser
import CurateTrainer
import CurateTokenizer
import CurateCore
import CurateIO
import Foundation

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a small GPT-2 on a shards folder, on the CPU.",
        discussion: """
            Named configs: tiny (2 layers, 2 heads, width 64, context 64, batch 8, 500 steps, lr 3e-3) and \
            small (6 layers, 6 heads, width 384, context 256, batch 16 x 2 accumulated, 5000 steps, lr 6e-4); \
            the options below override them. AdamW (betas 0.9/0.95, weight decay on matrices and embeddings \
            only), linear warmup then cosine decay to a tenth of the rate, gradient clipping at norm 1. \
            Validation holds out the last --val-fraction of the token stream's windows (the end of the last \
            shard) and reports the mean loss on up to --val-windows of them. Logs go to stdout, a progress \
            bar to a terminal's stderr. --out is a checkpoint folder (model.safetensors with Hugging Face \
            GPT-2 names, optimizer.safetensors, trainer.json), saved every --save-every steps and at the end; \
            --resume continues from it exactly where it stopped.
            """,
        subcommands: [TrainExport.self, TrainSample.self])

    @Option(help: "The shards folder (manifest.json); with --resume, the checkpoint's by default.", completion: .directory)
    var shards: String?

    @Option(help: "tiny or small.")
    var config = "tiny"

    @Option(help: "Total optimiser steps (fixes the schedule).")
    var steps: Int?

    @Option(help: "The checkpoint folder.", completion: .directory)
    var out: String?

    @Flag(help: "Continue the run saved in --out.")
    var resume = false

    @Option(help: "Seed of the initial weights and the data order.")
    var seed: UInt64?

    @Option(help: "Transformer blocks.") var layers: Int?
    @Option(help: "Attention heads.") var heads: Int?
    @Option(help: "Embedding width.") var width: Int?
    @Option(help: "Tokens per window.") var context: Int?
    @Option(name: .customLong("batch-size"), help: "Windows per micro-batch.") var batchSize: Int?
    @Option(help: "Micro-batches per optimiser step.") var accumulation: Int?
    @Option(help: "Peak learning rate.") var lr: Double?
    @Option(help: "Warmup steps.") var warmup: Int?
    @Option(name: .customLong("weight-decay"), help: "AdamW weight decay.") var weightDecay: Double?
    @Option(name: .customLong("grad-clip"), help: "Largest gradient norm (0: no clipping).") var gradClip: Double?
    @Option(name: .customLong("val-fraction"), help: "Fraction of windows held out for validation.") var valFraction: Double?
    @Option(name: .customLong("val-windows"), help: "Validation windows evaluated.") var valWindows: Int?
    @Option(name: .customLong("val-every"), help: "Steps between validations.") var valEvery: Int?
    @Option(name: .customLong("log-every"), help: "Steps between log lines.") var logEvery: Int?
    @Option(name: .customLong("save-every"), help: "Steps between checkpoints.") var saveEvery: Int?
    @Option(name: .customLong("stop-at"), help: ArgumentHelp("Stop (and save) after this many steps, keeping the schedule of --steps.", visibility: .hidden))
    var stopAt: Int?
    @Option(name: .customLong("dump-batches"), help: ArgumentHelp("Append each micro-batch as a JSON line {lr, inputs, targets} to this file.", visibility: .hidden))
    var dumpBatches: String?
    @Option(name: .customLong("loss-digits"), help: ArgumentHelp("Decimals of the logged losses.", visibility: .hidden))
    var lossDigits = 4

    func run() throws {
        restartWithBetterMatrixKernels()
        do {
            let trainer: Trainer
            if resume {
                guard let out else { throw ValidationError("--resume needs --out, the checkpoint folder") }
                trainer = try Trainer(resuming: out, shards: shards, steps: steps)
            } else {
                guard let shards else { throw ValidationError("--shards is required") }
                guard var options = TrainingOptions.named[config] else {
                    throw ValidationError("--config \(config) is not one of \(TrainingOptions.named.keys.sorted().joined(separator: ", "))")
                }
                apply(&options)
                if let problem = options.problem { throw ValidationError(problem) }
                trainer = try Trainer(shards: shards, options: options)
            }
            let o = trainer.options
            let c = trainer.model.config
            say("model: \(c.layers) layers, \(c.heads) heads, width \(c.width), context \(c.context), vocabulary \(c.vocabSize), \(trainer.model.layout.count) parameters, OpenBLAS \(OpenBLASKernel.current) kernels")
            say("training: \(o.steps) steps of \(o.batchSize) x \(o.accumulation) windows of \(o.context) tokens, from step \(trainer.step)")
            if let dumpBatches {
                guard let handle = FileHandle(forWritingAtPath: dumpBatches) ?? (FileManager.default.createFile(atPath: dumpBatches, contents: nil) ? FileHandle(forWritingAtPath: dumpBatches) : nil) else {
                    throw ValidationError("--dump-batches \(dumpBatches) cannot be written")
                }
                handle.seekToEndOfFile()
                trainer.batchObserver = { inputs, targets, lr in
                    let line = "{\"lr\":\(lr),\"inputs\":[\(inputs.map(String.init).joined(separator: ","))],\"targets\":[\(targets.map(String.init).joined(separator: ","))]}\n"
                    handle.write(Data(line.utf8))
                }
            }
            let bar = ProgressBar(enabled: isatty(2) != 0)
            var tokens = 0, seconds = 0.0
            let startStep = trainer.step
            try trainer.train(until: stopAt, checkpoint: out) { r in
                let stepTokens = o.batchSize * o.accumulation * o.context
                tokens += stepTokens
                seconds += Double(stepTokens) / r.tokensPerSecond
                if r.step % o.logEvery == 0 || r.validationLoss != nil || r.step == r.totalSteps {
                    bar.clear()
                    var line = "step \(r.step) | loss \(String(format: "%.\(lossDigits)f", r.loss))"
                    if let v = r.validationLoss { line += " | val \(String(format: "%.\(lossDigits)f", v))" }
                    line += " | lr \(String(format: "%.3e", r.learningRate)) | norm \(String(format: "%.3f", r.gradientNorm)) | tok/s \(Int(r.tokensPerSecond))"
                    say(line)
                }
                bar.show(r.step, of: r.totalSteps)
            }
            bar.clear()
            say("trained steps \(startStep + 1)-\(trainer.step): \(tokens) tokens in \(String(format: "%.2f", seconds)) s of training steps, \(Int(Double(tokens) / seconds)) tok/s")
        } catch let error as TrainerError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// Writes a line to stdout at once, so logs interleave with the progress bar.
    private func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    private func apply(_ o: inout TrainingOptions) {
        if let steps { o.steps = steps }
        if let seed { o.seed = seed }
        if let layers { o.layers = layers }
        if let heads { o.heads = heads }
        if let width { o.width = width }
        if let context { o.context = context }
        if let batchSize { o.batchSize = batchSize }
        if let accumulation { o.accumulation = accumulation }
        if let lr { o.learningRate = lr }
        if let warmup { o.warmupSteps = warmup }
        if let weightDecay { o.weightDecay = weightDecay }
        if let gradClip { o.gradientClip = gradClip }
        if let valFraction { o.validationFraction = valFraction }
        if let valWindows { o.validationWindows = valWindows }
        if let valEvery { o.validationEvery = valEvery }
        if let logEvery { o.logEvery = logEvery }
        if let saveEvery { o.saveEvery = saveEvery }
    }
}

/// Starts this command again with `OPENBLAS_CORETYPE` set when OpenBLAS fell back to kernels
/// slower than the CPU allows (see `OpenBLASKernel`); returns when there is nothing to do.
func restartWithBetterMatrixKernels() {
    guard let core = OpenBLASKernel.better() else { return }
    setenv("OPENBLAS_CORETYPE", core, 1)
    let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
    execv("/proc/self/exe", arguments)
}

/// A one-line `[#####-----] step/total` bar redrawn in place on stderr.
private final class ProgressBar {
    let enabled: Bool
    init(enabled: Bool) { self.enabled = enabled }

    func show(_ step: Int, of total: Int) {
        guard enabled else { return }
        let width = 30, done = width * step / max(1, total)
        FileHandle.standardError.write(Data("\r[\(String(repeating: "#", count: done))\(String(repeating: "-", count: width - done))] \(step)/\(total)".utf8))
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

struct TrainExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a checkpoint as a Hugging Face GPT-2 folder (config.json, model.safetensors, and tokenizer.json when the shards name a tokenizer).")

    @Argument(help: "The checkpoint folder.", completion: .directory)
    var checkpoint: String

    @Option(name: .short, help: "The output folder.", completion: .directory)
    var output: String

    func run() throws {
        do {
            try HuggingFaceExport.export(checkpoint: checkpoint, to: output)
            let state = try Checkpoint(directory: checkpoint)
            if let reference = state.tokenizer {
                guard (try? SHA256.hex(ofFile: reference.file)) == reference.sha256 else {
                    FileHandle.standardError.write(Data("warning: \(reference.file) is missing or changed since training; no tokenizer.json written\n".utf8))
                    return
                }
                try HFTokenizerFile.write(try TokenizerFile.load(reference.file), to: output + "/tokenizer.json")
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// Text generation from a checkpoint: `curate sample` and `curate train sample`.
struct SampleOptions: ParsableArguments {
    @Argument(help: "The checkpoint folder.", completion: .directory)
    var checkpoint: String

    @Option(help: "The prompt text, encoded with the tokenizer.")
    var prompt: String?

    @Option(name: .customLong("prompt-ids"), help: "The prompt as comma-separated token ids.")
    var promptIDs: String?

    @Option(help: "Tokenizer file (tokenizer.json or .tiktoken); default: the one the shards' manifest names.", completion: .file())
    var tokenizer: String?

    @Option(help: "Softmax temperature; 0 picks the most likely token.")
    var temperature: Double = 1

    @Option(name: .customLong("top-k"), help: "Sample among the K most likely tokens.")
    var topK: Int?

    @Option(help: "Tokens to generate.")
    var tokens = 64

    @Option(help: "Seed of the draws.")
    var seed: UInt64 = 0

    @Flag(help: "Print JSON: the prompt's and the generated ids, and the text when a tokenizer is known.")
    var json = false

    func validate() throws {
        guard (prompt == nil) != (promptIDs == nil) else { throw ValidationError("give either --prompt TEXT or --prompt-ids IDS") }
        if temperature < 0 || tokens < 0 || (topK ?? 1) < 1 {
            throw ValidationError("--temperature and --tokens must not be negative, --top-k must be positive")
        }
    }

    func run() throws {
        var ids: [Int32] = []
        if let promptIDs {
            ids = promptIDs.split(separator: ",").compactMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
            guard !ids.isEmpty, ids.count == promptIDs.split(separator: ",").count else {
                throw ValidationError("--prompt-ids takes comma-separated token ids, such as 464,2068")
            }
        }
        do {
            restartWithBetterMatrixKernels()
            let state = try Checkpoint(directory: checkpoint)
            let model = try state.loadModel(directory: checkpoint)
            let encoding = try loadTokenizer(state, required: prompt != nil)
            if let prompt, let encoding {
                ids = encoding.encodeOrdinary(Array(prompt.utf8)).map { Int32(bitPattern: $0) }
                guard !ids.isEmpty else { throw ValidationError("--prompt encodes to no tokens") }
            }
            if let bad = ids.first(where: { $0 < 0 || Int($0) >= model.config.vocabSize }) {
                throw ValidationError("prompt token \(bad) is outside the model's vocabulary of \(model.config.vocabSize)")
            }
            let out = Sampler(temperature: temperature, topK: topK, seed: seed).generate(model, prompt: ids, count: tokens, stop: Int32(state.eodID))
            let text = try encoding.map { try $0.decode((ids + out).map { UInt32(bitPattern: $0) }) }
            if json {
                var pairs: [(key: String, value: JSONValue)] = [
                    ("prompt_ids", .array(ids.map { .integer(Int($0)) })), ("ids", .array(out.map { .integer(Int($0)) })),
                ]
                if let text { pairs.append(("text", .string(text))) }
                print(JSONWriter.serialize(.object(JSONObject(pairs))))
            } else if let text, prompt != nil {
                print(text)
            } else {
                print("[" + out.map(String.init).joined(separator: ",") + "]")
            }
        } catch let error as TrainerError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(1)
        } catch let error as TokenizerError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// The `--tokenizer` file, else the checkpoint's (when it is still the file trained on).
    private func loadTokenizer(_ state: Checkpoint, required: Bool) throws -> Tokenizer? {
        if let tokenizer { return try TokenizerFile.load(tokenizer) }
        guard let reference = state.tokenizer else {
            if required { throw ValidationError("the checkpoint's shards name no tokenizer; give --tokenizer FILE") }
            return nil
        }
        guard (try? SHA256.hex(ofFile: reference.file)) == reference.sha256 else {
            if required { throw ValidationError("\(reference.file) is missing or changed since training; give --tokenizer FILE") }
            return nil
        }
        return try TokenizerFile.load(reference.file)
    }
}

struct TrainSample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Generate text from a checkpoint after a prompt (the same as `curate sample`).",
        discussion: SampleCommand.discussion)
    @OptionGroup var options: SampleOptions
    func run() throws { try options.run() }
}

struct SampleCommand: ParsableCommand {
    static let discussion = """
        The prompt is --prompt TEXT, encoded with the tokenizer the checkpoint's shards name (or \
        --tokenizer), or --prompt-ids. Generation stops early at the shards' end-of-document id. \
        Prints the prompt and its continuation as text, or, for --prompt-ids, the generated ids as \
        a JSON array; --json prints both ids and the text.
        """
    static let configuration = CommandConfiguration(
        commandName: "sample", abstract: "Generate text from a checkpoint after a prompt.", discussion: discussion)
    @OptionGroup var options: SampleOptions
    func run() throws { try options.run() }
}
