import Diagnostics
import Foundation
import Synchronization

/// Versions parsed by an earlier load in this process, by file and `stat` stamp: a long-running
/// process (`serve`) parses again only the version files that changed since its last build.
/// A file changed within a second of being read is never remembered (its stamp may not tell a
/// later edit apart), and files the last load did not meet are forgotten.
public final class LoadMemo: Sendable {
    public struct Stamp: Equatable, Sendable {
        let size: Int64
        let inode: UInt64
        /// Modification and change times, in nanoseconds.
        let modified: Int64
        let changed: Int64

        init(size: Int64, inode: UInt64, modified: Int64, changed: Int64) {
            (self.size, self.inode, self.modified, self.changed) = (size, inode, modified, changed)
        }

        init?(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            self.init(info)
        }

        /// A regular file's stamp as `stat` (or `lstat`) saw it; nil for anything else.
        public init?(_ info: stat) {
            guard info.st_mode & S_IFMT == S_IFREG else { return nil }
            size = Int64(info.st_size)
            inode = UInt64(info.st_ino)
            modified = info.modifiedNanoseconds
            changed = info.changedNanoseconds
        }

        /// Older than a second before `now`: an edit from now on changes the stamp.
        func settled(before now: Double) -> Bool {
            Double(max(modified, changed)) / 1e9 < now - 1
        }
    }

    fileprivate struct Entry: Sendable {
        let stamp: Stamp
        /// The version, once parsed or read from the stored records.
        let version: Loaded<PromptVersion>?
        /// Where its record is in `stored` (it came from disk): written back as it is.
        let record: Range<Int>?
    }

    /// What the last load remembered, and what the current one has met so far.
    private let remembered = Mutex<(last: [String: Entry], current: [String: Entry])>(([:], [:]))
    /// Versions taken from the memo by the last load, and versions it parsed and remembered.
    private let counts = Mutex((reused: 0, added: 0))
    /// The bytes of a memo read from disk (`reading(_:identity:)`), which stored entries point into.
    private let stored: Data
    /// Seconds since 1970: a file changed less than a second before is not remembered.
    private let clock: @Sendable () -> Double
    /// Stamps the build's input fingerprint took a moment before, by file path: the load asks
    /// `stat` only for the files not among them (10,000 versions: 10,000 calls fewer).
    private let seen = Mutex<[String: Stamp]>([:])

    /// Files' stamps taken just before the load (by their path as the loader makes it), used
    /// instead of asking `stat` again. A file changed since is met with its older stamp, as the
    /// fingerprint recorded it: the next build sees the change.
    public func useStamps(_ stamps: [String: Stamp]) {
        seen.withLock { $0 = stamps }
    }

    /// `clock`: tests move it on to have files count as settled at once.
    public init(clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        stored = Data()
        self.clock = clock
    }

    fileprivate init(stored: Data, entries: [String: Entry], clock: @escaping @Sendable () -> Double) {
        self.stored = stored
        self.clock = clock
        remembered.withLock { $0.last = entries }
    }

    /// How many version files the last load took from the memo instead of parsing them.
    public var reused: Int { counts.withLock { $0.reused } }

    /// Whether the memo is worth writing again: the last load remembered (or forgot) at least one
    /// file in 32 of those it holds. Below that, parsing the few changed files again in each
    /// process costs less than writing every record (a one-edit rebuild would write them all).
    public var changedByLastLoad: Bool {
        let added = counts.withLock { $0.added }
        return added > 0 && added >= remembered.withLock { $0.last.count } / 32
    }

    /// The version in `entry`, from the memo when its file has the stamp it had then.
    func version(_ entry: ContentEntry, load: () -> Loaded<PromptVersion>) -> Loaded<PromptVersion> {
        guard entry.data == nil else { return load() }
        let path = entry.filePath
        guard let stamp = seen.withLock({ $0[path] }) ?? Stamp(path) else { return load() }
        let known = remembered.withLock { $0.last[entry.path] }
        if let known, known.stamp == stamp, let version = known.version ?? recall(known.record, file: entry.path) {
            remembered.withLock { $0.current[entry.path] = Entry(stamp: stamp, version: version, record: known.record) }
            counts.withLock { $0.reused += 1 }
            return version
        }
        let loaded = load()
        // A file that could not be read (EIO, too many open files) is not remembered as such.
        if stamp.settled(before: clock()), !loaded.diagnostics.contains(where: { $0.code == "unreadable-file" }) {
            remembered.withLock { $0.current[entry.path] = Entry(stamp: stamp, version: loaded, record: nil) }
            counts.withLock { $0.added += 1 }
        }
        return loaded
    }

