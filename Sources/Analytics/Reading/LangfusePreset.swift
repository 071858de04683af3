#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which column names the log files use: ours (SPEC §2.10) or a preset for another tool's
/// exports (Site.json `logs.preset`).
public enum LogColumns: String, Sendable, CaseIterable {
    case promptsite
    /// Langfuse observation exports (JSON Lines or CSV), in their camelCase or snake_case names:
    /// `promptName` + `promptVersion` → `family@N`, `startTime`/`endTime` → latency and day,
    /// `level` ERROR → failed (else success), no `endTime` → not finished, cost, model, status message;
    /// only observations of `type` GENERATION (or with no type) are generations: spans and events are skipped.
    case langfuse
}

/// A Langfuse export column: one of our fields, or a part that becomes one once the record is read.
enum LangfuseKey: Equatable {
    case field(LogField)
    case promptName, promptVersion, start, end, level, type

    var name: String {
        switch self {
        case .field(let field): field.name
        case .promptName: "promptName"
        case .promptVersion: "promptVersion"
        case .start: "startTime"
        case .end: "endTime"
        case .level: "level"
        case .type: "type"
        }
    }

    private static let names: [(StaticString, LangfuseKey)] = [
        ("id", .field(.id)), ("name", .field(.operation)),
        ("promptName", .promptName), ("prompt_name", .promptName),
        ("promptVersion", .promptVersion), ("prompt_version", .promptVersion),
        ("startTime", .start), ("start_time", .start), ("endTime", .end), ("end_time", .end),
        ("level", .level), ("type", .type), ("statusMessage", .field(.error)), ("status_message", .field(.error)),
        ("calculatedTotalCost", .field(.cost)), ("calculated_total_cost", .field(.cost)),
        ("totalCost", .field(.cost)), ("total_cost", .field(.cost)),
        ("model", .field(.provider)), ("providedModelName", .field(.provider)), ("provided_model_name", .field(.provider)),
    ]

    init?(name: UnsafeBufferPointer<UInt8>) {
        guard let base = name.baseAddress else { return nil }
        for (known, key) in Self.names where known.utf8CodeUnitCount == name.count && memcmp(known.utf8Start, base, name.count) == 0 {
            self = key
            return
        }
        return nil
    }
}

/// The parts of a Langfuse record read so far, and how they become a record.
struct LangfuseParts: ~Copyable {
    var promptName: ByteString?
    var promptVersion: ByteString?
    var start: ByteString?
    var end: ByteString?
    var level: ByteString?
    var type: ByteString?
    /// Where `family@N` is written.
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity = 256

    init() { buffer = .allocate(capacity: capacity) }

    deinit { buffer.deallocate() }

    mutating func reset() {
        promptName = nil
        promptVersion = nil
        start = nil
        end = nil
        level = nil
        type = nil
    }

    mutating func set(_ key: LangfuseKey, _ value: ByteString?) {
        switch key {
        case .promptName: promptName = value
        case .promptVersion: promptVersion = value
        case .start: start = value
        case .end: end = value
        case .level: level = value
        case .type: type = value
        case .field: break
        }
    }

    /// Completes `record`: status from `level` (and no `endTime` = not finished), `version`,
    /// `created_at` and `latency_ms`. Throws for a `level` that is not Langfuse's.
    mutating func finish(_ record: inout LogRecordView, ignored: inout IgnoredFields) throws(ScanFailure) -> ParsedLine {
        // A trace's spans and events are exported beside its generations: they are no generations.
        if let type, !type.isEmpty, !(type == "GENERATION") { return .blank }
        if let level, !level.isEmpty {
            switch level.string {
            case "ERROR": record.status = .failed
            case "DEFAULT", "DEBUG", "WARNING": record.status = .success
            default: throw ScanFailure("`level` must be DEBUG, DEFAULT, WARNING or ERROR, found `\(ByteScanning.quote(level.bytes))`")
            }
        } else {
            record.status = .success
        }
        guard let end, !end.isEmpty else { return .unfinished(.processing) }
        // The day comes from `startTime`; the field that cannot be read is the one named (once).
        let from = start.flatMap { UTCDay.epochMilliseconds($0) }
        if let start {
            if from != nil { record.createdAt = start } else { ignored.add(name: "startTime", offset: nil, .notADate) }
        }
        if let from {
            if let to = UTCDay.epochMilliseconds(end) {
                if to >= from {
                    record.latencyMs = to - from
                } else {
                    ignored.add(name: LogField.latencyMs.name, offset: nil, .negative)
                }
            } else {
                ignored.add(name: "endTime", offset: nil, .notADate)
            }
        }
        if let promptName, !promptName.isEmpty, let promptVersion {
            guard !promptVersion.isEmpty, promptVersion.bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), promptVersion.bytes[0] != 0x30 else {
                ignored.add(name: "promptVersion", offset: nil, .wrongType(expected: "a version number (1, 2, …)", found: "`\(ByteScanning.quote(promptVersion.bytes))`"))
                return .record
            }
            let length = promptName.count + 1 + promptVersion.count
            if length > capacity {
                buffer.deallocate()
                capacity = max(length, capacity * 2)
                buffer = .allocate(capacity: capacity)
            }
            buffer.update(from: promptName.bytes.baseAddress!, count: promptName.count)
            buffer[promptName.count] = 0x40
            (buffer + promptName.count + 1).update(from: promptVersion.bytes.baseAddress!, count: promptVersion.count)
            record.version = ByteString(UnsafeBufferPointer(start: buffer, count: length))
        }
        return .record
    }
}
