import Foundation
import Synchronization

/// Temporary folders a test makes and leaves for the end of the test process: each is removed
/// when the process exits (a build's output is read after the call that made it returns, so
/// its folder cannot be removed any sooner). Folders left by a crashed run stay in the system's
/// temporary folder under their prefix.
public enum ScratchFolder {
    private static let made = Mutex<[URL]>([])
    private static let removalAtExit: Void = { atexit { ScratchFolder.removeAll() } }()

    /// A new, empty folder `<temporary>/<prefix>-<UUID>`, removed when the process exits.
    public static func make(_ prefix: String) throws -> URL {
        _ = removalAtExit
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        made.withLock { $0.append(folder) }
        return folder
    }

    /// A name for a folder the caller makes itself (a build makes its project folder), removed likewise.
    public static func name(_ prefix: String) -> URL {
        _ = removalAtExit
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        made.withLock { $0.append(folder) }
        return folder
    }

    static func removeAll() {
        for folder in made.withLock({ $0 }) { try? FileManager.default.removeItem(at: folder) }
    }
}