    /// The version stored at `record`, or nil when the bytes do not read as one.
    private func recall(_ record: Range<Int>?, file: String) -> Loaded<PromptVersion>? {
        guard let record else { return nil }
        return stored.withUnsafeBytes { bytes in
            var reader = VersionRecords.Reader(UnsafeRawBufferPointer(rebasing: bytes[record]), file: file)
            guard let loaded = try? reader.loaded(), reader.position == record.count else { return nil }
            return loaded
        }
    }

    func startLoad() {
        counts.withLock { $0 = (0, 0) }
    }

    /// The files this load met become the ones the next load may take (a file the last load
    /// remembered and this one did not meet counts as a change).
    func finishLoad() {
        seen.withLock { $0 = [:] }
        let forgot = remembered.withLock { memo in
            defer { memo = (last: memo.current, current: [:]) }
            return memo.last.keys.count { memo.current[$0] == nil }
        }
        counts.withLock { $0.added += forgot }
    }

    // MARK: On disk

    /// Bumped whenever the records' layout or what the loader makes of a file changes (the
    /// binary's identity covers a new build of it too, but not one that cannot be told apart).
    private static let magic = Array("promptsite parsed versions 2\n".utf8)
    /// A memo larger than this is not read (about 1.4 KB per version: 700,000 versions).
    static let maximumFileBytes = 1 << 30

    /// The memo a build wrote to `file` (`encoded(identity:)`), for a build by the binary
    /// `identity`. Without a file the memo is empty; a file that is damaged or was written by
    /// another binary is ignored, and `note` says so.
    public static func reading(_ file: URL, identity: String,
                               clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) -> (memo: LoadMemo, note: String?) {
        let bytes: Data
        switch SourceFile.cacheFile(file, maximumBytes: maximumFileBytes) {
        case .success(let data?): bytes = data
        case .success(nil): return (LoadMemo(clock: clock), nil)
        case .failure(let problem): return (LoadMemo(clock: clock), "parsed-version cache ignored: \(problem.reason); every version is parsed")
        }
        guard bytes.count >= magic.count + 8, bytes.starts(with: magic) else {
            return (LoadMemo(clock: clock), "parsed-version cache ignored: \(file.lastPathComponent) is not one; every version is parsed")
        }
        let entries = bytes.withUnsafeBytes { all -> [String: Entry]? in
            let body = all.count - 8
            var trailer = VersionRecords.Reader(UnsafeRawBufferPointer(rebasing: all[body...]))
            guard (try? trailer.fixed()) == XXH64.hash(UnsafeRawBufferPointer(rebasing: all[..<body])) else { return nil }
            var reader = VersionRecords.Reader(UnsafeRawBufferPointer(rebasing: all[..<body]), at: magic.count)
            return try? reader.entries(identity: identity)
        }
        guard let entries else {
            return (LoadMemo(clock: clock), "parsed-version cache ignored: it is damaged or was written by another promptsite; every version is parsed")
        }
        return (LoadMemo(stored: bytes, entries: entries, clock: clock), nil)
    }

    /// What the last load remembered, as the bytes `reading(_:identity:clock:)` reads back.
    /// Records read from disk are copied as they are.
    public func encoded(identity: String) -> Data {
        let entries = remembered.withLock { $0.last }
        var writer = VersionRecords.Writer()
        writer.bytes = Self.magic
        writer.string(identity)
        writer.count(entries.count)
        for (path, entry) in entries.sorted(by: { $0.key < $1.key }) {
            writer.string(path)
            writer.int(Int(entry.stamp.size))
            writer.unsigned(entry.stamp.inode)
            writer.int(Int(entry.stamp.modified))
            writer.int(Int(entry.stamp.changed))
            var record = VersionRecords.Writer()
            if let range = entry.record {
                stored[range].withUnsafeBytes { record.bytes = Array($0) }
            } else if let version = entry.version {
                record.loaded(version, file: path)
            }
            writer.count(record.bytes.count)
            writer.bytes += record.bytes
        }
        writer.fixed(XXH64.hash(writer.bytes))
        return Data(writer.bytes)
    }
}

extension VersionRecords.Reader {
    /// The index of a stored memo: each file's stamp and where its record is (records are read
    /// only when their file is met with the same stamp).
    fileprivate mutating func entries(identity: String) throws(VersionRecords.Unreadable) -> [String: LoadMemo.Entry] {
        guard try string() == identity else { throw VersionRecords.Unreadable() }
        var entries: [String: LoadMemo.Entry] = [:]
        for _ in 0..<(try count()) {
            let path = try string()
            let stamp = LoadMemo.Stamp(size: Int64(try int()), inode: try unsigned(), modified: Int64(try int()), changed: Int64(try int()))
            let length = try count()
            entries[path] = LoadMemo.Entry(stamp: stamp, version: nil, record: position..<position + length)
            position += length
        }
        guard position == bytes.count else { throw VersionRecords.Unreadable() }
        return entries
    }
}
