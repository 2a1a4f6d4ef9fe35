import CSQLite3

/// A failed SQLite call, with SQLite's own message.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { "provenance database: \(message)" }
}

/// A value bound to a statement parameter or read from a column.
enum SQLValue {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// One SQLite connection; used from one thread at a time.
final class SQLiteConnection {
    private let handle: OpaquePointer
    private var cache: [String: SQLiteStatement] = [:]

    init(path: String) throws(SQLiteError) {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &db, flags, nil) == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw SQLiteError(message: "\(path): \(message)")
        }
        handle = db
        sqlite3_busy_timeout(db, 10_000)
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that take no parameters.
    func execute(_ sql: String) throws(SQLiteError) {
        var error: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &error) != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastError
            sqlite3_free(error)
            throw SQLiteError(message: message)
        }
    }

    /// A prepared statement for `sql`, cached for reuse.
    func statement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let cached = cache[sql] {
            cached.reset()
            return cached
        }
        var raw: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &raw, nil) == SQLITE_OK, let raw else {
            throw SQLiteError(message: "\(lastError) in: \(sql)")
        }
        let statement = SQLiteStatement(raw, connection: self)
        cache[sql] = statement
        return statement
    }

    /// Runs a statement with parameters, discarding any rows.
    func run(_ sql: String, _ values: [SQLValue] = []) throws(SQLiteError) {
        let statement = try statement(sql)
        statement.bind(values)
        while try statement.step() {}
    }

    /// The rows of a query, each as its column values.
    func rows(_ sql: String, _ values: [SQLValue] = []) throws(SQLiteError) -> [[SQLValue]] {
        let statement = try statement(sql)
        statement.bind(values)
        var rows: [[SQLValue]] = []
        while try statement.step() { rows.append(statement.row()) }
        return rows
    }

    /// Runs `body` inside a transaction, committed if it returns and rolled back if it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Whether foreign-key and CHECK constraints are enforced (see `enforceConstraints`).
    private var enforcing = true

    /// Turns the enforcement of foreign-key and CHECK constraints on or off: off only for rows
    /// whose references and values the caller has checked itself. Called outside a transaction
    /// (SQLite ignores `PRAGMA foreign_keys` inside one); switching recompiles the prepared
    /// statements when they next run, so it is done only when the setting changes.
    func enforceConstraints(_ on: Bool) throws(SQLiteError) {
        guard on != enforcing else { return }
        try execute(on ? "PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF"
                       : "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON")
        enforcing = on
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    var lastError: String { String(cString: sqlite3_errmsg(handle)) }
}

/// A prepared statement.
final class SQLiteStatement {
    private let raw: OpaquePointer
    private unowned let connection: SQLiteConnection

    init(_ raw: OpaquePointer, connection: SQLiteConnection) {
        self.raw = raw
        self.connection = connection
    }

    deinit { sqlite3_finalize(raw) }

    func reset() {
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
    }

    /// Resets the statement to run again, keeping the values bound to its parameters.
    func rewind() { sqlite3_reset(raw) }

    func bind(_ values: [SQLValue]) {
        for (i, value) in values.enumerated() { bind(value, at: Int32(i + 1)) }
    }

    /// Binds `value`; nil leaves the parameter NULL, as a fresh or reset statement has it.
    func bind(integer value: Int64?, at index: Int32) {
        if let value { sqlite3_bind_int64(raw, index, value) }
    }

    /// Binds UTF-8 bytes that stay valid until the statement has run (no copy is made); nil
    /// leaves the parameter NULL, as a fresh or reset statement has it.
    func bind(text bytes: Slice<UnsafeBufferPointer<UInt8>>?, at index: Int32) {
        guard let bytes else { return }
        guard let base = bytes.base.baseAddress else {
            sqlite3_bind_text(raw, index, "", 0, SQLITE_TRANSIENT)
            return
        }
        let pointer = UnsafeRawPointer(base + bytes.startIndex).assumingMemoryBound(to: CChar.self)
        sqlite3_bind_text64(raw, index, pointer, UInt64(bytes.count), nil, UInt8(SQLITE_UTF8))
    }

    func bind(_ value: SQLValue, at index: Int32) {
        switch value {
        case .null: sqlite3_bind_null(raw, index)
        case let .integer(n): sqlite3_bind_int64(raw, index, n)
        case let .real(x): sqlite3_bind_double(raw, index, x)
        case let .text(s): sqlite3_bind_text(raw, index, s, -1, SQLITE_TRANSIENT)
        }
    }

    /// Advances; true when a row is ready.
    func step() throws(SQLiteError) -> Bool {
        switch sqlite3_step(raw) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteError(message: connection.lastError)
        }
    }

    /// Column `i` of the current row as an integer (0 for NULL).
    func integer(_ i: Int32) -> Int64 { sqlite3_column_int64(raw, i) }

    /// Whether column `i` of the current row is NULL.
    func isNull(_ i: Int32) -> Bool { sqlite3_column_type(raw, i) == SQLITE_NULL }

    /// Column `i` of the current row as text, nil for NULL.
    func text(_ i: Int32) -> String? {
        guard sqlite3_column_type(raw, i) != SQLITE_NULL, let text = sqlite3_column_text(raw, i) else { return nil }
        return String(cString: text)
    }

    func row() -> [SQLValue] {
        (0..<sqlite3_column_count(raw)).map { i in
            switch sqlite3_column_type(raw, i) {
            case SQLITE_INTEGER: .integer(sqlite3_column_int64(raw, i))
            case SQLITE_FLOAT: .real(sqlite3_column_double(raw, i))
            case SQLITE_NULL: .null
            default: .text(String(cString: sqlite3_column_text(raw, i)))
            }
        }
    }
}

/// SQLite's "copy this string now" destructor marker, which Swift cannot import as a macro.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension SQLValue {
    var int: Int64? { if case let .integer(n) = self { n } else { nil } }
    var double: Double? {
        switch self {
        case let .real(x): x
        case let .integer(n): Double(n)
        default: nil
        }
    }
    var string: String? { if case let .text(s) = self { s } else { nil } }
}

/// The strings of one statement's parameters, laid end to end so that SQLite can read them in
/// place instead of copying each one.
struct TextArena {
    struct Slice {
        let range: Range<Int>
    }

    private var bytes: [UInt8] = []

    mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    mutating func add(_ text: String) -> Slice {
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        return Slice(range: start..<bytes.count)
    }

    func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer(body)
    }
}
