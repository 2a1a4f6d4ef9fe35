import COpenBLAS

/// `C = alpha · op(A) · op(B) + beta · C` (row-major) with single-threaded OpenBLAS calls, the
/// rows of C split over the cores by `parallelRows`. OpenBLAS's own thread pool spins and
/// yields between calls and fights the kernels' workers on a small or busy machine; splitting
/// here keeps one thread per core.
func matrixProduct(
    _ transA: Bool, _ transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
    beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
    singleThreadedBLAS
    let out = SharedPointer(c)
    parallelRows(m, cost: 2 * n * k) { rows in
        guard !rows.isEmpty else { return }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(rows.count), Int32(n), Int32(k), alpha,
                    a + (transA ? rows.lowerBound : rows.lowerBound * lda), Int32(lda), b, Int32(ldb),
                    beta, out.base + rows.lowerBound * ldc, Int32(ldc))
    }
}

/// Makes OpenBLAS compute each call on the calling thread, once.
let singleThreadedBLAS: Void = openblas_set_num_threads(1)
