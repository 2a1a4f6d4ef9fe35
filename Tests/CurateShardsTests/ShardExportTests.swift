import CurateShards
import Foundation
import Testing

/// Each export is read back by a reader written here from the format's description.
@Suite struct ShardExportTests {
    private func export(_ format: ExportFormat) throws -> (ShardSet, String, [String]) {
        let set = try ShardSet(directory: try Fixture.write())
        let out = Fixture.temporaryFolder() + "/out"
        return (set, out, try ShardExporter(set: set).export(format, to: out))
    }

    @Test func llmcBinaries() throws {
        let (set, out, files) = try export(.llmc)
        #expect(files == (0..<3).map { "\(out)/shard-0000\($0).bin" })
        var tokens: [UInt32] = []
        for (s, file) in files.enumerated() {
            let bytes = Fixture.bytes(file)
            #expect(Fixture.integer(bytes, 0, Int32.self) == 20_240_520)
            #expect(Fixture.integer(bytes, 4, Int32.self) == 1)
            let count = Int(Fixture.integer(bytes, 8, Int32.self))
            #expect(count == set.manifest.shards[s].tokens)
            #expect(bytes[12..<1024].allSatisfy { $0 == 0 })
            #expect(bytes.count == 1024 + 2 * count)
            tokens += (0..<count).map { UInt32(Fixture.integer(bytes, 1024 + 2 * $0, UInt16.self)) }
        }
        #expect(tokens == Fixture.stream)
    }

    @Test func llmcWideVariant() throws {
        let docs = [Fixture.Document(id: "a", ids: [70_000, 3])]
        let set = try ShardSet(directory: try Fixture.write(docs, vocabSize: 100_000, eod: 1))
        let out = Fixture.temporaryFolder()
        let bytes = Fixture.bytes(try ShardExporter(set: set).export(.llmc, to: out)[0])
        #expect(Fixture.integer(bytes, 0, Int32.self) == 20_240_801)
        #expect(Fixture.integer(bytes, 4, Int32.self) == 7)
        #expect(Fixture.integer(bytes, 8, Int32.self) == 3)
        #expect(bytes.count == 1024 + 12)
        #expect((0..<3).map { Fixture.integer(bytes, 1024 + 4 * $0, UInt32.self) } == [70_000, 3, 1])
    }

    @Test func numpyArrays() throws {
        let (set, out, files) = try export(.npy)
        #expect(files == (0..<3).map { "\(out)/shard-0000\($0).npy" })
        var tokens: [UInt32] = []
        for (s, file) in files.enumerated() {
            let bytes = Fixture.bytes(file)
            #expect(Array(bytes[0..<6]) == [0x93] + Array("NUMPY".utf8))
            #expect(bytes[6] == 1 && bytes[7] == 0)
            let headerLength = Int(Fixture.integer(bytes, 8, UInt16.self))
            let dataStart = 10 + headerLength
            #expect(dataStart % 64 == 0)
            #expect(bytes[dataStart - 1] == 0x0A)
            let header = String(decoding: bytes[10..<(dataStart - 1)], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            let count = set.manifest.shards[s].tokens
            #expect(header == "{'descr': '<u2', 'fortran_order': False, 'shape': (\(count),), }")
            #expect(bytes.count == dataStart + 2 * count)
            tokens += (0..<count).map { UInt32(Fixture.integer(bytes, dataStart + 2 * $0, UInt16.self)) }
        }
        #expect(tokens == Fixture.stream)
    }

    /// Reads a Megatron-LM indexed dataset as megatron/core/datasets/indexed_dataset.py lays it
    /// out: `MMIDIDX\0\0`, uint64 version, uint8 dtype code, uint64 sequence count, uint64
    /// document count, int32 lengths, int64 byte pointers, int64 document indices.
    @Test func megatronIndexedDatasets() throws {
        let (set, out, files) = try export(.megatron)
        #expect(files == (0..<3).flatMap { ["\(out)/shard-0000\($0).bin", "\(out)/shard-0000\($0).idx"] })
        var documents: [(String, [UInt32])] = []
        for s in 0..<3 {
            let idx = Fixture.bytes("\(out)/shard-0000\(s).idx")
            let bin = Fixture.bytes("\(out)/shard-0000\(s).bin")
            #expect(Array(idx[0..<9]) == Array("MMIDIDX".utf8) + [0, 0])
            #expect(Fixture.integer(idx, 9, UInt64.self) == 1)
            #expect(idx[17] == 8)  // uint16
            let sequences = Int(Fixture.integer(idx, 18, UInt64.self))
            let documentCount = Int(Fixture.integer(idx, 26, UInt64.self))
            #expect(sequences == set.manifest.shards[s].documents)
            #expect(documentCount == sequences + 1)
            let lengthsAt = 34
            let pointersAt = lengthsAt + 4 * sequences
            let documentsAt = pointersAt + 8 * sequences
            #expect(idx.count == documentsAt + 8 * documentCount)
            var expectedPointer: Int64 = 0
            let index = try set.documentIndex(s)
            for q in 0..<sequences {
                let length = Int(Fixture.integer(idx, lengthsAt + 4 * q, Int32.self))
                let pointer = Fixture.integer(idx, pointersAt + 8 * q, Int64.self)
                #expect(pointer == expectedPointer)
                let ids = (0..<length).map { UInt32(Fixture.integer(bin, Int(pointer) + 2 * $0, UInt16.self)) }
                documents.append((index.id(q), ids))
                expectedPointer += Int64(2 * length)
            }
            #expect(Int(expectedPointer) == bin.count)
            #expect((0..<documentCount).map { Fixture.integer(idx, documentsAt + 8 * $0, Int64.self) } == (0...sequences).map(Int64.init))
        }
        #expect(documents.map(\.0) == Fixture.documents.map(\.id))
        #expect(documents.map(\.1) == Fixture.documents.map { $0.ids + [Fixture.eod] })
    }
}
