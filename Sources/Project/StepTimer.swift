import Foundation

/// How long a named step of a build took.
public struct StepTime: Sendable {
    public let name: String
    public let seconds: Double

    public init(name: String, seconds: Double) {
        self.name = name
        self.seconds = seconds
    }
}

/// Times the named steps of a build, in order, and tells a progress display which step runs.
public final class StepTimer: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [StepTime] = []
    private let clock: @Sendable () -> Double
    /// Called when a step starts (the progress line shows its name).
    public let onStart: @Sendable (String) -> Void

    public init(clock: @escaping @Sendable () -> Double = { Date().timeIntervalSinceReferenceDate },
                onStart: @escaping @Sendable (String) -> Void = { _ in }) {
        self.clock = clock
        self.onStart = onStart
    }

    public var steps: [StepTime] { lock.withLock { recorded } }

    public func time<Value>(_ name: String, _ body: () throws -> Value) rethrows -> Value {
        onStart(name)
        let start = clock()
        defer {
            let step = StepTime(name: name, seconds: clock() - start)
            lock.withLock { recorded.append(step) }
        }
        return try body()
    }
}
