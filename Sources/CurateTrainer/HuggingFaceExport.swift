import CurateCore
import CurateIO
import Foundation

/// Writes a checkpoint as a Hugging Face GPT-2 model folder: `config.json` and
/// `model.safetensors`, which `transformers.GPT2LMHeadModel.from_pretrained` loads.
public enum HuggingFaceExport {
    /// The `config.json` of a GPT-2 with `config` (tanh GELU, no dropout, tied head).
    public static func configJSON(_ config: GPTConfig, eodID: UInt32) -> String {
        let value = JSONValue.object(JSONObject([
            ("architectures", .array([.string("GPT2LMHeadModel")])), ("model_type", .string("gpt2")),
            ("vocab_size", .integer(config.vocabSize)), ("n_positions", .integer(config.context)), ("n_ctx", .integer(config.context)),
            ("n_embd", .integer(config.width)), ("n_layer", .integer(config.layers)), ("n_head", .integer(config.heads)),
            ("n_inner", .null), ("activation_function", .string("gelu_new")), ("resid_pdrop", .integer(0)), ("embd_pdrop", .integer(0)),
            ("attn_pdrop", .integer(0)), ("layer_norm_epsilon", .number("1e-05")), ("initializer_range", .number("0.02")),
            ("bos_token_id", .integer(Int(eodID))), ("eos_token_id", .integer(Int(eodID))), ("tie_word_embeddings", .bool(true)),
            ("torch_dtype", .string("float32")),
        ]))
        return JSONWriter.serialize(value, pretty: true) + "\n"
    }

    /// Exports the checkpoint in `checkpoint` into `directory` (created if needed).
    public static func export(checkpoint: String, to directory: String) throws(TrainerError) {
        let state = try Checkpoint(directory: checkpoint)
        let model = try state.loadModel(directory: checkpoint)
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw TrainerError(path: directory, "cannot create the folder: \(error.localizedDescription)")
        }
        try Checkpoint.writeModel(model, metadata: [("format", "pt")], to: directory + "/model.safetensors")
        let path = directory + "/config.json"
        do { try DurableFile.write(Array(configJSON(model.config, eodID: state.eodID).utf8), to: path) } catch {
            throw TrainerError(path: path, error.message)
        }
    }
}
