import Foundation

/// Runs a program to completion and reports its wall time and peak memory (the
/// child's max RSS from `wait4`), with stdout and stderr discarded.
struct MeasuredProcess {
    struct Measurement {
        let seconds: Double
        let peakMemoryMB: Double
        let status: Int32
        /// User + system CPU time of the child: comparable on a machine others are using.
        var cpuSeconds: Double = 0
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs the program; stderr is kept (in a temporary file) to explain a failure.
    static func run(_ executable: String, _ arguments: [String]) throws -> Measurement {
        let errors = ScratchFolders.make("promptsite-bench-stderr")
        defer { ScratchFolders.remove(errors) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errors.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let start = Date()
        let spawned = ScratchFolders.guarded {
            let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
            if spawned == 0 { ScratchFolders.timing(pid) }
            return spawned
        }
        guard spawned == 0 else { throw Failure(description: "cannot start \(executable): error \(spawned)") }
        defer { ScratchFolders.timing(nil) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1, errno == EINTR {}
        let seconds = Date().timeIntervalSince(start)
        #if os(Linux)
        let peak = Double(usage.ru_maxrss) / 1024
        #else
        let peak = Double(usage.ru_maxrss) / 1_048_576
        #endif
        let exited = (status & 0x7F) == 0
        let code = exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        if code != 0 {
            let message = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw Failure(description: "\(URL(fileURLWithPath: executable).lastPathComponent) \(arguments.joined(separator: " ")) exited with status \(code):\n"
                          + message.split(separator: "\n").suffix(8).joined(separator: "\n"))
        }
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return Measurement(seconds: seconds, peakMemoryMB: peak, status: code, cpuSeconds: cpu)
    }
}
