/// The outcome of one generation.
public enum GenerationStatus: UInt8, Sendable, CaseIterable {
    case success, failed, cancelled

    /// Parses the exact bytes `success`, `failed` or `cancelled` (and PixSim7's `completed` = success).
    public init?(_ bytes: ByteString) {
        switch bytes.count {
        case 7 where bytes == "success": self = .success
        case 6 where bytes == "failed": self = .failed
        case 9 where bytes == "cancelled": self = .cancelled
        case 9 where bytes == "completed": self = .success
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .success: "success"
        case .failed: "failed"
        case .cancelled: "cancelled"
        }
    }
}

/// A status of a generation that has not finished (PixSim7's `pending`, `processing`,
/// `paused`): such a record is not counted, and the file reports how many it had.
public enum UnfinishedStatus: UInt8, Sendable, CaseIterable {
    case pending, processing, paused

    public init?(_ bytes: ByteString) {
        switch bytes.count {
        case 7 where bytes == "pending": self = .pending
        case 10 where bytes == "processing": self = .processing
        case 6 where bytes == "paused": self = .paused
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .pending: "pending"
        case .processing: "processing"
        case .paused: "paused"
        }
    }
}

/// What a parser made of one line.
enum ParsedLine: Equatable {
    /// Nothing but spaces.
    case blank
    /// A record to count (in the parser's `record`).
    case record
    /// A record of a generation that has not finished: not counted.
    case unfinished(UnfinishedStatus)
}

/// Why the value of an optional field was left out of its record (the record is kept).
public enum IgnoredValue: Error, Sendable, Equatable {
    /// `""` where a value was expected.
    case empty
    /// Only whitespace, where a name was expected (`experiment`, `arm`): no name.
    case blank
    case wrongType(expected: String, found: String)
    case negative
    /// Above the largest value the analytics take for this field.
    case outOfRange(String)
    /// `created_at` that is not an ISO 8601 date-time.
    case notADate
    /// Text whose bytes are not UTF-8 (a CSV saved as Windows-1252 by a spreadsheet).
    case notUTF8

    /// What kind of problem this is, without the value found: values ignored for one field and one
    /// reason are counted together (the set of reasons is fixed by the readers, so it stays small).
    public var reason: String {
        switch self {
        case .empty: "empty"
        case .blank: "blank"
        case .wrongType(let expected, _): "wrong type: \(expected)"
        case .negative: "negative"
        case .outOfRange(let why): "out of range: \(why)"
        case .notADate: "not a date"
        case .notUTF8: "not UTF-8"
        }
    }

    /// The message for `field`, e.g. "`rating` is an empty string".
    public func message(field: String) -> String {
        switch self {
        case .empty: "`\(field)` is an empty string"
        case .blank: "`\(field)` is only whitespace"
        case .wrongType(let expected, let found): "`\(field)` must be \(expected), found \(found)"
        case .negative: "`\(field)` cannot be negative"
        case .outOfRange(let why): "`\(field)` is out of range: \(why)"
        case .notADate: "`\(field)` is not an ISO 8601 date-time"
        case .notUTF8: "`\(field)` is not UTF-8 text"
        }
    }
}

/// A run of UTF-8 bytes owned by a reader's buffer: valid only while the reader's
/// callback runs. Compared and hashed by content, turned into a `String` only when kept.
public struct ByteString: @unchecked Sendable {
    public let bytes: UnsafeBufferPointer<UInt8>

    public init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    public var count: Int { bytes.count }
    public var isEmpty: Bool { bytes.isEmpty }
    public var string: String { String(decoding: bytes, as: UTF8.self) }
    /// Whether every byte is ASCII whitespace (space, tab, line feed, carriage return, vertical tab, form feed); true when empty.
    public var isBlank: Bool { bytes.allSatisfy { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) } }

    public static func == (lhs: ByteString, rhs: StaticString) -> Bool {
        guard lhs.count == rhs.utf8CodeUnitCount else { return false }
        return lhs.bytes.elementsEqual(UnsafeBufferPointer(start: rhs.utf8Start, count: rhs.utf8CodeUnitCount))
    }

    public static func == (lhs: ByteString, rhs: ByteString) -> Bool {
        lhs.count == rhs.count && (lhs.count == 0 || memcmp(lhs.bytes.baseAddress!, rhs.bytes.baseAddress!, lhs.count) == 0)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One generation record as a reader found it (SPEC §2.10). String fields are views
/// into the reader's buffers (escapes already decoded); absent and `null` are both nil.
/// Numbers arrive as `Double`. Unknown fields are skipped by the readers.
public struct LogRecordView {
    public var id: ByteString?
    /// `<family>@<N>`, as written (not yet checked against the catalog).
    public var version: ByteString?
    public var provider: ByteString?
    public var operation: ByteString?
    public var strategy: ByteString?
    public var status: GenerationStatus?
    public var error: ByteString?
    public var latencyMs: Double?
    public var cost: Double?
    /// ISO 8601 date-time as written, e.g. `2025-11-17T10:00:00Z`.
    public var createdAt: ByteString?
    public var rating: Double?
    public var experiment: ByteString?
    public var arm: ByteString?
    public var node: ByteString?
    public var block: ByteString?
    public var prompt: ByteString?

    public init() {}
}

/// Where a reader delivers what it read. Line numbers are 1-based and counted from the
/// first line of the part of the file being read (a chunk starts at line 1); the caller
/// shifts them once the lines before the chunk are known.
public protocol LogSink {
    /// A well-formed record.
    mutating func record(_ record: LogRecordView, line: Int)
    /// The same, with the line's bytes (for sinks that quote a line they report).
    mutating func record(_ record: LogRecordView, line: Int, text: UnsafeBufferPointer<UInt8>)
    /// A line that could not be used: not valid JSON / CSV, longer than the bound, a
    /// missing or unknown `status`. `column` is 1-based in bytes where known.
    mutating func malformed(line: Int, column: Int?, message: String)
    /// The same, with the line's bytes (empty when the line was too long to keep).
    mutating func malformed(line: Int, column: Int?, message: String, text: UnsafeBufferPointer<UInt8>)
    /// An optional field whose value was left out of the record delivered next on the same
    /// line (empty, of the wrong type, out of range): the record itself is kept.
    mutating func ignored(_ field: String, _ reason: IgnoredValue, line: Int, column: Int?, text: UnsafeBufferPointer<UInt8>)
    /// A record of a generation that has not finished (`pending`, `processing`, `paused`): not counted.
    mutating func unfinished(_ status: UnfinishedStatus, line: Int, text: UnsafeBufferPointer<UInt8>)
}

extension LogSink {
    public mutating func record(_ record: LogRecordView, line: Int, text: UnsafeBufferPointer<UInt8>) {
        self.record(record, line: line)
    }

    public mutating func malformed(line: Int, column: Int?, message: String, text: UnsafeBufferPointer<UInt8>) {
        malformed(line: line, column: column, message: message)
    }

    public mutating func ignored(_ field: String, _ reason: IgnoredValue, line: Int, column: Int?, text: UnsafeBufferPointer<UInt8>) {}

    public mutating func unfinished(_ status: UnfinishedStatus, line: Int, text: UnsafeBufferPointer<UInt8>) {}
}
