import Foundation

/// A fastText classifier read from its `.bin` or quantized `.ftz` file, predicting labels
/// with the probabilities that fastText's `predict` gives for the same text.
///
/// Immutable once loaded: one model serves any number of threads.
public final class FastTextModel: Sendable {
    /// The file's magic number and the newest format version fastText writes.
    static let magic: Int32 = 793_712_314
    static let newestVersion: Int32 = 12
    /// The most floats a quantized input matrix is decoded into (64 MB).
    static let decodedInputLimit = 16 << 20

    public let version: Int32
    public let args: FastTextArgs
    public let dictionary: FastTextDictionary
    /// Whether the input (and maybe output) matrix is product-quantized (`.ftz`).
    public let isQuantized: Bool
    private let input: any FastTextMatrix
    private let output: any FastTextMatrix
    private let tree: FastTextHuffmanTree?
    private let sigmoid = FastTextSigmoid()
    /// Names this model's `FastTextTokenCache` in each thread (unique, unlike its address).
    private let cacheNumber = FastTextTokenCache.newModelNumber()

    /// Loads the model at `path`.
    public convenience init(contentsOf path: String) throws(FastTextModelError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            throw FastTextModelError(!exists ? "no such file" : isFolder.boolValue ? "is a folder" : "cannot be read")
        }
        try self.init(bytes: [UInt8](data))
    }

    /// Reads a model from the bytes of its file.
    public init(bytes: [UInt8]) throws(FastTextModelError) {
        var reader = FastTextFileReader(bytes)
        let magic = try reader.int32("magic number")
        guard magic == Self.magic else {
            throw FastTextModelError("not a fastText model: magic number \(magic), expected \(Self.magic)")
        }
        version = try reader.int32("version")
        guard version <= Self.newestVersion else {
            throw FastTextModelError("format version \(version) is newer than \(Self.newestVersion), the newest this reader knows")
        }
        args = try FastTextArgs(reading: &reader, version: version)
        guard args.model == .supervised else {
            throw FastTextModelError("a word-vector model (\(args.model)), not a supervised classifier: it has no labels to predict")
        }
        dictionary = try FastTextDictionary(reading: &reader, args: args)
        isQuantized = try reader.bool("input quantization flag")
        let input = try readFastTextMatrix(&reader, quantized: isQuantized, name: "input")
        // A quantized input matrix is decoded when small (pruned .ftz files): rows are then
        // added without decoding each time, to the same floats.
        if let quantized = input as? FastTextQuantizedMatrix, quantized.rows * quantized.columns <= Self.decodedInputLimit {
            self.input = quantized.decoded()
        } else {
            self.input = input
        }
        if !isQuantized, dictionary.prunedSize >= 0 {
            throw FastTextModelError("the dictionary is pruned but the input matrix is not quantized")
        }
        let quantizedOutput = try reader.bool("output quantization flag")
        output = try readFastTextMatrix(&reader, quantized: isQuantized && quantizedOutput, name: "output")
        guard reader.isAtEnd else {
            throw FastTextModelError("\(reader.bytes.count - reader.offset) bytes after the output matrix, which ends at byte \(reader.offset)")
        }
        guard input.columns == args.dim, output.columns == args.dim else {
            throw FastTextModelError("matrices of \(input.columns) and \(output.columns) columns for a model of dim \(args.dim)")
        }
        try dictionary.validate(inputRows: input.rows)
        let labels = dictionary.labelCount
        if args.loss == .hierarchicalSoftmax {
            guard output.rows >= labels - 1 else {
                throw FastTextModelError("output matrix has \(output.rows) rows; a hierarchical softmax over \(labels) labels needs \(labels - 1)")
            }
            tree = FastTextHuffmanTree(counts: dictionary.entries[dictionary.wordCount...].map(\.count))
        } else {
            guard output.rows == labels else {
                throw FastTextModelError("output matrix has \(output.rows) rows for \(labels) labels")
            }
            tree = nil
        }
    }

    /// fastText's log-probability of a probability: `log(p + 1e-5)`, in doubles, as a float.
    @inline(__always)
    static func logProbability(_ p: Float) -> Float { Float(log(Double(p) + 1e-5)) }

    /// Bytes that separate tokens, as fastText reads them: space, \t, \n, \v, \f, \r and NUL.
    private static let separators: UInt64 = 1 << 0x20 | 1 << 0x09 | 1 << 0x0A | 1 << 0x0B | 1 << 0x0C | 1 << 0x0D | 1 << 0x00

    @inline(__always)
    static func isSeparator(_ byte: UInt8) -> Bool { byte <= 0x20 && separators & (1 << UInt64(byte)) != 0 }

    /// The `k` most probable labels of `text` (UTF-8), best first, with their probabilities,
    /// exactly as fastText's `predict(text, k, threshold)` gives them for the text with its
    /// newlines replaced by spaces: tokens are split on white space (space, tab, newline,
    /// vertical tab, form feed, carriage return, NUL), `</s>` ends the line, labels below
    /// `threshold` are left out. `k` < 1 asks for every label.
    public func predict(_ text: UnsafeBufferPointer<UInt8>, k: Int = 1, threshold: Float = 0) -> [FastTextPrediction] {
        let k = k < 1 ? output.rows : min(k, output.rows)
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: args.dim + output.rows + k + 1) { floats in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: k + 1 + (args.wordNgrams > 1 ? text.count / 2 + 2 : 0)) { ints in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: text.count + 6) { scratch in
                    let hidden = floats.baseAddress!
                    guard average(text, hidden: hidden, wordHashes: ints.baseAddress! + k + 1, scratch: scratch.baseAddress!) else {
                        return []
                    }
                    var top = FastTextTopK(k: k, scores: hidden + args.dim + output.rows, labels: ints.baseAddress!)
                    scoreLabels(hidden: hidden, scratch: hidden + args.dim, output: output, threshold: threshold, into: &top)
                    return top.sorted()
                }
            }
        }
    }

    /// The label that `predict(text, k: 1)` gives, and the probabilities that
    /// `predict(text, k: 0)` (every label) gives to each of `labels`, nil for a label it
    /// leaves out; without scoring every label. Nil when the text yields no prediction.
    public func predictBest(_ text: UnsafeBufferPointer<UInt8>, scoring labels: [Int]) -> (best: FastTextPrediction, probabilities: [Float?])? {
        if tree != nil, output.rows < dictionary.labelCount {
            // k = every label is then fewer than the leaves: the search may prune, so take it whole.
            let all = predict(text, k: 0)
            guard let first = all.first else { return nil }
            return (first, labels.map { label in all.first { $0.label == label }?.probability })
        }
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: args.dim + output.rows + 2) { floats in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 + (args.wordNgrams > 1 ? text.count / 2 + 2 : 0)) { ints in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: text.count + 6) { scratch in
                    let hidden = floats.baseAddress!, out = hidden + args.dim
                    guard average(text, hidden: hidden, wordHashes: ints.baseAddress! + 2, scratch: scratch.baseAddress!) else {
                        return nil
                    }
                    var top = FastTextTopK(k: 1, scores: out + output.rows, labels: ints.baseAddress!)
                    scoreLabels(hidden: hidden, scratch: out, output: output, threshold: 0, into: &top)
                    guard let best = top.sorted().first else { return nil }
                    let probabilities: [Float?] = labels.map { label in
                        if let tree {
                            return tree.score(leaf: label, hidden: hidden, output: output, floor: Self.logProbability(0)).map(expf)
                        }
                        return expf(Self.logProbability(out[label]))
                    }
                    return (best, probabilities)
                }
            }
        }
    }

    /// Whether the token is `</s>`, fastText's end of line.
    @inline(__always)
    private static func isEndOfLine(_ token: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        count == 4 && token[0] == 0x3C && token[1] == 0x2F && token[2] == 0x73 && token[3] == 0x3E
    }

    /// Sets `hidden` to the mean of the input rows of `text`'s tokens and `</s>`; false when
    /// there are none.
    private func average(
        _ text: UnsafeBufferPointer<UInt8>, hidden: UnsafeMutablePointer<Float>, wordHashes: UnsafeMutablePointer<Int32>,
        scratch: UnsafeMutablePointer<UInt8>
    ) -> Bool {
        if let dense = input as? FastTextDenseMatrix {
            return average(text, input: dense, hidden: hidden, wordHashes: wordHashes, scratch: scratch)
        }
        return average(text, input: input, hidden: hidden, wordHashes: wordHashes, scratch: scratch)
    }

    private func average(
        _ text: UnsafeBufferPointer<UInt8>, input: some FastTextMatrix, hidden: UnsafeMutablePointer<Float>,
        wordHashes: UnsafeMutablePointer<Int32>, scratch: UnsafeMutablePointer<UInt8>
    ) -> Bool {
        let dictionary = self.dictionary
        hidden.initialize(repeating: 0, count: args.dim)
        // The counters sit behind a pointer: changed from the nested functions below, local
        // variables would be checked for exclusive access at run time on every row.
        let tally = UnsafeMutablePointer<(rows: Int, hashes: Int)>.allocate(capacity: 1)
        tally.initialize(to: (0, 0))
        defer { tally.deallocate() }
        let keepHashes = dictionary.wordNgrams > 1

        /// Calls `body` with each input row of a token, in fastText's order; false when the token
        /// is a label, which counts for nothing.
        func forEachRow(_ token: UnsafePointer<UInt8>, _ count: Int, hash h: UInt32, _ body: (Int32) -> Void) -> Bool {
            let id = dictionary.find(token, count, hash: h)
            if id >= 0 {
                guard id < dictionary.wordCount else { return false }
                for row in dictionary.rows(ofWord: id) { body(row) }
                return true
            }
            if count >= 9, memcmp(token, FastTextDictionary.labelPrefix, 9) == 0 { return false }
            if !Self.isEndOfLine(token, count) {
                scratch[0] = 0x3C
                (scratch + 1).update(from: token, count: count)
                scratch[count + 1] = 0x3E
                dictionary.forEachNgramRow(scratch, count + 2, body)
            }
            return true
        }

        // Without word n-grams a token's rows are all it adds: they are kept per thread.
        let cache = keepHashes ? nil : FastTextTokenCache.current(cacheNumber)

        /// Adds the rows of one token; true when it is `</s>`, which ends the line.
        func add(_ token: UnsafePointer<UInt8>, _ count: Int) -> Bool {
            let h = FastTextDictionary.hash(token, count)
            let isEnd = Self.isEndOfLine(token, count)
            guard let cache else {
                let isWord = forEachRow(token, count, hash: h) { row in
                    input.addRow(Int(row), to: hidden)
                    tally.pointee.rows += 1
                }
                if isWord {
                    wordHashes[tally.pointee.hashes] = Int32(bitPattern: h)
                    tally.pointee.hashes += 1
                }
                return isEnd
            }
            let found = cache.pointee.withRows(of: token, count, hash: h) { cached in
                input.addRows(cached, to: hidden)
                tally.pointee.rows += cached.count
            }
            if !found {
                cache.pointee.begin()
                _ = forEachRow(token, count, hash: h) { row in
                    input.addRow(Int(row), to: hidden)
                    tally.pointee.rows += 1
                    cache.pointee.append(row)
                }
                cache.pointee.commit(token, count, hash: h)
            }
            return isEnd
        }

        var ended = false
        var i = 0
        let bytes = text.baseAddress
        while i < text.count {
            while i < text.count, Self.isSeparator(bytes![i]) { i += 1 }
            if i == text.count { break }
            let start = i
            while i < text.count, !Self.isSeparator(bytes![i]) { i += 1 }
            if add(bytes! + start, i - start) {
                ended = true
                break
            }
        }
        if !ended {
            _ = FastTextDictionary.endOfSentence.withUnsafeBufferPointer { add($0.baseAddress!, 4) }
        }
        if keepHashes {
            let bucket = UInt64(dictionary.bucket)
            let hashes = tally.pointee.hashes
            for i in 0..<hashes {
                var h = UInt64(bitPattern: Int64(wordHashes[i]))
                for j in stride(from: i + 1, to: min(hashes, i + dictionary.wordNgrams), by: 1) {
                    h = h &* 116_049_371 &+ UInt64(bitPattern: Int64(wordHashes[j]))
                    let row = dictionary.ngramRow(Int32(truncatingIfNeeded: h % bucket))
                    if row >= 0 {
                        input.addRow(Int(row), to: hidden)
                        tally.pointee.rows += 1
                    }
                }
            }
        }
        let rows = tally.pointee.rows
        guard rows > 0 else { return false }
        let scale = Float(1.0 / Double(rows))
        for j in 0..<args.dim { hidden[j] *= scale }
        return true
    }

    /// Puts the labels' log-probabilities given `hidden` into `top`.
    private func scoreLabels(
        hidden: UnsafeMutablePointer<Float>, scratch out: UnsafeMutablePointer<Float>, output: some FastTextMatrix,
        threshold: Float, into top: inout FastTextTopK
    ) {
        if let tree {
            tree.predict(hidden: hidden, output: output, floor: Self.logProbability(threshold), into: &top)
            return
        }
        let count = output.rows
        for i in 0..<count { out[i] = output.dotRow(i, hidden) }
        if args.loss == .softmax {
            var max = out[0]
            for i in 0..<count { max = Swift.max(out[i], max) }
            var sum: Float = 0
            for i in 0..<count {
                out[i] = Float(exp(Double(out[i] - max)))
                sum += out[i]
            }
            for i in 0..<count { out[i] /= sum }
        } else {
            for i in 0..<count { out[i] = sigmoid(out[i]) }
        }
        for i in 0..<count where out[i] >= threshold {
            let score = Self.logProbability(out[i])
            if top.isFull, score < top.smallest { continue }
            top.push(score, Int32(i))
        }
    }
}
