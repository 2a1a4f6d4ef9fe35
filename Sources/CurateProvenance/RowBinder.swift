/// Binds document rows to an INSERT of their shape: integers at once, strings laid end to
/// end and bound in place when the statement runs.
struct RowBinder {
    private var arena = TextArena()
    private var texts: [(index: Int32, slice: TextArena.Slice)] = []

    /// Binds the values of the row at `row` from parameter `base` on, in the order of
    /// `RowShape.insertSQL`; the row is read in place (copying it cost as much as binding it).
    mutating func bind(_ row: UnsafePointer<DocumentRecord>, task: Int64, at base: Int32, to statement: SQLiteStatement) {
        statement.bind(integer: row.pointee.inputID, at: base)
        statement.bind(integer: row.pointee.offset, at: base + 1)
        statement.bind(integer: task, at: base + 2)
        texts.append((base + 3, arena.add(row.pointee.docID)))
        var column = base + 4
        // In the order of `RowShape.optionalColumns`.
        if let line = row.pointee.line { statement.bind(integer: line, at: column); column += 1 }
        if let url = row.pointee.url { texts.append((column, arena.add(url))); column += 1 }
        if let droppedBy = row.pointee.droppedBy { texts.append((column, arena.add(droppedBy))); column += 1 }
        if let reason = row.pointee.reason { texts.append((column, arena.add(reason))); column += 1 }
        if let metrics = row.pointee.metrics { texts.append((column, arena.add(metrics))); column += 1 }
        if let detail = row.pointee.detail { texts.append((column, arena.add(detail))); column += 1 }
        if let chars = row.pointee.chars { statement.bind(integer: Int64(chars), at: column); column += 1 }
        if let domain = row.pointee.domain { texts.append((column, arena.add(domain))); column += 1 }
        if let language = row.pointee.language { texts.append((column, arena.add(language))) }
    }

    /// Binds the strings and runs the statement, leaving the binder empty.
    mutating func run(_ statement: SQLiteStatement) throws {
        try arena.withBytes { bytes in
            for (index, slice) in texts { statement.bind(text: bytes[slice.range], at: index) }
            while try statement.step() {}
        }
        arena.reset()
        texts.removeAll(keepingCapacity: true)
    }
}
