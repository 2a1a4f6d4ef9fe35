import Foundation
import Testing
@testable import CurateTrainer

@Suite struct CheckpointTests {
    static func little(_ bytes: [UInt8], _ at: Int, _ count: Int) -> Int {
        (0..<count).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
    }

    @Test func safetensorsLayout() throws {
        let path = Fixture.temporaryFolder() + "/t.safetensors"
        let a: [Float] = [1, -2.5, 3, 0.125, -0, 7], b: [Float] = [.pi]
        try a.withUnsafeBufferPointer { a in try b.withUnsafeBufferPointer { b in
            try SafeTensors.write([("x.weight", [2, 3], a), ("y", [1], b)], metadata: [("format", "pt")], to: path)
        } }
        let bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        let length = Self.little(bytes, 0, 8)
        #expect(length % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
        #expect(header.trimmingCharacters(in: .whitespaces) == #"{"__metadata__":{"format":"pt"},"x.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"y":{"dtype":"F32","shape":[1],"data_offsets":[24,28]}}"#)
        #expect(bytes.count == 8 + length + 28)
        #expect(UInt32(Self.little(bytes, 8 + length + 4, 4)) == (-2.5 as Float).bitPattern)
        let file = try SafeTensors(path: path)
        var back = [Float](repeating: 9, count: 6)
        try file.read("x.weight", shape: [2, 3], into: &back)
        #expect(back.map(\.bitPattern) == a.map(\.bitPattern))
        #expect(throws: TrainerError.self) { try file.read("x.weight", shape: [3, 2], into: &back) }
    }

    @Test func truncatedFilesAreRefused() throws {
        let path = Fixture.temporaryFolder() + "/bad.safetensors"
        _ = FileManager.default.createFile(atPath: path, contents: Data([200, 0, 0, 0, 0, 0, 0, 0]) + Data("{}".utf8))
        #expect(throws: TrainerError.self) { try SafeTensors(path: path) }
    }

    @Test func checkpointsUseHuggingFaceNamesAndShapes() throws {
        let shards = try Fixture.shards()
        let trainer = try Trainer(shards: shards, options: Fixture.options(steps: 2))
        try trainer.train { _ in }
        let folder = Fixture.temporaryFolder() + "/ckpt"
        try trainer.save(to: folder)
        let model = try SafeTensors(path: folder + "/" + Checkpoint.modelFile)
        let shapes = Dictionary(uniqueKeysWithValues: model.entries.map { ($0.name, $0.shape) })
        #expect(shapes.count == 4 + 12 * 2)
        #expect(shapes["transformer.wte.weight"] == [257, 64])
        #expect(shapes["transformer.wpe.weight"] == [32, 64])
        #expect(shapes["transformer.h.1.attn.c_attn.weight"] == [64, 192])
        #expect(shapes["transformer.h.1.attn.c_attn.bias"] == [192])
        #expect(shapes["transformer.h.0.mlp.c_fc.weight"] == [64, 256])
        #expect(shapes["transformer.h.0.mlp.c_proj.weight"] == [256, 64])
        #expect(shapes["transformer.ln_f.bias"] == [64])
        #expect(model.metadata["format"] == "pt")
        let state = try Checkpoint(directory: folder)
        #expect(state.step == 2)
        #expect(state.options == Fixture.options(steps: 2))
        #expect(state.cursor.position >= 16)

        let export = Fixture.temporaryFolder() + "/hf"
        try HuggingFaceExport.export(checkpoint: folder, to: export)
        let config = try JSONSerialization.jsonObject(with: FileManager.default.contents(atPath: export + "/config.json")!) as! [String: Any]
        #expect(config["n_embd"] as? Int == 64 && config["n_layer"] as? Int == 2 && config["vocab_size"] as? Int == 257)
        #expect(config["activation_function"] as? String == "gelu_new")
    }

    @Test func learningRateSchedule() {
        let s = LearningRateSchedule(peak: 1, minimum: 0.1, warmupSteps: 4, totalSteps: 15)
        #expect(s.rate(at: 0) == 0.25 && s.rate(at: 3) == 1)
        #expect(abs(s.rate(at: 9) - 0.55) < 1e-12)
        #expect(abs(s.rate(at: 14) - 0.1) < 1e-12)
    }

    @Test func greedySamplingIsTheArgmax() {
        var g = SeededGenerator(seed: 1)
        #expect(Sampler(temperature: 0).pick([0.1, 3, -1, 2.9], &g) == 1)
        let topOne = Sampler(temperature: 1, topK: 1, seed: 5)
        #expect((0..<20).allSatisfy { _ in topOne.pick([0.1, 3, -1, 2.9], &g) == 1 })
    }
}
