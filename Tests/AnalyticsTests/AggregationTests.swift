@testable import Analytics
import Testing

/// Records as a reader would deliver them, from plain values; the bytes stay allocated
/// while the value lives.
final class RecordFeed {
    private var buffers: [UnsafeMutableBufferPointer<UInt8>] = []

    deinit { buffers.forEach { $0.deallocate() } }

    func bytes(_ text: String?) -> ByteString? {
        guard let text else { return nil }
        let utf8 = Array(text.utf8)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(utf8.count, 1))
        _ = buffer.initialize(from: utf8)
        buffers.append(buffer)
        return ByteString(UnsafeBufferPointer(rebasing: buffer[0..<utf8.count]))
    }

    func record(version: String? = nil, provider: String? = nil, status: GenerationStatus = .success, error: String? = nil,
                latency: Double? = nil, cost: Double? = nil, createdAt: String? = nil, rating: Double? = nil,
                experiment: String? = nil, arm: String? = nil, node: String? = nil, block: String? = nil, prompt: String? = nil) -> LogRecordView {
        var record = LogRecordView()
        record.version = bytes(version)
        record.provider = bytes(provider)
        record.status = status
        record.error = bytes(error)
        record.latencyMs = latency
        record.cost = cost
        record.createdAt = bytes(createdAt)
        record.rating = rating
        record.experiment = bytes(experiment)
        record.arm = bytes(arm)
        record.node = bytes(node)
        record.block = bytes(block)
        record.prompt = bytes(prompt)
        return record
    }
}

@Suite struct AggregationTests {
    func summarize(_ records: [LogRecordView], firstLine: Int = 1) -> FileLogSummary {
        var aggregator = ChunkAggregator()
        for (offset, record) in records.enumerated() { aggregator.record(record, line: firstLine + offset) }
        return aggregator.summary(lines: records.count)
    }

    /// An error code on a success or a cancellation is not a failure: "3 of 3 failures" came of
    /// one failed record and two that carried the same code.
    @Test func errorCodesCountOnlyFailures() {
        let feed = RecordFeed()
        let records = [GenerationStatus.failed, .success, .cancelled].map {
            feed.record(version: "walk@1", provider: "inkwell", status: $0, error: "prompt_too_long")
        }
        let cell = summarize(records).summary.cells[VersionProvider(version: "walk@1", provider: "inkwell")]
        #expect(cell?.failed == 1)
        #expect(cell?.errors == ["prompt_too_long": 1])
    }

    @Test func groupsEveryRecordByEachDimension() {
        let feed = RecordFeed()
        let records = [
            feed.record(version: "walk@1", provider: "inkwell", status: .success, latency: 4000, cost: 0.21, createdAt: "2026-11-17T10:00:00Z",
                        rating: 4, experiment: "light", arm: "control", node: "harbor/walk"),
            feed.record(version: "walk@1", provider: "inkwell", status: .failed, error: "timeout", latency: 9000, cost: 0.21,
                        createdAt: "2026-11-17T23:30:00-05:00", experiment: "light", arm: "B", node: "harbor/walk"),
            feed.record(version: "walk@2", provider: "tidewave", status: .cancelled, cost: 0.5, createdAt: "2026-11-18T08:00:00Z", block: "gull_glide"),
            feed.record(status: .success, latency: 1500, createdAt: "2026-11-18T09:00:00Z", prompt: "A gull glides"),
        ]
        let file = summarize(records)
        let summary = file.summary
        #expect(summary.records == 4)
        let walk = summary.cells[VersionProvider(version: "walk@1", provider: "inkwell")]!
        #expect(walk.success == 1 && walk.failed == 1 && walk.cancelled == 0)
        #expect(walk.errors == ["timeout": 1])
        #expect(walk.costMicros == 420_000 && walk.costCount == 2)
        #expect(walk.latency.count == 1, "latency counts successful generations only")
        #expect(walk.rating.count == 1 && walk.rating.sum == 4_000_000 && walk.rating.mean == 4)
        #expect(walk.firstDay == "2026-11-17" && walk.lastDay == "2026-11-18")
        #expect(summary.cells[VersionProvider(version: "", provider: "")]?.success == 1)
        #expect(summary.nodes["harbor/walk"]?.total == 2)
        #expect(summary.blocks["gull_glide"]?.cancelled == 1)
        #expect(summary.days["2026-11-17"]?.total == 1)
        #expect(summary.days["2026-11-18"]?.total == 3, "23:30 at UTC−5 is the next day in UTC")
        #expect(summary.arms[ExperimentArm(experiment: "light", arm: "control")]?.success == 1)
        #expect(summary.armVersions[ExperimentArm(experiment: "light", arm: "B")] == ["walk@1": 1])
        #expect(summary.inline.total == 1)
        #expect(file.versionLines == ["walk@1": [1, 2], "walk@2": [3]])
        #expect(file.blockLines == ["gull_glide": [3]])
        #expect(summary.total.total == 4)
    }

