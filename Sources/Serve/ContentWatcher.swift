import Foundation

/// What the watched files look like now: each file's modification time and size. Polling
/// `stat()` is portable (Linux and macOS) and, on a short interval, quick enough for an author.
public struct WatchSnapshot: Equatable, Sendable {
    struct Stamp: Equatable, Sendable {
        let modified: Double
        let size: Int
    }

    private(set) var files: [String: Stamp] = [:]

    /// Every file under the folders (recursively, hidden ones included: an editor's atomic save
    /// renames a hidden temporary file) and each single file; missing paths are simply absent.
    public static func take(_ paths: [URL]) -> WatchSnapshot {
        var snapshot = WatchSnapshot()
        let keys: [URLResourceKey] = [.contentModificationDateKey, .fileSizeKey, .isRegularFileKey]
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue {
                snapshot.record(path, keys: keys)
                continue
            }
            guard let walker = FileManager.default.enumerator(at: path, includingPropertiesForKeys: keys) else { continue }
            while let url = walker.nextObject() as? URL { snapshot.record(url, keys: keys) }
        }
        return snapshot
    }

    private mutating func record(_ url: URL, keys: [URLResourceKey]) {
        guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { return }
        files[url.path] = Stamp(modified: values.contentModificationDate?.timeIntervalSinceReferenceDate ?? 0, size: values.fileSize ?? 0)
    }

    public var count: Int { files.count }
}
