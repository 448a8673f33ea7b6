import GRDB
import GRDBSQLite

/// A statement GRDB prepared and caches, bound and stepped through SQLite's C API.
///
/// For the statements run once per record on the ingest path (enqueue, claim, register), where building
/// `StatementArguments` of `DatabaseValue`s cost more than SQLite's own work. GRDB documents `sqliteStatement` for
/// this; everything else goes through GRDB. Use it only inside a GRDB transaction, and only for statements whose
/// changes no GRDB observer needs to see (this store registers none).
struct RawStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer?
    /// Kept to name the SQL in an error: GRDB builds `sql` from the C string on every read, which cost more than
    /// the statement itself when a recomputation appended 120,000 events.
    private let statement: Statement

    init(_ statement: Statement, in db: Database) {
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
        self.statement = statement
    }

    /// Clears the previous bindings; call before binding a new row.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { bytes in
            // An empty buffer may have no address, which SQLite would take for NULL.
            if let base = bytes.baseAddress {
                _ = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text(handle, index, $0, Int32(bytes.count), Self.transient)
                }
            } else {
                sqlite3_bind_text(handle, index, "", 0, Self.transient)
            }
        }
    }

    func bind(_ index: Int32, bytes value: [UInt8]) {
        value.withUnsafeBytes { buffer in
            // A zero-length blob still needs an address, or SQLite would store NULL.
            sqlite3_bind_blob(
                handle, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count),
                Self.transient)
        }
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Int) { sqlite3_bind_int64(handle, index, Int64(value)) }

    func bind(_ index: Int32, _ value: Bool) { sqlite3_bind_int64(handle, index, value ? 1 : 0) }

    /// Runs a statement that returns no rows; returns the number of rows it changed.
    @discardableResult
    func execute() throws -> Int {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw error(code) }
        return Int(sqlite3_changes(connection))
    }

    /// Steps to the next row; false when there is none.
    func next() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        guard code == SQLITE_DONE else { throw error(code) }
        return false
    }

    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    private func error(_ code: Int32) -> DatabaseError {
        let message = connection.map { String(cString: sqlite3_errmsg($0)) }
        // Leave the statement ready for its next use, as GRDB would.
        sqlite3_reset(handle)
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}
