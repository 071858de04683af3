@testable import Analytics
import CZlib
import Diagnostics
import Foundation
import PromptCatalog
import Testing
import TestSupport

/// Logs written by someone else: values out of range, lines without end, gzip bombs,
/// exports with empty fields. Nothing traps, nothing grows without bound, no record is lost.
@Suite struct HostileLogTests {
    // MARK: - Cost: checked arithmetic

    @Test func costsBeyondTheFieldsBoundsAreIgnoredNotATrap() {
        let feed = RecordFeed()
        var aggregator = ChunkAggregator()
        // A reader passes neither; the aggregator checks again, since exact sums rest on the bounds.
        aggregator.record(feed.record(version: "a@1", cost: 1e13), line: 1)
        aggregator.record(feed.record(version: "a@1", cost: 1e308), line: 2)
        aggregator.record(feed.record(version: "a@1", cost: .nan), line: 3)
        aggregator.record(feed.record(version: "a@1", cost: 0.5), line: 4)
        let file = aggregator.summary(lines: 4)
        let cell = file.summary.cells[VersionProvider(version: "a@1", provider: "")]!
        #expect(cell.success == 4, "every record is counted")
        #expect(cell.costMicros == 500_000 && cell.costCount == 1)
        #expect(file.ignored("cost").map(\.count) == [2, 1])
        #expect(file.ignored("cost").map(\.example.line) == [1, 3])
        #expect(file.ignored("cost").map(\.example.message) == ["`cost` is out of range: more than 1,000,000,000", "`cost` is out of range: not a finite number"])
    }

    @Test func costsWhoseTotalPassesSixtyFourBitsAreAllKeptExactly() throws {
        let feed = RecordFeed()
        var aggregator = ChunkAggregator()
        // 1e9 (the largest a reader passes) is 1e15 micros: 10,000 of them pass Int64.max (9.2e18),
        // which used to drop the costs beyond it; 128-bit sums keep them all, exactly.
        for line in 1...10_000 { aggregator.record(feed.record(version: "a@1", cost: 1e9), line: line) }
        let file = aggregator.summary(lines: 10_000)
        let cell = try #require(file.summary.cells[VersionProvider(version: "a@1", provider: "")])
        #expect(cell.total == 10_000)
        #expect(cell.costCount == 10_000)
        let micros: Int128 = 1_000_000_000_000_000
        #expect(cell.cost.sum == 10_000 * micros)
        #expect(cell.cost.sumOfSquares == 10_000 * micros * micros)
        #expect(cell.totalCost == 1e13)
        #expect(cell.costMicros == Int64.max, "the 64-bit view saturates")
        #expect(file.ignored("cost").isEmpty)
    }

    @Test func aSumOfSquaresBeyondOneHundredTwentyEightBitsSaturatesAndHasNoVarianceNotATrap() throws {
        // 2¹²⁷ − 1 is about 1.7e38: 170 moments of 10⁸ costs of $10⁹ each (10³⁶ micros² apiece).
        let micros: Int128 = 1_000_000_000_000_000
        let huge = try #require(FixedPointMoments(count: 100_000_000, sum: 100_000_000 * micros, sumOfSquares: 100_000_000 * micros * micros))
        var total = FixedPointMoments()
        for _ in 0..<170 { total = total + huge }
        #expect(total.isSaturated && total.sumOfSquares == .max)
        #expect(total.count == 17_000_000_000)
        #expect(total.mean == 1e9, "the sum itself is exact")
        #expect(total.variance == nil, "no variance rather than a wrong one")
        var one = FixedPointMoments()
        one.add(units: 1_000_000_000_000_000)
        one.add(units: 2)
        #expect(WelchTest(control: total, treatment: one) == nil)
        // Saturated in any order: the same value.
        #expect(huge + total == total + huge)
        var saturatedByAdding = total
        saturatedByAdding.add(units: Int64.max)
        #expect(saturatedByAdding.isSaturated)
    }

    @Test func mergingTotalsNeverTraps() {
        var left = Aggregate()
        left.cost.add(units: Int64.max)
        var right = Aggregate()
        right.cost.add(units: Int64.max)
        left.merge(right)
        #expect(left.cost.sum == 2 * Int128(Int64.max))
        #expect(left.costMicros == Int64.max)
        #expect(left.cost.sumOfSquares == 2 * Int128(Int64.max) * Int128(Int64.max))
    }

