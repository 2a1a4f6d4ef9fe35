/// A matrix of a fastText model (input embeddings or output layer), dense or product-quantized.
/// Rows are added and dotted in fastText's order of float operations, so results match its
/// own bit for bit.
protocol FastTextMatrix: Sendable {
    var rows: Int { get }
    var columns: Int { get }
    /// `vector += row` (`columns` floats).
    func addRow(_ row: Int, to vector: UnsafeMutablePointer<Float>)
    /// The dot product of `row` with `vector`.
    func dotRow(_ row: Int, _ vector: UnsafePointer<Float>) -> Float
    /// `vector += row` for each of `rows` in order.
    func addRows(_ rows: UnsafeBufferPointer<Int32>, to vector: UnsafeMutablePointer<Float>)
}

extension FastTextMatrix {
    func addRows(_ rows: UnsafeBufferPointer<Int32>, to vector: UnsafeMutablePointer<Float>) {
        for row in rows { addRow(Int(row), to: vector) }
    }
}

/// Reads a matrix as fastText saved it: product-quantized when `quantized`, else dense.
func readFastTextMatrix(_ reader: inout FastTextFileReader, quantized: Bool, name: String) throws(FastTextModelError) -> any FastTextMatrix {
    quantized ? try FastTextQuantizedMatrix(reading: &reader, name: name) : try FastTextDenseMatrix(reading: &reader, name: name)
}
