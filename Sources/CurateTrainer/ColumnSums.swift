import COpenBLAS

/// Column sums of a row-major matrix, for the bias and LayerNorm gradients.
enum ColumnSums {
    /// Columns per slice of work.
    static let group = 16

    /// Adds to `sums[c]` the column sums of `x[rows, c]`. Each column is added up row by row,
    /// groups of columns spread over up to `workers` cores, so the result does not depend on
    /// the number of cores.
    static func add(_ x: UnsafePointer<Float>, rows: Int, c: Int, into sums: UnsafeMutablePointer<Float>, workers: Int = workerCount) {
        let s = SharedPointer(sums)
        parallelRows((c + group - 1) / group, cost: rows * group, workers: workers) { groups in
            let first = groups.lowerBound * group, last = min(c, groups.upperBound * group)
            vk_add_column_sums(s.base + first, x + first, rows, last - first, c)
        }
    }
}
