import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the watched files look like now: each file's modification and change times and size. Polling
/// `stat()` is portable (Linux and macOS); walking the folders with `readdir` and `stat` takes
/// a few tens of milliseconds for 10,000 files, where Foundation's URL resource values take seconds.
public struct WatchSnapshot: Equatable, Sendable {
    struct Stamp: Equatable, Sendable {
        let seconds: Int
        let nanoseconds: Int
        let size: Int
        /// The change time: a `chmod` (a file made unreadable, or readable again) changes only it.
        let changed: Int
    }

    private(set) var files: [String: Stamp] = [:]

    /// Every file under the folders (recursively, hidden ones included: an editor's atomic save
    /// renames a hidden temporary file) and each single file; missing paths are simply absent.
    /// Symlinks are followed for files, not for folders (no cycles).
    public static func take(_ paths: [URL]) -> WatchSnapshot {
        var snapshot = WatchSnapshot()
        for path in paths { snapshot.visit(path.path, top: true) }
        return snapshot
    }

    private mutating func visit(_ path: String, top: Bool) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            #if canImport(Darwin)
            let modified = info.st_mtimespec, changed = info.st_ctimespec
            #else
            let modified = info.st_mtim, changed = info.st_ctim
            #endif
            files[path] = Stamp(seconds: Int(modified.tv_sec), nanoseconds: Int(modified.tv_nsec), size: Int(info.st_size),
                                changed: Int(changed.tv_sec) &* 1_000_000_000 &+ Int(changed.tv_nsec))
        case S_IFDIR:
            if !top {
                var link = stat()
                guard lstat(path, &link) == 0, link.st_mode & S_IFMT != S_IFLNK else { return }
            }
            forEachEntry(in: path) { visit(path + "/" + $0, top: false) }
        default:
            return
        }
    }

    public var count: Int { files.count }
}

/// Calls `body` with the name of each entry of the folder (not `.` and `..`); nothing when it cannot be read.
func forEachEntry(in folder: String, _ body: (String) -> Void) {
    guard let directory = opendir(folder) else { return }
    defer { closedir(directory) }
    while let entry = readdir(directory) {
        let name = withUnsafePointer(to: entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
        }
        if name != "." && name != ".." { body(name) }
    }
}
