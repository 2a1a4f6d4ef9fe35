import CurateShards
import Foundation
import Testing
@testable import CurateTrainer

@Suite struct TrainerTests {
    /// Runs `trainer` and collects each step's training and validation losses.
    static func losses(_ trainer: Trainer, until: Int? = nil) throws -> [(Float, Float?)] {
        var out: [(Float, Float?)] = []
        try trainer.train(until: until) { out.append(($0.loss, $0.validationLoss)) }
        return out
    }

    static func same(_ a: [(Float, Float?)], _ b: [(Float, Float?)]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.0.bitPattern == $1.0.bitPattern && $0.1?.bitPattern == $1.1?.bitPattern }
    }

    @Test func validationLossFallsWellBelowTheUnigramEntropy() throws {
        let shards = try Fixture.shards()
        // Unigram entropy (nats) of the stream the model sees.
        var counts = [Int](repeating: 0, count: Fixture.vocabSize)
        var total = 0
        for document in Fixture.documents {
            for t in document.tokens + [Fixture.eod] { counts[Int(t)] += 1 }
            total += document.tokens.count + 1
        }
        let entropy = -counts.filter { $0 > 0 }.reduce(0.0) { $0 + Double($1) / Double(total) * log(Double($1) / Double(total)) }
        let trainer = try Trainer(shards: shards, options: Fixture.options(steps: 300))
        let first = try trainer.validationLoss()
        let losses = try Self.losses(trainer)
        let last = losses.last!.1!
        print("unigram entropy \(entropy) nats; validation loss \(first) at step 0, \(last) at step 300")
        #expect(abs(Double(first) - log(257)) < 0.1)
        #expect(Double(last) < entropy - 0.45)
    }

    @Test func aSeedGivesTheSameLosses() throws {
        let shards = try Fixture.shards()
        let a = try Self.losses(try Trainer(shards: shards, options: Fixture.options(steps: 12)))
        let b = try Self.losses(try Trainer(shards: shards, options: Fixture.options(steps: 12)))
        #expect(Self.same(a, b))
        var other = Fixture.options(steps: 12)
        other.seed = 43
        let c = try Self.losses(try Trainer(shards: shards, options: other))
        #expect(!Self.same(a, c))
    }

    @Test func resumingGivesTheSameLossesAsAnUninterruptedRun() throws {
        let shards = try Fixture.shards()
        var options = Fixture.options(steps: 30)
        options.accumulation = 2
        options.validationEvery = 5
        let straight = try Trainer(shards: shards, options: options)
        let all = try Self.losses(straight)
        let first = try Trainer(shards: shards, options: options)
        let head = try Self.losses(first, until: 13)
        let checkpoint = Fixture.temporaryFolder() + "/ckpt"
        try first.save(to: checkpoint)
        let resumed = try Trainer(resuming: checkpoint)
        #expect(resumed.step == 13)
        let tail = try Self.losses(resumed)
        #expect(Self.same(all, head + tail))
        #expect(Array(straight.model.parameters) == Array(resumed.model.parameters))
    }
}
