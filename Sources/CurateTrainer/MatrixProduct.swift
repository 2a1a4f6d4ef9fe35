import COpenBLAS

/// `C = alpha · op(A) · op(B) + beta · C` (row-major) with single-threaded OpenBLAS calls, C
/// split over up to `workers` cores by `parallelRows`. OpenBLAS's own thread pool spins and yields between
/// calls and fights the kernels' workers on a small or busy machine; splitting here keeps one
/// thread per core.
///
/// Every call packs its whole share of A and B: splitting C's rows makes each worker pack all
/// of B (k × n), splitting its columns all of A (m × k), so C is split along its longer side,
/// which duplicates the smaller operand.
func matrixProduct(
    _ transA: Bool, _ transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
    beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int, workers: Int = workerCount
) {
    singleThreadedBLAS
    let out = SharedPointer(c)
    let opA = transA ? CblasTrans : CblasNoTrans, opB = transB ? CblasTrans : CblasNoTrans
    if m >= n {
        parallelRows(m, cost: 2 * n * k, workers: workers) { rows in
            guard !rows.isEmpty else { return }
            cblas_sgemm(CblasRowMajor, opA, opB, Int32(rows.count), Int32(n), Int32(k), alpha,
                        a + (transA ? rows.lowerBound : rows.lowerBound * lda), Int32(lda), b, Int32(ldb),
                        beta, out.base + rows.lowerBound * ldc, Int32(ldc))
        }
    } else {
        parallelRows(n, cost: 2 * m * k, workers: workers) { columns in
            guard !columns.isEmpty else { return }
            cblas_sgemm(CblasRowMajor, opA, opB, Int32(m), Int32(columns.count), Int32(k), alpha,
                        a, Int32(lda), b + (transB ? columns.lowerBound * ldb : columns.lowerBound), Int32(ldb),
                        beta, out.base + columns.lowerBound, Int32(ldc))
        }
    }
}

/// Makes OpenBLAS compute each call on the calling thread, once.
let singleThreadedBLAS: Void = openblas_set_num_threads(1)
