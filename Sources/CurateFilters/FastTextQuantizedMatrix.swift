/// A product-quantized matrix (`.ftz`): one code byte per slice of each row, and optionally
/// each row's norm quantized apart (rows are then stored normalized).
final class FastTextQuantizedMatrix: FastTextMatrix, @unchecked Sendable {
    let rows: Int
    let columns: Int
    private let codes: UnsafeMutableBufferPointer<UInt8>
    private let quantizer: FastTextProductQuantizer
    /// The norm of each row, decoded, when norms are quantized.
    private let norms: UnsafeMutableBufferPointer<Float>?

    init(reading reader: inout FastTextFileReader, name: String) throws(FastTextModelError) {
        let quantizedNorms = try reader.bool("\(name) matrix norm flag")
        rows = try reader.count64("\(name) matrix rows", in: 0...Int(Int32.max))
        columns = try reader.count64("\(name) matrix columns", in: 1...65536)
        let codeCount = try reader.count32("\(name) matrix code size", in: 0...Int(Int32.max))
        let codeBytes = try reader.byteArray(codeCount, "\(name) matrix codes")
        quantizer = try FastTextProductQuantizer(reading: &reader, name: name)
        guard quantizer.dim == columns, codeCount == rows * quantizer.subquantizers else {
            throw FastTextModelError("\(name) matrix: \(codeCount) codes and a quantizer of dim \(quantizer.dim) in \(quantizer.subquantizers) slices do not fit \(rows) × \(columns)")
        }
        codes = .allocate(capacity: max(1, codeCount))
        _ = codes.initialize(from: codeBytes)
        if quantizedNorms {
            let normCodes = try reader.byteArray(rows, "\(name) matrix norm codes")
            let normQuantizer = try FastTextProductQuantizer(reading: &reader, name: "\(name) norm")
            guard normQuantizer.dim == 1 else { throw FastTextModelError("\(name) norm quantizer has dim \(normQuantizer.dim), expected 1") }
            let norms = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, rows))
            for (i, code) in normCodes.enumerated() { norms[i] = normQuantizer.centroid(0, code)[0] }
            self.norms = norms
        } else {
            norms = nil
        }
    }

    deinit {
        codes.deallocate()
        norms?.deallocate()
    }

    /// The same matrix decoded: each row as `addRow` adds it (the norm times each centroid
    /// value, rounded to a float), so adding its rows gives the same floats.
    func decoded() -> FastTextDenseMatrix {
        var values = [Float](repeating: 0, count: rows * columns)
        values.withUnsafeMutableBufferPointer { values in
            for row in 0..<rows { addRow(row, to: values.baseAddress! + row * columns) }
        }
        return FastTextDenseMatrix(rows: rows, columns: columns, values: values)
    }

    @inline(__always)
    func addRow(_ row: Int, to vector: UnsafeMutablePointer<Float>) {
        quantizer.add(codes.baseAddress! + row * quantizer.subquantizers, scale: norms?[row], to: vector)
    }

    @inline(__always)
    func dotRow(_ row: Int, _ vector: UnsafePointer<Float>) -> Float {
        quantizer.dot(codes.baseAddress! + row * quantizer.subquantizers, vector, scale: norms?[row] ?? 1)
    }
}
