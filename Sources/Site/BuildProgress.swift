import Foundation

/// A build's progress, told to whoever shows it (a terminal line, or nobody).
public protocol BuildProgress: Sendable {
    /// A named step started.
    func step(_ name: String)
    /// The current step has this many items.
    func total(_ count: Int)
    /// One more item of the current step is done (called from any thread).
    func advance()
    /// The build ended: clear the line.
    func finish()
}

/// One line on a terminal that updates: `render and write: 4,200/11,019 (3,150/s)`, at most ten
/// times a second. Only for a terminal: the command leaves it out when stdout is not a TTY or CI is set.
public final class TerminalProgress: BuildProgress, @unchecked Sendable {
    private let lock = NSLock()
    private let write: @Sendable (String) -> Void
    private let clock: @Sendable () -> Double
    private var name = ""
    private var count = 0
    private var done = 0
    private var started = 0.0
    private var shown = 0.0
    private var visible = false

    public init(write: @escaping @Sendable (String) -> Void, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSinceReferenceDate }) {
        self.write = write
        self.clock = clock
    }

    public func step(_ name: String) {
        lock.withLock {
            self.name = name
            count = 0
            done = 0
            started = clock()
            show(force: true)
        }
    }

    public func total(_ count: Int) {
        lock.withLock {
            self.count = count
            done = 0
            started = clock()
        }
    }

    public func advance() {
        lock.withLock {
            done += 1
            show(force: false)
        }
    }

    public func finish() {
        lock.withLock {
            if visible { write("\r\u{1B}[2K") }
            visible = false
        }
    }

    /// The line as it is shown (tests read it).
    public static func line(step: String, done: Int, total: Int, seconds: Double) -> String {
        guard total > 0 else { return step + "…" }
        let rate = seconds > 0 ? Int(Double(done) / seconds) : 0
        return "\(step): \(done)/\(total) (\(rate)/s)"
    }

    private func show(force: Bool) {
        let now = clock()
        guard force || now - shown >= 0.1 || done == count else { return }
        shown = now
        visible = true
        write("\r\u{1B}[2K" + Self.line(step: name, done: done, total: count, seconds: now - started))
    }
}