    @Test func aBadDateIsIgnoredAndTheRecordKept() {
        let feed = RecordFeed()
        let file = summarize([feed.record(version: "a@1", createdAt: "17/11/2026"), feed.record(version: "a@1", createdAt: "2026-11-17"),
                              feed.record(version: "a@1", createdAt: "soon")], firstLine: 5)
        #expect(file.summary.records == 3)
        #expect(file.summary.days.keys.sorted() == ["2026-11-17"])
        #expect(file.malformed == 0)
        #expect(file.ignored == [IgnoredFieldReason("created_at", "not a date"): IgnoredFieldIssue(count: 2, example: LogIssue(line: 5, column: nil, message: "`created_at` is not an ISO 8601 date-time"))])
    }

    /// `{"experiment": ""}` (as PixSim7's prompt_config has it) and `"  "` are no experiment: no arm
    /// of an experiment named "" or "  "; a blank arm is no arm.
    @Test func aBlankExperimentIsNoExperimentAndABlankArmNoArm() {
        let feed = RecordFeed()
        let file = summarize([
            feed.record(version: "a@1", experiment: "", arm: "B"),
            feed.record(version: "a@1", experiment: "   ", arm: "B"),
            feed.record(version: "a@1", experiment: "\t\r\n", arm: "control"),
            feed.record(version: "a@1", experiment: "light", arm: " "),
            feed.record(version: "a@1", experiment: "light", arm: "B"),
            feed.record(version: "a@1", experiment: "light"),
            feed.record(version: "a@1", experiment: " light ", arm: "B"),
        ], firstLine: 3)
        #expect(file.summary.records == 7)
        #expect(file.summary.arms.keys.sorted() == [ExperimentArm(experiment: " light ", arm: "B"), ExperimentArm(experiment: "light", arm: ""),
                                                    ExperimentArm(experiment: "light", arm: "B")])
        #expect(file.summary.arms[ExperimentArm(experiment: "light", arm: "")]?.total == 2, "a blank arm is the same as none")
        #expect(file.ignored("experiment") == [IgnoredFieldIssue(count: 1, example: LogIssue(line: 3, column: nil, message: "`experiment` is an empty string")),
                                                IgnoredFieldIssue(count: 2, example: LogIssue(line: 4, column: nil, message: "`experiment` is only whitespace"))])
        #expect(file.ignored("arm") == [IgnoredFieldIssue(count: 1, example: LogIssue(line: 6, column: nil, message: "`arm` is only whitespace"))])
        #expect(file.summary.cells[VersionProvider(version: "a@1", provider: "")]?.total == 7, "the records are kept")
    }

    @Test func mergeIsAssociativeAndCommutative() {
        let feed = RecordFeed()
        let providers = ["inkwell", "tidewave", "loremind"]
        let records = (0..<300).map { index in
            feed.record(version: "f@\(index % 4)", provider: providers[index % 3], status: index % 5 == 0 ? .failed : .success,
                        error: index % 5 == 0 ? "timeout" : nil, latency: Double(1000 + index * 37), cost: 0.25 * Double(index % 3),
                        createdAt: "2026-10-\(10 + index % 9)T12:00:00Z", rating: index % 2 == 0 ? Double(index % 5 + 1) : nil,
                        experiment: index % 2 == 0 ? "e" : nil, arm: index % 4 == 0 ? "control" : "B", node: "s/n\(index % 7)")
        }
        let whole = summarize(records).summary
        let a = summarize(Array(records[0..<100])).summary
        let b = summarize(Array(records[100..<210])).summary
        let c = summarize(Array(records[210...])).summary
        var left = a; left.merge(b); left.merge(c)
        var bc = b; bc.merge(c)
        var right = a; right.merge(bc)
        var reversed = c; reversed.merge(b); reversed.merge(a)
        #expect(left == whole)
        #expect(right == whole)
        #expect(reversed == whole)
    }

    @Test func appendingChunksShiftsTheirLines() {
        let feed = RecordFeed()
        var first = summarize([feed.record(version: "a@1"), feed.record(version: "a@1")])
        var second = ChunkAggregator()
        second.malformed(line: 1, column: 3, message: "bad")
        second.record(feed.record(version: "b@1"), line: 2)
        first.append(second.summary(lines: 2))
        #expect(first.lines == 4)
        #expect(first.issues == [LogIssue(line: 3, column: 3, message: "bad")])
        #expect(first.versionLines == ["a@1": [1, 2], "b@1": [4]])
    }

    @Test func onlyTheFirstLinesOfEachNameAreKept() {
        let feed = RecordFeed()
        var aggregator = ChunkAggregator()
        for line in 1...50 {
            aggregator.record(feed.record(version: "ghost@9"), line: line)
            aggregator.malformed(line: 100 + line, column: nil, message: "bad")
        }
        let file = aggregator.summary(lines: 150)
        #expect(file.versionLines["ghost@9"] == Array(1...20))
        #expect(file.issues.count == 20 && file.malformed == 50)
    }
}

