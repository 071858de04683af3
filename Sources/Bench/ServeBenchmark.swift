import Foundation
import Serve

/// `promptsite bench serve`: how long after a saved edit of one version the open pages are told
/// to reload, on a generated repository served by `servePreview` (the watcher, the debounce and
/// the rebuild; the browser's own reload comes on top).
public struct ServeBenchmark: Sendable {
    public let families: Int
    public let versionsPerFamily: Int
    public let edits: Int

    public init(families: Int, versionsPerFamily: Int, edits: Int = 5) {
        self.families = families
        self.versionsPerFamily = versionsPerFamily
        self.edits = edits
    }

    public struct Report: Sendable {
        public let versions: Int
        public let firstBuild: String
        /// Seconds from each save to the reload event, in order.
        public let latencies: [Double]
        /// The server's line for each rebuild.
        public let rebuilds: [String]

        public var median: Double { latencies.sorted()[latencies.count / 2] }

        public var description: String {
            ([
                "promptsite serve: \(versions) versions; \(firstBuild)",
                "save → reload event: " + latencies.map { String(format: "%.2f", $0) }.joined(separator: ", ") + " s; median \(String(format: "%.2f", median)) s",
            ] + rebuilds.map { "  \($0)" }).joined(separator: "\n")
        }
    }

    public func run() async throws -> Report {
        let root = ScratchFolders.make("promptsite-bench-serve")
        defer { ScratchFolders.remove(root) }
        let content = root.appendingPathComponent("Content")
        try ScratchFolders.guarded {
            try Benchmark(families: families, versionsPerFamily: versionsPerFamily).generate(into: content)
            try Data("{ \"title\": \"Bench\", \"defaultProviders\": [\"video\"] }\n".utf8).write(to: root.appendingPathComponent("Site.json"))
        }
        var options = PreviewOptions(workingDirectory: root)
        options.port = 0
        let (lines, log) = AsyncStream<(String, ContinuousClock.Instant)>.makeStream()
        let server = Task { try await servePreview(options) { log.yield(($0, .now)) } }
        var iterator = lines.makeAsyncIterator()
        var firstBuild = ""
        while let (line, _) = await iterator.next(), !line.hasPrefix("serving ") {
            if line.hasPrefix("built") { firstBuild = line }
        }
        let file = content.appendingPathComponent("prompts/family-\(families / 2)/v\((versionsPerFamily + 1) / 2).prompt")
        var latencies: [Double] = []
        var rebuilds: [String] = []
        for edit in 0..<edits {
            let text = try String(contentsOf: file, encoding: .utf8)
            let start = ContinuousClock.now
            try ScratchFolders.guarded { try Data(text.replacingOccurrences(of: "message: ", with: "message: edit \(edit), ").utf8).write(to: file) }
            while let (line, time) = await iterator.next() {
                if line.hasPrefix("rebuilt") {
                    latencies.append(Double((time - start).components.attoseconds) / 1e18 + Double((time - start).components.seconds))
                    rebuilds.append(line)
                    break
                }
            }
            // Let the next edit be a save of its own, not part of this one's debounce.
            try await Task.sleep(for: .milliseconds(300))
        }
        server.cancel()
        try await server.value
        return Report(versions: families * versionsPerFamily, firstBuild: firstBuild, latencies: latencies, rebuilds: rebuilds)
    }
}
