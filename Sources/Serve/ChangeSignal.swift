import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Says at once that something under the watched paths may have changed (Linux inotify), so the
/// watch loop looks then instead of on its next poll: a save reached the rebuild up to a poll
/// interval later (a fifth of a second on 10,000 files). The snapshot stays the judge of what
/// changed; a wake-up without a change costs one look. Where inotify is missing or refuses (its
/// watch limit), `make` gives nil and the loop polls as before.
final class ChangeSignal: @unchecked Sendable {
    #if canImport(Glibc)
    private let descriptor: Int32
    /// Made only once every folder is watched: a dispatch source released before it was resumed
    /// stops the process.
    private var source: (any DispatchSourceRead)?
    private let maximumFolders: Int
    // Touched on the source's queue only (the watches), or under the lock (the flag).
    private var folders: [Int32: String] = [:]
    private let lock = NSLock()
    private var pending = false
    private var failed = false
    private static let mask = UInt32(IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_DELETE_SELF
                                     | IN_MOVE_SELF | IN_MOVED_FROM | IN_MOVED_TO | IN_DONT_FOLLOW)
    /// Folders watched at most (each costs a kernel watch; past this, polling is cheaper to trust).
    static let maximumFolders = 50_000
    static let maximumDepth = 64

    private init?(_ paths: [URL], maximumFolders: Int) {
        self.maximumFolders = maximumFolders
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        for path in paths {
            var info = stat()
            // A single file (Site.json) is watched through its folder: an editor's save replaces it.
            if stat(path.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                watchTree(path.path)
            } else {
                watch(path.deletingLastPathComponent().path)
            }
        }
        guard !lock.withLock({ failed }) else {
            close(descriptor)
            return nil
        }
        let descriptor = descriptor
        let source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: DispatchQueue(label: "promptsite.watch"))
        source.setEventHandler { [weak self] in self?.drain() }
        source.setCancelHandler { close(descriptor) }
        source.resume()
        self.source = source
    }

    /// Nil where inotify cannot watch every folder (more than `maximumFolders`, or the system's limit).
    static func make(watching paths: [URL], maximumFolders: Int = maximumFolders) -> ChangeSignal? {
        ChangeSignal(paths, maximumFolders: maximumFolders)
    }

    deinit { source?.cancel() }

    /// Whether anything was seen since the last call.
    func takePending() -> Bool {
        lock.withLock {
            defer { pending = false }
            return pending
        }
    }

    /// A folder made since could not be watched (the system's limit): the caller polls instead.
    var gaveUp: Bool { lock.withLock { failed } }

    private func watch(_ folder: String) {
        guard folders.count < maximumFolders else {
            lock.withLock { failed = true }
            return
        }
        let watch = inotify_add_watch(descriptor, folder, Self.mask)
        if watch >= 0 { folders[watch] = folder } else if errno == ENOSPC || errno == ENOMEM { lock.withLock { failed = true } }
    }

    /// The folder and every folder below it (links to folders are not followed, as the snapshot does not).
    /// Deeper than `maximumDepth` below it, folders are not watched (the snapshot every 2 s still
    /// sees them): a hostile chain of thousands of nested folders would exhaust the thread's stack.
    private func watchTree(_ folder: String, depth: Int = 0) {
        watch(folder)
        guard depth < Self.maximumDepth else { return }
        forEachEntry(in: folder) { name in
            let path = folder + "/" + name
            var info = stat()
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { watchTree(path, depth: depth + 1) }
        }
    }

    /// Reads every queued event; a folder made or moved in is watched too.
    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var seen = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            seen = true
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let (watch, mask, length) = buffer.withUnsafeBytes { bytes -> (Int32, UInt32, Int) in
                    let event = bytes.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    return (event.wd, event.mask, Int(event.len))
                }
                let nameStart = offset + MemoryLayout<inotify_event>.size
                if mask & UInt32(IN_ISDIR) != 0, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0, length > 0, let parent = folders[watch] {
                    let name = buffer[nameStart..<min(nameStart + length, count)].prefix { $0 != 0 }
                    watchTree(parent + "/" + String(decoding: name, as: UTF8.self))
                }
                if mask & UInt32(IN_IGNORED) != 0 { folders[watch] = nil }
                offset = nameStart + length
            }
        }
        guard seen else { return }
        lock.withLock { pending = true }
    }
    #else
    static func make(watching paths: [URL], maximumFolders: Int = 0) -> ChangeSignal? { nil }
    func takePending() -> Bool { true }
    var gaveUp: Bool { true }
    #endif
}
