import CLibPQ
import Foundation

/// Why a database request failed: the SQLSTATE (empty for connection problems) and the server's message.
struct PostgresError: Error, Sendable, Equatable {
    enum Kind: Sendable, Equatable { case connection, query }
    let kind: Kind
    let sqlState: String
    let message: String

    /// `statement_timeout` expired (SQLSTATE 57014, query_canceled).
    var isTimeout: Bool { sqlState == "57014" }
}

/// One libpq connection, used from one thread: text parameters in, text values out.
/// Only aggregate queries go through it, so results are small and read whole.
final class PostgresConnection {
    private let connection: OpaquePointer
    /// How long the client waits for an answer: the server's `statement_timeout` plus a grace. A
    /// server that stops answering (a frozen host, a partition) cannot enforce its own timeout.
    private let answerSeconds: Double

    /// Connects to `url` (a `postgresql://` URL or `key=value` string), giving up after `timeoutSeconds`,
    /// and sets the session's `statement_timeout` and time zone (UTC, as the log files' days are).
    init(url: String, timeoutSeconds: Int) throws(PostgresError) {
        let keywords = ["dbname", "connect_timeout", "application_name"]
        let values = [url, String(max(2, timeoutSeconds)), "promptsite"]
        let made: OpaquePointer? = keywords.withCStrings { keywordPointers in
            values.withCStrings { valuePointers in PQconnectdbParams(keywordPointers, valuePointers, 1) }
        }
        guard let made else { throw PostgresError(kind: .connection, sqlState: "", message: "out of memory") }
        guard PQstatus(made) == CONNECTION_OK else {
            let message = Self.redacted(Self.trimmed(PQerrorMessage(made)), url: url)
            PQfinish(made)
            throw PostgresError(kind: .connection, sqlState: "", message: message)
        }
        connection = made
        answerSeconds = Double(max(2, timeoutSeconds)) + 5
        // The server's notices (warnings about escapes) are not ours to print.
        PQsetNoticeProcessor(made, { _, _ in }, nil)
        do {
            // Settings a database may have changed that the queries' text rests on: float text
            // with every digit (with `extra_float_digits` lowered, latencies came back as 1e+03),
            // and backslashes in string literals as written (with `standard_conforming_strings`
            // off, the blank test's `\v` matched the letter v).
            _ = try query("SELECT set_config('statement_timeout', $1, false), set_config('TimeZone', 'UTC', false), "
                          + "set_config('extra_float_digits', '3', false), set_config('standard_conforming_strings', 'on', false)",
                          [String(timeoutSeconds * 1000)])
        } catch {
            PQfinish(made)
            throw error
        }
    }

    deinit { PQfinish(connection) }

    /// libpq quotes the connection string in some errors (a malformed URL: its password with it).
    /// The message goes into published reports: the URL, its password and any quoted part of it
    /// are replaced before it leaves here.
    static func redacted(_ message: String, url: String) -> String {
        guard !url.isEmpty else { return message }
        var out = message.replacingOccurrences(of: url, with: "<the connection URL>")
        // Quoted parts of the URL (`invalid percent-encoded token: "p%zz"`).
        out = out.replacing(/"([^"]*)"/) { match in
            let quoted = String(match.1)
            return quoted.count >= 3 && url.contains(quoted) ? "\"…\"" : String(match.0)
        }
        if let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://"), scheme.upperBound < at {
            let credentials = url[scheme.upperBound..<at]
            if let colon = credentials.firstIndex(of: ":") {
                let password = String(credentials[credentials.index(after: colon)...])
                if password.count >= 3 { out = out.replacingOccurrences(of: password, with: "…") }
            }
        }
        return out
    }

    /// Runs one statement with text parameters; the rows as text (nil for SQL NULL).
    func query(_ sql: String, _ parameters: [String] = []) throws(PostgresError) -> [[String?]] {
        let sent = parameters.withCStrings { pointers in
            PQsendQueryParams(connection, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        guard sent == 1 else { throw PostgresError(kind: .connection, sqlState: "", message: Self.trimmed(PQerrorMessage(connection))) }
        // Wait for the answer on the socket, with a deadline of our own.
        let deadline = Date().addingTimeInterval(answerSeconds)
        while PQisBusy(connection) != 0 {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                throw PostgresError(kind: .query, sqlState: "57014",
                                    message: "no answer from the server in \(Int(answerSeconds)) s (it stopped responding)")
            }
            var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining, 1) * 1000))
            if ready < 0, errno != EINTR {
                throw PostgresError(kind: .connection, sqlState: "", message: String(cString: strerror(errno)))
            }
            if ready > 0, PQconsumeInput(connection) != 1 {
                throw PostgresError(kind: .connection, sqlState: "", message: Self.trimmed(PQerrorMessage(connection)))
            }
        }
        // The statement's result is the last one (PQgetResult ends with NULL).
        var last: OpaquePointer?
        while let next = PQgetResult(connection) {
            if let last { PQclear(last) }
            last = next
        }
        guard let result = last else {
            throw PostgresError(kind: .connection, sqlState: "", message: Self.trimmed(PQerrorMessage(connection)))
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            let message = Self.trimmed(PQresultErrorMessage(result))
            throw PostgresError(kind: PQstatus(connection) == CONNECTION_OK ? .query : .connection, sqlState: state, message: message)
        }
        let rows = Int(PQntuples(result))
        let columns = Int(PQnfields(result))
        var table: [[String?]] = []
        table.reserveCapacity(rows)
        for row in 0..<rows {
            var values: [String?] = []
            values.reserveCapacity(columns)
            for column in 0..<columns {
                if PQgetisnull(result, Int32(row), Int32(column)) != 0 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, Int32(row), Int32(column))))
                }
            }
            table.append(values)
        }
        return table
    }

    /// A libpq message without its trailing newline and the `ERROR:  ` prefix.
    private static func trimmed(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "unknown error" }
        var message = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
        if message.hasPrefix("ERROR:") { message = String(message.dropFirst(6)).trimmingCharacters(in: .whitespaces) }
        return message.split(separator: "\n").first.map(String.init) ?? message
    }
}

extension Array where Element == String {
    /// The strings as a C array of C strings, alive for the duration of `body`.
    fileprivate func withCStrings<Result>(_ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Result) -> Result {
        let copies = map { strdup($0) }
        defer { copies.forEach { free($0) } }
        var pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) }
        pointers.append(nil)
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
