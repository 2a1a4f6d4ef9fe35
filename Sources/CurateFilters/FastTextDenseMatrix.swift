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

    /// The same sums as `addRow` row by row; with 16 columns (lid.176's), `vector` stays in
    /// registers between rows.
    @inline(__always)
    func addRows(_ rows: UnsafeBufferPointer<Int32>, to vector: UnsafeMutablePointer<Float>) {
        guard columns == 16 else {
            for row in rows { addRow(Int(row), to: vector) }
            return
        }
        let base = UnsafeRawPointer(data.baseAddress!)
        var sum = UnsafeRawPointer(vector).loadUnaligned(as: SIMD16<Float>.self)
        for row in rows { sum += base.loadUnaligned(fromByteOffset: Int(row) &* 64, as: SIMD16<Float>.self) }
        UnsafeMutableRawPointer(vector).storeBytes(of: sum, as: SIMD16<Float>.self)
    }

    @inline(__always)
    func dotRow(_ row: Int, _ vector: UnsafePointer<Float>) -> Float {
        let source = data.baseAddress! + row * columns
        var sum: Float = 0
        for j in 0..<columns { sum += source[j] * vector[j] }
        return sum
    }
}
