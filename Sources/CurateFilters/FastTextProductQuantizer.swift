/// fastText's product quantizer: a vector of `dim` floats is cut into `subquantizers` slices
/// of `sliceWidth` floats (the last one `lastSliceWidth`), each replaced by one of 256
/// centroids, so that a row is stored as one byte per slice.
final class FastTextProductQuantizer: @unchecked Sendable {
    static let centroidsPerSlice = 256
    let dim: Int
    let subquantizers: Int
    let sliceWidth: Int
    let lastSliceWidth: Int
    private let centroids: UnsafeMutableBufferPointer<Float>

    init(reading reader: inout FastTextFileReader, name: String) throws(FastTextModelError) {
        dim = try reader.count32("\(name) quantizer dim", in: 1...65536)
        subquantizers = try reader.count32("\(name) quantizer slice count", in: 1...65536)
        sliceWidth = try reader.count32("\(name) quantizer slice width", in: 1...65536)
        lastSliceWidth = try reader.count32("\(name) quantizer last slice width", in: 1...65536)
        let expectedSlices = (dim + sliceWidth - 1) / sliceWidth
        let expectedLast = dim % sliceWidth == 0 ? sliceWidth : dim % sliceWidth
        guard subquantizers == expectedSlices, lastSliceWidth == expectedLast else {
            throw FastTextModelError("\(name) quantizer: \(subquantizers) slices, last \(lastSliceWidth) wide, do not cut \(dim) floats into slices of \(sliceWidth)")
        }
        let values = try reader.floats(dim * Self.centroidsPerSlice, "\(name) quantizer centroids")
        centroids = .allocate(capacity: values.count)
        _ = centroids.initialize(from: values)
    }

    deinit { centroids.deallocate() }

    /// The first float of centroid `code` of slice `slice`.
    @inline(__always)
    func centroid(_ slice: Int, _ code: UInt8) -> UnsafePointer<Float> {
        let base = centroids.baseAddress!
        if slice == subquantizers - 1 {
            return UnsafePointer(base + slice * Self.centroidsPerSlice * sliceWidth + Int(code) * lastSliceWidth)
        }
        return UnsafePointer(base + (slice * Self.centroidsPerSlice + Int(code)) * sliceWidth)
    }

    /// `vector += scale * decoded row`, or the plain decoded row when `scale` is nil.
    @inline(__always)
    func add(_ codes: UnsafePointer<UInt8>, scale: Float?, to vector: UnsafeMutablePointer<Float>) {
        for slice in 0..<subquantizers {
            let c = centroid(slice, codes[slice])
            let width = slice == subquantizers - 1 ? lastSliceWidth : sliceWidth
            let out = vector + slice * sliceWidth
            if let scale {
                for n in 0..<width { out[n] += scale * c[n] }
            } else {
                for n in 0..<width { out[n] += c[n] }
            }
        }
    }

    /// `scale * (decoded row · vector)`.
    @inline(__always)
    func dot(_ codes: UnsafePointer<UInt8>, _ vector: UnsafePointer<Float>, scale: Float) -> Float {
        var sum: Float = 0
        for slice in 0..<subquantizers {
            let c = centroid(slice, codes[slice])
            let width = slice == subquantizers - 1 ? lastSliceWidth : sliceWidth
            let x = vector + slice * sliceWidth
            for n in 0..<width { sum += x[n] * c[n] }
        }
        return sum * scale
    }
}