    @Test func inconsistentMomentsAreRefused() {
        #expect(FixedPointMoments(count: -1, sum: 0, sumOfSquares: 0) == nil)
        #expect(FixedPointMoments(count: 0, sum: 1, sumOfSquares: 1) == nil)
        #expect(FixedPointMoments(count: 2, sum: 10, sumOfSquares: -1) == nil)
        #expect(FixedPointMoments(count: 2, sum: 10, sumOfSquares: 49) == nil, "n·Σx² = 98 < (Σx)² = 100: no values have these moments")
        #expect(FixedPointMoments(count: 2, sum: 10, sumOfSquares: 50)?.variance == 0)
    }

    // MARK: - Long lines and gzip bombs

    /// Reads every line of `source`, returning (lengths, skipped line numbers, peak buffer).
    static func scan(_ source: any ByteSource, bufferSize: Int, bound: Int) throws -> (lines: [Int], skipped: [Int: Int], peak: Int) {
        var reader = LineReader(source: source, bufferSize: bufferSize, maximumLineLength: bound)
        var lengths: [Int] = []
        var skipped: [Int: Int] = [:]
        while let line = try reader.nextLine() {
            lengths.append(line.count)
            if let length = reader.skippedLineLength { skipped[reader.lines] = length }
        }
        return (lengths, skipped, reader.peakCapacity)
    }

