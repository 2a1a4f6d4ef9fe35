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
}

/// Reads a matrix as fastText saved it: product-quantized when `quantized`, else dense.
func readFastTextMatrix(_ reader: inout FastTextFileReader, quantized: Bool, name: String) throws(FastTextModelError) -> any FastTextMatrix {
    quantized ? try FastTextQuantizedMatrix(reading: &reader, name: name) : try FastTextDenseMatrix(reading: &reader, name: name)
}
