/// A dense `rows × columns` matrix of 32-bit floats, row-major.
final class FastTextDenseMatrix: FastTextMatrix, @unchecked Sendable {
    let rows: Int
    let columns: Int
    private let data: UnsafeMutableBufferPointer<Float>

    init(reading reader: inout FastTextFileReader, name: String) throws(FastTextModelError) {
        rows = try reader.count64("\(name) matrix rows", in: 0...Int(Int32.max))
        columns = try reader.count64("\(name) matrix columns", in: 1...65536)
        let values = try reader.floats(rows * columns, "\(name) matrix (\(rows) × \(columns))")
        data = .allocate(capacity: max(1, values.count))
        _ = data.initialize(from: values)
    }

    /// A matrix of `rows × columns` values, row-major.
    init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns)
        self.rows = rows
        self.columns = columns
        data = .allocate(capacity: max(1, values.count))
        _ = data.initialize(from: values)
    }

    deinit { data.deallocate() }

    @inline(__always)
    func addRow(_ row: Int, to vector: UnsafeMutablePointer<Float>) {
        let source = data.baseAddress! + row * columns
        for j in 0..<columns { vector[j] += source[j] }
    }

    @inline(__always)
    func dotRow(_ row: Int, _ vector: UnsafePointer<Float>) -> Float {
        let source = data.baseAddress! + row * columns
        var sum: Float = 0
        for j in 0..<columns { sum += source[j] * vector[j] }
        return sum
    }
}