    @Test func aLineLongerThanTheBoundIsSkippedWithoutGrowingTheBuffer() throws {
        let folder = try ReaderTests.LogFolder()
        let long = String(repeating: "a", count: 3 << 20)
        let url = try folder.write("long.jsonl", #"{"status":"success"}"# + "\n" + long + "\n" + String(repeating: "b", count: 1000) + "\n"
                                       + #"{"status":"failed"}"# + "\n" + long)
        let (lengths, skipped, peak) = try Self.scan(FileSource(path: url.path), bufferSize: 256, bound: 1000)
        #expect(lengths == [20, 0, 1000, 19, 0])
        #expect(skipped == [2: 3 << 20, 5: 3 << 20], "a line of exactly the bound is kept; longer ones are skipped, the last one without newline too")
        #expect(peak <= 2048, "the buffer never holds more than twice the bound")

        var sink = ReaderTests.RecordingSink()
        let lines = try LogReader.read(url, format: .jsonLines, bufferSize: 256, maximumLineLength: 1000, into: &sink)
        #expect(lines == 5)
        #expect(sink.records.map(\.line) == [1, 4])
        #expect(sink.problems.map(\.line) == [2, 3, 5])
        #expect(sink.problems[0] == ReaderTests.ReadProblem(
            line: 2, column: nil,
            message: "the line is longer than 1000 bytes (3145728 bytes): skipped without keeping it (Site.json `logs.maxLineBytes` sets the bound)"))
    }

    /// A CSV header past the bound is named as too long, not as lacking a `status` column (it has one).
    @Test func aCSVHeaderPastTheBoundIsSaidToBeTooLong() throws {
        let folder = try ReaderTests.LogFolder()
        let header = "id,version,provider,status," + (0..<400).map { "extra\($0)" }.joined(separator: ",")
        let url = try folder.write("wide.csv", header + "\n1,a@1,video,success\n2,a@1,video,failed\n")
        var sink = ReaderTests.RecordingSink()
        let lines = try LogReader.read(url, format: .csv, bufferSize: 256, maximumLineLength: 1000, into: &sink)
        #expect(lines == 3)
        #expect(sink.records.isEmpty)
        #expect(sink.problems == [ReaderTests.ReadProblem(
            line: 1, column: nil,
            message: "the header row is longer than 1000 bytes (\(header.utf8.count) bytes), so no row can be read (Site.json `logs.maxLineBytes` sets the bound)")])
    }

    /// The bound held only for a line that crossed the end of the buffer: 8,000 lines of 300 bytes
    /// under a bound of 200 were all counted. Every line over it is skipped now, in any buffer.
    @Test func theBoundHoldsForLinesThatFitInTheBuffer() throws {
        let folder = try ReaderTests.LogFolder()
        let padded = #"{"status":"success","note":""# + String(repeating: "n", count: 250) + #""}"#
        let url = try folder.write("padded.jsonl", Array(repeating: padded, count: 50).joined(separator: "\n") + "\n" + #"{"status":"failed"}"# + "\n")
        var sink = ReaderTests.RecordingSink()
        let lines = try LogReader.read(url, format: .jsonLines, bufferSize: 1 << 20, maximumLineLength: 200, into: &sink)
        #expect(lines == 51)
        #expect(sink.records.map(\.line) == [51])
        #expect(sink.problems.count == 50)
        #expect(sink.problems.first?.message.hasPrefix("the line is longer than 200 bytes (\(padded.utf8.count) bytes)") == true)
        let csv = try folder.write("padded.csv", "id,status\n" + String(repeating: "x", count: 300) + ",failed\nc,cancelled\n")
        var csvSink = ReaderTests.RecordingSink()
        _ = try LogReader.read(csv, format: .csv, bufferSize: 1 << 20, maximumLineLength: 200, into: &csvSink)
        #expect(csvSink.records.map(\.line) == [3])
        #expect(csvSink.problems.map(\.line) == [2])
    }

    @Test func aLongCSVRecordIsSkippedAndTheNextOneRead() throws {
        let folder = try ReaderTests.LogFolder()
        let url = try folder.write("long.csv", "id,status\na,success\n" + String(repeating: "x", count: 5000) + ",failed\nc,cancelled\n")
        var sink = ReaderTests.RecordingSink()
        _ = try LogReader.read(url, format: .csv, bufferSize: 64, maximumLineLength: 200, into: &sink)
        #expect(sink.records.map(\.id) == ["a", "c"])
        #expect(sink.records.map(\.line) == [2, 4])
        #expect(sink.problems.map(\.line) == [3])
        #expect(sink.problems.first?.message.hasPrefix("the line is longer than 200 bytes (5007 bytes)") == true)
    }

    @Test func aGzipBombStaysInBoundedMemory() throws {
        let folder = try ReaderTests.LogFolder()
        let url = folder.url.appendingPathComponent("bomb.jsonl.gz")
        // 48 MiB of one byte without a newline, then a record: about 50 KB compressed.
        guard let gz = gzopen(url.path, "wb9") else { throw LogReadError(path: url.path, message: "gzopen failed") }
        let block = [UInt8](repeating: 0x61, count: 1 << 20)
        for _ in 0..<48 { _ = block.withUnsafeBytes { gzwrite(gz, $0.baseAddress, UInt32($0.count)) } }
        let record = Array(("\n" + #"{"status":"success"}"# + "\n").utf8)
        _ = record.withUnsafeBytes { gzwrite(gz, $0.baseAddress, UInt32($0.count)) }
        #expect(gzclose(gz) == Z_OK)
        #expect(try Data(contentsOf: url).count < 200_000)

        let (lengths, skipped, peak) = try Self.scan(GzipSource(path: url.path), bufferSize: 1 << 20, bound: 1 << 20)
        #expect(lengths == [0, 20])
        #expect(skipped == [1: 48 << 20])
        #expect(peak <= 2 << 20)
    }

    // MARK: - Reported once per file and field, with the line

    func ingest(_ content: TemporaryContent, cache: LogCache? = nil) -> LogIngest {
        let files = CatalogLoader.load(contentDirectory: content.root).catalog.logFiles
        return LogIngestion.ingest(files, options: LogIngestOptions(cache: cache))
    }

    /// 200 records of one version; every fifth has `"rating": ""`, as exports write an absent value.
    static func exportWithEmptyRatings() -> String {
        (0..<200).map { index in
            let rating = index % 5 == 2 ? #""""# : "\(index % 5 + 1)"
            return #"{"version":"walk@1","provider":"inkwell","status":"\#(index % 4 == 0 ? "failed" : "success")","rating":\#(rating),"experiment":"","created_at":"2026-11-01T10:00:00Z"}"#
        }.joined(separator: "\n") + "\n"
    }

    @Test func emptyRatingsLoseNoRecordAndAreReportedOnce() throws {
        let content = try TemporaryContent(["logs/export.jsonl": Self.exportWithEmptyRatings()])
        let result = ingest(content)
        let cell = result.summary.cells[VersionProvider(version: "walk@1", provider: "inkwell")]!
        #expect(cell.total == 200, "no record is dropped")
        #expect(cell.success == 150 && cell.failed == 50)
        #expect(cell.rating.count == 160)
        #expect(result.summary.arms.isEmpty, "an empty experiment is no experiment")
        #expect(result.diagnostics.map(\.description) == [
            "logs/export.jsonl:1:84: warning[log-field-ignored]: `experiment` is an empty string: the value is left out of 200 records of this file, first here; the records are kept",
            "logs/export.jsonl:3:70: warning[log-field-ignored]: `rating` is an empty string: the value is left out of 40 records of this file, first here; the records are kept",
        ])
    }

    /// Names told apart by their bytes but equal as Swift strings (`é` and `e` + U+0301) are one
    /// group: two such error codes trapped ("Duplicate values for key"), two such providers kept
    /// only one of the two groups.
    @Test func namesSwiftCallsEqualAreOneGroupNotATrapOrALoss() throws {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        let lines = [
            #"{"version":"walk@1","provider":"\#(composed)","status":"failed","error":"\#(composed)","experiment":"x","arm":"\#(composed)"}"#,
            #"{"version":"walk@1","provider":"\#(decomposed)","status":"failed","error":"\#(decomposed)","experiment":"x","arm":"\#(decomposed)"}"#,
            #"{"version":"walk@1","provider":"\#(decomposed)","status":"success","node":"\#(composed)"}"#,
            #"{"version":"walk@1","provider":"\#(composed)","status":"success","node":"\#(decomposed)"}"#,
        ]
        let content = try TemporaryContent(["logs/a.jsonl": lines.joined(separator: "\n") + "\n"])
        let result = ingest(content)
        #expect(result.summary.cells.count == 1)
        // The spelling kept is NFC whichever record came first: the same bytes on every run.
        #expect(result.summary.cells.keys.first?.provider.unicodeScalars.count == 4)
        #expect(result.summary.arms.keys.first?.arm.unicodeScalars.count == 4)
        let cell = try #require(result.summary.cells[VersionProvider(version: "walk@1", provider: composed)])
        #expect(cell.total == 4 && cell.failed == 2)
        #expect(cell.errors == [composed: 2])
        #expect(result.summary.nodes[decomposed]?.total == 2)
        #expect(result.summary.arms[ExperimentArm(experiment: "x", arm: composed)]?.total == 2)
        #expect(result.summary.armVersions[ExperimentArm(experiment: "x", arm: composed)] == ["walk@1": 2])
    }

    @Test func gzippedFilesQuoteTheOffendingLineAndUnfinishedGenerationsAreReportedOnce() throws {
        let text = #"{"status":"success","version":"walk@1"}"# + "\n" + #"{"status":"success",oops}"# + "\n"
            + #"{"status":"pending","version":"walk@1"}"# + "\n" + #"{"status":"processing"}"# + "\n" + #"{"status":"pending"}"# + "\n"
            + #"{"status":"completed","cost":true}"# + "\n"
        let content = try TemporaryContent([:])
        try content.write("logs/a.jsonl.gz", data: try gzip(Data(text.utf8)))
        let cache = LogCache(directory: content.project.appendingPathComponent("cache"))
        let result = ingest(content, cache: cache)
        #expect(result.summary.records == 2)
        let expected = [
            "logs/a.jsonl.gz:2:21: warning[log-malformed]: expected a key in double quotes, found `o` — line 2 reads: {\"status\":\"success\",oops}",
            "logs/a.jsonl.gz:6:30: warning[log-field-ignored]: `cost` must be a number, found true: the value is left out of 1 record of this file, first here; the records are kept — line 6 reads: {\"status\":\"completed\",\"cost\":true}",
            "logs/a.jsonl.gz:3: info[log-unfinished]: 3 records are of generations not finished (2 pending, 1 processing), first here: not counted — line 3 reads: {\"status\":\"pending\",\"version\":\"walk@1\"}",
        ]
        #expect(result.diagnostics.map(\.description) == expected)
        let again = ingest(content, cache: cache)
        #expect(again.files.first?.source == .cache)
        #expect(again.diagnostics.map(\.description) == expected, "the cache keeps what is reported")
        #expect(again.files.first?.summary == result.files.first?.summary)
    }

    @Test func siteJSONSetsTheLineBound() throws {
        let folder = try ReaderTests.LogFolder()
        let good = folder.url.appendingPathComponent("Site.json")
        try #"{"logs": {"maxLineBytes": 4096}}"#.write(to: good, atomically: true, encoding: .utf8)
        guard case .success(let (config, diagnostics)) = SiteConfig.load(from: good) else {
            Issue.record("Site.json not read")
            return
        }
        #expect(config.maximumLogLineBytes == 4096)
        #expect(diagnostics.isEmpty)
        #expect(SiteConfig(root: folder.url).maximumLogLineBytes == 1 << 20)

        let bad = folder.url.appendingPathComponent("Bad.json")
        try "{\"logs\": {\"maxLineBytes\": 3}}".write(to: bad, atomically: true, encoding: .utf8)
        guard case .failure(let unreadable) = SiteConfig.load(from: bad) else {
            Issue.record("a bound of 3 bytes is accepted")
            return
        }
        #expect(unreadable.diagnostics.map(\.description) == ["Bad.json:1:27: error[invalid-field]: `logs.maxLineBytes` must be at least 64, found 3"])
    }
}
