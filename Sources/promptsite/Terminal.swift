import Foundation
import Site

/// Standard output and error, and whether to colour them.
enum Terminal {
    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// A progress line on standard error, only when it is a terminal and CI is not set.
    static func progress() -> BuildProgress? {
        guard isatty(STDERR_FILENO) == 1, ProcessInfo.processInfo.environment["CI"] == nil,
              ProcessInfo.processInfo.environment["TERM"] != "dumb" else { return nil }
        return TerminalProgress(write: { FileHandle.standardError.write(Data($0.utf8)) })
    }

    /// Colour only on a terminal, and never when NO_COLOR is set.
    static func colors(_ stream: Int32 = STDOUT_FILENO) -> Bool {
        isatty(stream) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }
}

/// Values kept until the process ends: taking a large catalog's model apart object by object
/// costs tens of milliseconds at the end of a build (on one core), which the process's exit
/// does at once. The CLI is single-threaded here: one command, then exit.
nonisolated(unsafe) private var keptUntilExit: [Any] = []

func keepUntilExit(_ value: Any) {
    keptUntilExit.append(value)
}

/// Calls `handler` on Ctrl-C, SIGTERM or SIGHUP (the terminal closed) instead of dying at once,
/// until the returned sources are cancelled.
func onStopSignal(_ handler: @escaping @Sendable (Int32) -> Void) -> [DispatchSourceSignal] {
    [SIGINT, SIGTERM, SIGHUP].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { handler(number) }
        source.resume()
        return source
    }
}