@Suite struct CacheCodingTests {
    @Test func aSummaryRoundTripsThroughTheCache() throws {
        let feed = RecordFeed()
        var aggregator = ChunkAggregator()
        aggregator.record(feed.record(version: "walk@1", provider: "inkwell", status: .failed, error: "moderation", latency: 12, cost: 0.013,
                                      createdAt: "2026-11-01", rating: 3, experiment: "x", arm: "control", node: "n", block: "b"), line: 1)
        aggregator.record(feed.record(version: "walk@1", provider: "inkwell", latency: 4000, cost: 0.2, createdAt: "2026-11-02"), line: 2)
        aggregator.malformed(line: 3, column: 7, message: "unterminated string")
        let file = aggregator.summary(lines: 3)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = LogCache(directory: folder)
        let entry = LogCache.Entry(path: "logs/a.jsonl", size: 120, modified: 99, contentHash: 0xABCD, endsWithNewline: true, summary: file)
        cache.store(entry)
        #expect(cache.load(path: "logs/a.jsonl") == entry)
        #expect(cache.load(path: "logs/b.jsonl") == nil)

        // Any damage to the stored bytes makes the entry unusable, never a crash.
        let url = cache.url(for: "logs/a.jsonl")
        let stored = try Data(contentsOf: url)
        for position in [0, 25, stored.count / 2, stored.count - 1] {
            var damaged = stored
            damaged[position] ^= 0xFF
            try damaged.write(to: url)
            #expect(cache.load(path: "logs/a.jsonl") == nil, "byte \(position)")
        }
        try stored.prefix(stored.count / 3).write(to: url)
        #expect(cache.load(path: "logs/a.jsonl") == nil)
        try Data().write(to: url)
        #expect(cache.load(path: "logs/a.jsonl") == nil)
    }
}

import Foundation

@Suite struct AggregationEdgeTests {
    /// A record with neither version nor provider is cell (−1, −1), which must not be taken for "no cell yet".
    @Test func aFirstRecordWithoutVersionOrProvider() {
        let feed = RecordFeed()
        var aggregator = ChunkAggregator()
        aggregator.record(feed.record(status: .failed, error: "timeout"), line: 1)
        aggregator.record(feed.record(status: .success), line: 2)
        let summary = aggregator.summary(lines: 2).summary
        #expect(summary.cells[VersionProvider(version: "", provider: "")]?.total == 2)
    }
}
