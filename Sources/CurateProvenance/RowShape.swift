/// The columns of a document row that hold values, and its status: rows of one shape share
/// an INSERT that binds exactly their values.
struct RowShape: Hashable {
    /// The columns a row may leave NULL, in the order `RowBinder` binds them.
    static let optionalColumns = ["line", "url", "dropped_by", "reason", "metrics", "detail", "chars", "domain", "language"]

    let status: DocumentStatus
    /// Bit i set: `optionalColumns[i]` has a value.
    let present: UInt16

    init(_ row: DocumentRecord) {
        status = row.status
        func bit(_ set: Bool, _ i: UInt16) -> UInt16 { set ? 1 << i : 0 }
        present = bit(row.line != nil, 0) | bit(row.url != nil, 1) | bit(row.droppedBy != nil, 2) | bit(row.reason != nil, 3)
            | bit(row.metrics != nil, 4) | bit(row.detail != nil, 5) | bit(row.chars != nil, 6) | bit(row.domain != nil, 7)
            | bit(row.language != nil, 8)
    }

    /// Parameters per row: input_id, offset, task_id, doc_id and the present optional columns.
    var width: Int { 4 + present.nonzeroBitCount }

    /// The INSERT of `rows` rows of this shape; the status is a literal.
    func insertSQL(rows: Int) -> String {
        let optional = Self.optionalColumns.indices.filter { present & 1 << $0 != 0 }.map { Self.optionalColumns[$0] }
        let columns = (["input_id", "offset", "task_id", "doc_id", "status"] + optional).joined(separator: ", ")
        let values = "(?, ?, ?, ?, '\(status.rawValue)'" + String(repeating: ", ?", count: optional.count) + ")"
        return "INSERT INTO documents (\(columns)) VALUES " + repeatElement(values, count: rows).joined(separator: ", ")
    }
}

/// A prepared document INSERT's key.
struct InsertKey: Hashable {
    let shape: RowShape
    let rows: Int
}
