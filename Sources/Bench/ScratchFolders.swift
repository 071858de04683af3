import Dispatch
import Foundation
import Synchronization

/// The folders a bench generates its repositories in (and the files it keeps a timed program's
/// errors in), and the program it is timing: a bench stopped by Ctrl-C, SIGTERM or a closed
/// terminal stops that program and removes the folders (a 1,000-family bench leaves about 50,000
/// files otherwise).
///
/// Writing into the folders and starting programs happen inside `guarded`; stopping takes the
/// same gate and never gives it back, so nothing can write a folder again once it is removed.
public enum ScratchFolders {
    private static let state = Mutex<(folders: Set<String>, child: pid_t?)>(([], nil))
    private static let gate = DispatchSemaphore(value: 1)

    /// A new path under the system's temporary folder (for a folder or a file), removed on a signal until `remove` is called.
    static func make(_ prefix: String) -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        state.withLock { _ = $0.folders.insert(folder.path) }
        return folder
    }

    /// Removes a path made by `make` (at the end of its bench).
    static func remove(_ folder: URL) {
        guarded { try? FileManager.default.removeItem(at: folder) }
        state.withLock { _ = $0.folders.remove(folder.path) }
    }

    /// Writes into the folders, or starts a program, unless the bench is stopping (then waits for
    /// the process to end).
    static func guarded<Value>(_ body: () throws -> Value) rethrows -> Value {
        gate.wait()
        defer { gate.signal() }
        return try body()
    }

    /// The program being timed (started inside `guarded`), stopped first on a signal.
    static func timing(_ child: pid_t?) {
        state.withLock { $0.child = child }
    }

    /// Stops the timed program and removes every folder still registered, then keeps the gate:
    /// call it only right before the process exits.
    public static func stopAndRemoveAll() {
        gate.wait()
        let (folders, child) = state.withLock { state in
            defer { state = ([], nil) }
            return (state.folders, state.child)
        }
        if let child {
            kill(child, SIGKILL)
            var status: Int32 = 0
            while waitpid(child, &status, 0) == -1, errno == EINTR {}
        }
        for folder in folders { try? FileManager.default.removeItem(atPath: folder) }
    }
}
