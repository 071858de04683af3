import Diagnostics
import Foundation
import Synchronization

/// Versions parsed by an earlier load in this process, by file and `stat` stamp: a long-running
/// process (`serve`) parses again only the version files that changed since its last build.
/// A file changed within a second of being read is never remembered (its stamp may not tell a
/// later edit apart), and files the last load did not meet are forgotten.
public final class LoadMemo: Sendable {
    struct Stamp: Equatable, Sendable {
        let size: Int64
        let inode: UInt64
        /// Modification and change times, in nanoseconds.
        let modified: Int64
        let changed: Int64

        init?(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
            size = Int64(info.st_size)
            inode = UInt64(info.st_ino)
            modified = Int64(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_mtim.tv_nsec)
            changed = Int64(info.st_ctim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_ctim.tv_nsec)
        }

        /// Older than a second before `now`: an edit from now on changes the stamp.
        func settled(before now: Double) -> Bool {
            Double(max(modified, changed)) / 1e9 < now - 1
        }
    }

    private struct Entry: Sendable {
        let stamp: Stamp
        let version: Loaded<PromptVersion>
    }

    /// What the last load remembered, and what the current one has met so far.
    private let remembered = Mutex<(last: [String: Entry], current: [String: Entry])>(([:], [:]))
    /// Versions taken from the memo by the last load (for the tests and the log).
    private let reusedCount = Mutex(0)

    public init() {}

    /// How many version files the last load took from the memo instead of parsing them.
    public var reused: Int { reusedCount.withLock { $0 } }

    /// The version in `entry`, from the memo when its file has the stamp it had then.
    func version(_ entry: ContentEntry, now: Double, load: () -> Loaded<PromptVersion>) -> Loaded<PromptVersion> {
        guard entry.data == nil, let stamp = Stamp(entry.filePath) else { return load() }
        let known = remembered.withLock { $0.last[entry.path] }
        if let known, known.stamp == stamp {
            remembered.withLock { $0.current[entry.path] = known }
            reusedCount.withLock { $0 += 1 }
            return known.version
        }
        let loaded = load()
        if stamp.settled(before: now) { remembered.withLock { $0.current[entry.path] = Entry(stamp: stamp, version: loaded) } }
        return loaded
    }

    func startLoad() {
        reusedCount.withLock { $0 = 0 }
    }

    /// The files this load met become the ones the next load may take.
    func finishLoad() {
        remembered.withLock { $0 = (last: $0.current, current: [:]) }
    }
}
