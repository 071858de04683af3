import Foundation
import PromptCatalog

/// Per-file log aggregates kept between builds, one file per log file, so a rebuild
/// with unchanged logs reads no log line and a log that only grew is read from where it
/// ended. An entry is trusted only when its checksum and format match; anything
/// unreadable is ignored (and overwritten), never an error.
public struct LogCache: Sendable {
    /// Bumped whenever what a summary holds or how a line is read changes.
    /// 5: cost and rating moments and the latency sum in exact fixed point (`FixedPointMoments`), no double sums.
    /// 6: values ignored counted by field and reason.
    /// 7: names in NFC. 8: columns in code points; blank values and unreadable dates located; `±HH`
    /// offsets read; Langfuse spans and events skipped. 9: a CSV header past the line bound named as such.
    /// 10: a gzip stream stopped past 200 times its compressed size.
    static let formatVersion = 10
    private static let magic = Array("promptsite-log-cache".utf8)

    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// What is remembered about one log file.
    struct Entry: Equatable {
        /// Content-relative path of the log file.
        let path: String
        let size: Int
        /// Modification time in nanoseconds since 1970.
        let modified: Int64
        /// XXH64 of the whole file.
        let contentHash: UInt64
        /// Whether the file ended with a line break (only then can a grown file be read from `size` on).
        let endsWithNewline: Bool
        let summary: FileLogSummary
    }

    /// What the cache holds for a log file.
    enum Lookup {
        case found(Entry)
        /// Nothing kept for it (a first read).
        case none
        /// A file is there but is not one this binary wrote for this log: ignored (and replaced).
        case ignored
    }

    func load(path: String) -> Entry? {
        guard case .found(let entry) = lookup(path: path) else { return nil }
        return entry
    }

    func lookup(path: String) -> Lookup {
        let file = url(for: path)
        guard let data = try? Data(contentsOf: file) else { return access(file.path, F_OK) == 0 ? .ignored : .none }
        let bytes = [UInt8](data)
        guard bytes.count > Self.magic.count + 16, bytes.starts(with: Self.magic) else { return .ignored }
        let body = Array(bytes[..<(bytes.count - 8)])
        let stored = bytes[(bytes.count - 8)...].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        guard XXH64.hash(body) == UInt64(littleEndian: stored) else { return .ignored }
        var reader = BinaryReader(Array(body[Self.magic.count...]))
        guard let entry = try? Self.entry(from: &reader), entry.path == path, reader.atEnd else { return .ignored }
        return .found(entry)
    }

    func store(_ entry: Entry) {
        var writer = BinaryWriter()
        writer.writeRaw(Self.magic)
        writer.write(Self.formatVersion)
        writer.write(entry.path)
        writer.write(entry.size)
        writer.write(entry.modified)
        writer.write(entry.contentHash)
        writer.write(entry.endsWithNewline ? 1 : 0)
        writer.write(entry.summary)
        var bytes = writer.bytes
        withUnsafeBytes(of: XXH64.hash(bytes).littleEndian) { bytes.append(contentsOf: $0) }
        // Written beside and renamed over: a reader never sees half an entry.
        let target = url(for: entry.path)
        let temporary = directory.appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(bytes).write(to: temporary)
            if rename(temporary.path, target.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
        }
    }

    /// One cache file per log path, named by the path's hash.
    func url(for path: String) -> URL {
        let hash = XXH64.hash(Array(path.utf8))
        return directory.appendingPathComponent(String(hash, radix: 16) + ".bin")
    }

    private static func entry(from reader: inout BinaryReader) throws -> Entry {
        guard try reader.int() == formatVersion else { throw BinaryReader.Corrupt() }
        return Entry(path: try reader.string(), size: try reader.int(), modified: try reader.int64(), contentHash: try reader.uint64(),
                     endsWithNewline: try reader.int() == 1, summary: try reader.fileSummary())
    }
}
