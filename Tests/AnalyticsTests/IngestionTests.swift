@testable import Analytics
import Foundation
import PromptCatalog
import Testing
import TestSupport

@Suite struct IngestionTests {
    /// A JSON Lines record with the fields that matter here.
    static func line(_ index: Int, version: String = "walk@1", status: String = "success") -> String {
        #"{"id":"g-\#(index)","version":"\#(version)","provider":"inkwell","status":"\#(status)","error":null,"latency_ms":\#(1000 + index),"cost":0.25,"created_at":"2026-11-\#(10 + index % 5)T10:00:00Z","node":"harbor/walk"}"#
    }

    static func lines(_ range: Range<Int>) -> String { range.map { line($0) + "\n" }.joined() }

    func ingest(_ content: TemporaryContent, cache: LogCache?, chunkSize: Int = 8 << 20) -> LogIngest {
        let files = CatalogLoader.load(contentDirectory: content.root).catalog.logFiles
        return LogIngestion.ingest(files, options: LogIngestOptions(cache: cache, chunkSize: chunkSize))
    }

    @Test func readsEveryFormatAndMergesInPathOrder() throws {
        let csv = "id,version,provider,status,latency_ms,cost,created_at\ng-1,walk@1,inkwell,failed,,0.5,2026-11-01T00:00:00Z\n"
        let content = try TemporaryContent(["logs/a.jsonl": Self.lines(0..<10), "logs/b/c.csv": csv, "logs/notes.md": "about the logs"])
        try content.write("logs/z.jsonl.gz", data: try gzip(Data(Self.lines(10..<15).utf8)))
        let result = ingest(content, cache: nil)
        #expect(result.files.map(\.path) == ["logs/a.jsonl", "logs/b/c.csv", "logs/z.jsonl.gz"])
        #expect(result.summary.records == 16)
        let cell = result.summary.cells[VersionProvider(version: "walk@1", provider: "inkwell")]!
        #expect(cell.success == 15 && cell.failed == 1)
        #expect(cell.costMicros == 15 * 250_000 + 500_000)
        #expect(result.diagnostics.isEmpty)
        #expect(result.linesRead == 10 + 2 + 5)
    }

    @Test func chunkedReadingGivesTheSameSummaryAsOneChunk() throws {
        var text = Self.lines(0..<400)
        text += "{not json\n" + Self.lines(400..<800)
        text += #"{"status":"success","rating":"","latency_ms":"slow"}"# + "\n" + Self.lines(800..<900)
        text += #"{"status":"pending","rating":""}"# + "\n" + #"{"status":"failed","rating":""}"# + "\n"
        let content = try TemporaryContent(["logs/big.jsonl": text])
        let whole = ingest(content, cache: nil)
        let chunked = ingest(content, cache: nil, chunkSize: 1000)
        #expect(chunked.files[0].summary == whole.files[0].summary)
        #expect(whole.files[0].summary.issues.map(\.line) == [401])
        #expect(whole.files[0].summary.ignored[IgnoredFieldReason("rating", "empty")] == IgnoredFieldIssue(
            count: 2, example: LogIssue(line: 802, column: 30, message: "`rating` is an empty string", text: #"{"status":"success","rating":"","latency_ms":"slow"}"#)))
        #expect(whole.files[0].summary.ignoredCount("latency_ms") == 1)
        #expect(whole.files[0].summary.unfinished == ["pending": 1])
        #expect(whole.files[0].summary.unfinishedExample?.line == 903)
        #expect(chunked.diagnostics.map(\.description) == whole.diagnostics.map(\.description))
    }

    /// Every ignored value and malformed line is located at its column in code points (what an
    /// editor and SARIF count), whatever came before it on the line: a blank `arm`, an unreadable
    /// `created_at` and a CSV header too.
    @Test func ignoredValuesAndMalformedLinesAreLocatedInCodePoints() throws {
        let content = try TemporaryContent([
            "logs/a.jsonl": #"{"version":"héé@1","status":"success","created_at":"yesterday","experiment":"e","arm":"  "}"# + "\n"
                + #"{"version":"日本@1","status":"success","latency_ms":"fast"}"# + "\n" + #"{"version":"é","status":}"# + "\n",
            "logs/b.csv": "version,status,\"réél\",\"bad\n",
        ])
        #expect(ingest(content, cache: nil).diagnostics.map(\.description) == [
            "logs/a.jsonl:3:25: warning[log-malformed]: expected a value after `:`, found `}`",
            "logs/a.jsonl:1:87: warning[log-field-ignored]: `arm` is only whitespace: the value is left out of 1 record of this file, first here; the records are kept",
            "logs/a.jsonl:1:52: warning[log-field-ignored]: `created_at` is not an ISO 8601 date-time: the value is left out of 1 record of this file, first here; the records are kept",
            "logs/a.jsonl:2:51: warning[log-field-ignored]: `latency_ms` must be a number, found a string: the value is left out of 1 record of this file, first here; the records are kept",
            #"logs/b.csv:1:23: warning[log-malformed]: this quoted field is never closed: the closing `"` is missing"#,
        ])
    }

    /// Values of one field ignored for different reasons: one `log-field-ignored` per reason, each
    /// with its own count and first line (the first record's reason was given for all of them), the
    /// same read whole, in chunks, or from the cache after lines were appended.
    @Test func ignoredValuesAreReportedPerReasonWithTheirOwnCounts() throws {
        func record(_ latency: String) -> String { #"{"version":"walk@1","status":"success","latency_ms":\#(latency)}"# }
        var lines = (0..<300).map { Self.line($0) }
        lines[10] = record(#""fast""#)
        lines[20] = record("-5")
        lines[30] = record(#""slow""#)
        lines[40] = record("-7")
        lines[50] = record(#""quick""#)
        lines[60] = record("1e12")
        let first = lines[0..<200].joined(separator: "\n") + "\n"
        let content = try TemporaryContent(["logs/a.jsonl": first])
        let cache = LogCache(directory: content.project.appendingPathComponent("cache"))
        _ = ingest(content, cache: cache)
        lines[250] = record("-1")
        lines[260] = record("1e15")
        try content.write("logs/a.jsonl", lines.joined(separator: "\n") + "\n")
        let tail = ingest(content, cache: cache)
        #expect(tail.files[0].source == .tail(fromByte: first.utf8.count))
        let expected = [
            "logs/a.jsonl:11:53: warning[log-field-ignored]: `latency_ms` must be a number, found a string: the value is left out of 3 records of this file, first here; the records are kept",
            "logs/a.jsonl:21:53: warning[log-field-ignored]: `latency_ms` cannot be negative: the value is left out of 3 records of this file, first here; the records are kept",
            "logs/a.jsonl:61:53: warning[log-field-ignored]: `latency_ms` is out of range: more than 30 days: the value is left out of 2 records of this file, first here; the records are kept",
        ]
        #expect(tail.diagnostics.map(\.description) == expected)
        #expect(ingest(content, cache: nil).diagnostics.map(\.description) == expected)
        #expect(ingest(content, cache: nil, chunkSize: 900).diagnostics.map(\.description) == expected)
        #expect(ingest(content, cache: cache).diagnostics.map(\.description) == expected, "recalled from the cache")
        #expect(tail.files[0].summary.ignoredCount("latency_ms") == 8)
        #expect(tail.diagnostics.allSatisfy { $0.hint == "write `latency_ms` with a valid value, or leave it out or null when there is none" })
    }

    /// Each file under its own bound, too many groups together (six files of 390,000 ids took
    /// 3 GB): past `maximumTotalGroups`, the file that would cross it and those after it, in path
    /// order, are left out, each with an error; the same with the cache and with small chunks.
    @Test func filesPastTheTotalOfGroupsAreLeftOut() throws {
        // Every record its own version: one version × provider cell each, and one day for all.
        func file(_ range: Range<Int>) -> String {
            range.map { #"{"id":"g-\#($0)","version":"v\#($0)@1","provider":"inkwell","status":"success","created_at":"2026-11-01T00:00:00Z"}"# + "\n" }.joined()
        }
        let content = try TemporaryContent(["logs/a.jsonl": file(0..<40), "logs/b.jsonl": file(40..<80), "logs/c.jsonl": file(80..<120),
                                            "logs/d.jsonl": file(120..<125)])
        let files = CatalogLoader.load(contentDirectory: content.root).catalog.logFiles
        let whole = LogIngestion.ingest(files, options: LogIngestOptions())
        let counts = whole.files.map(\.summary.summary.groupCount)
        #expect(counts == [41, 41, 41, 6])
        let cache = LogCache(directory: content.project.appendingPathComponent("cache"))
        for (chunkSize, cache) in [(8 << 20, nil), (200, nil), (8 << 20, cache), (8 << 20, cache)] {
            let bounded = LogIngestion.ingest(files, options: LogIngestOptions(cache: cache, chunkSize: chunkSize, maximumTotalGroups: 90))
            #expect(bounded.files.map(\.path) == ["logs/a.jsonl", "logs/b.jsonl"])
            #expect(bounded.diagnostics.map(\.description) == [
                "logs/c.jsonl: error[log-too-many-groups]: with this file the log files would hold more than 90 distinct groups (version × provider, node, block, day, experiment arm) in all: it is left out of the analytics",
                "logs/d.jsonl: error[log-too-many-groups]: left out of the analytics: the log files before it would hold more than 90 distinct groups (version × provider, node, block, day, experiment arm) in all",
            ])
            #expect(bounded.summary.records == 80)
        }
        // A file past its own bound counts no group, however it was cut into chunks (the chunks
        // after the one that passed it once brought part of it back).
        for chunkSize in [8 << 20, 200, 700] {
            let own = LogIngestion.ingest(files, options: LogIngestOptions(chunkSize: chunkSize, maximumGroups: 30, maximumTotalGroups: 10))
            #expect(own.files.map(\.summary.summary.groupCount) == [0, 0, 0, 6], "chunks of \(chunkSize) bytes")
            #expect(own.diagnostics.map(\.code) == ["log-too-many-groups", "log-too-many-groups", "log-too-many-groups"])
        }
    }

    @Test func anUnchangedFileIsRecalledFromTheCacheWithoutReadingALine() throws {
        let content = try TemporaryContent(["logs/a.jsonl": Self.lines(0..<50)])
        let cache = LogCache(directory: content.project.appendingPathComponent("cache"))
        let first = ingest(content, cache: cache)
        #expect(first.files[0].source == .full)
        let second = ingest(content, cache: cache)
        #expect(second.files[0].source == .cache)
        #expect(second.linesRead == 0)
        #expect(second.summary == first.summary)
    }

    /// A damaged entry (or one another version wrote) is read around, with a note naming the file;
    /// a file the cache never saw gets none.
    @Test func aDamagedCacheEntryIsIgnoredWithANote() throws {
        let content = try TemporaryContent(["logs/a.jsonl": Self.lines(0..<50), "logs/b.jsonl": Self.lines(0..<5)])
        let cache = LogCache(directory: content.project.appendingPathComponent("cache"))
        let first = ingest(content, cache: cache)
        #expect(first.notes.isEmpty)
        let entry = cache.url(for: "logs/a.jsonl")
        var bytes = try Data(contentsOf: entry)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: entry)
        let damaged = ingest(content, cache: cache)
        #expect(damaged.files.map(\.source) == [.full, .cache])
        #expect(damaged.summary == first.summary)
        #expect(damaged.notes == ["log cache ignored for logs/a.jsonl: damaged or written by another version; read in full"])
        #expect(ingest(content, cache: cache).notes.isEmpty, "the entry was written again")
    }

    @Test func aTouchedButIdenticalFileIsRecognisedByItsContent() throws {
        let content = try TemporaryContent(["logs/a.jsonl": Self.lines(0..<50)])
        let cache = LogCache(directory: content.project.appendingPathComponent("cache"))
        let first = ingest(content, cache: cache)
        let url = content.root.appendingPathComponent("logs/a.jsonl")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 3600)], ofItemAtPath: url.path)
        let second = ingest(content, cache: cache)
        #expect(second.files[0].source == .cache)
        #expect(second.summary == first.summary)
    }

    @Test func aGrownFileIsReadFromWhereItEnded() throws {
        let content = try TemporaryContent(["logs/a.jsonl": Self.lines(0..<50)])
        let cache = LogCache(directory: content.project.appendingPathComponent("cache"))
        let before = ingest(content, cache: cache)
        let oldSize = before.files[0].bytesRead
        try content.write("logs/a.jsonl", Self.lines(0..<50) + Self.lines(50..<60) + "{broken\n")
        let grown = ingest(content, cache: cache)
        #expect(grown.files[0].source == .tail(fromByte: oldSize))
        #expect(grown.files[0].linesRead == 11)
        let fresh = ingest(content, cache: nil)
        #expect(grown.files[0].summary == fresh.files[0].summary)
        #expect(grown.diagnostics.first?.location?.line == 61)
    }

    @Test func aRewrittenFileIsReadAgainInFull() throws {
        let content = try TemporaryContent(["logs/a.jsonl": Self.lines(0..<50)])
        let cache = LogCache(directory: content.project.appendingPathComponent("cache"))
        _ = ingest(content, cache: cache)
        try content.write("logs/a.jsonl", Self.lines(0..<30).replacingOccurrences(of: "success", with: "failed") + Self.lines(30..<60))
        let changed = ingest(content, cache: cache)
        #expect(changed.files[0].source == .full)
        #expect(changed.summary.total.failed == 30)
    }

    /// `cp -p`, `rsync -t`, `touch -r`: the same size and modification time, other content. The
    /// change time gives it away, and the content decides.
    @Test func aFileRewrittenWithTheSameSizeAndModificationTimeIsReadAgain() throws {
        let content = try TemporaryContent(["logs/a.jsonl": Self.lines(0..<50)])
        let cache = LogCache(directory: content.project.appendingPathComponent("cache"))
        let url = content.root.appendingPathComponent("logs/a.jsonl")
        let stamp = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date)
        let first = ingest(content, cache: cache)
        #expect(first.summary.total.failed == 0)
        // "success" and "failed!" are both 7 bytes.
        try content.write("logs/a.jsonl", Self.lines(0..<50).replacingOccurrences(of: "\"success\"", with: "\"failed!\""))
        try FileManager.default.setAttributes([.modificationDate: stamp], ofItemAtPath: url.path)
        #expect(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int == first.files[0].bytesRead)
        let second = ingest(content, cache: cache)
        #expect(second.files[0].source == .full)
        #expect(second.summary == ingest(content, cache: nil).summary)
        #expect(second.summary != first.summary)
    }

    /// A log whose names are ids unique to each record (a million distinct versions needed over
    /// 4 GB) is left out of the analytics past the group limit, with one error; whether it is does
    /// not depend on the chunks it was read in, nor on the cache.
    @Test func aFileWithTooManyDistinctGroupsIsLeftOutTheSameWayHoweverItIsRead() throws {
        let distinct = (0..<100).map { Self.line($0, version: "fam-\($0)@1") + "\n" }.joined()
        let content = try TemporaryContent(["logs/a.jsonl": distinct, "logs/b.jsonl": Self.lines(0..<30)])
        let files = CatalogLoader.load(contentDirectory: content.root).catalog.logFiles
        func read(chunkSize: Int, cache: LogCache? = nil) -> LogIngest {
            LogIngestion.ingest(files, options: LogIngestOptions(cache: cache, chunkSize: chunkSize, maximumGroups: 50))
        }
        let whole = read(chunkSize: 8 << 20)
        let a = try #require(whole.files.first { $0.path == "logs/a.jsonl" })
        #expect(a.summary.overflowed)
        #expect(a.summary.summary.cells.isEmpty && a.summary.versionLines.isEmpty)
        #expect(a.summary.summary.records == 100)
        let b = try #require(whole.files.first { $0.path == "logs/b.jsonl" })
        #expect(!b.summary.overflowed && b.summary.summary.records == 30)
        #expect(whole.summary.total.success == 30)
        let errors = whole.diagnostics.filter { $0.code == "log-too-many-groups" }
        #expect(errors.count == 1 && errors.first?.location?.file == "logs/a.jsonl" && errors.first?.level == .error)
        for chunkSize in [512, 2_000, 7_000] {
            let chunked = read(chunkSize: chunkSize)
            #expect(chunked.files.map(\.summary) == whole.files.map(\.summary), "chunks of \(chunkSize) bytes")
        }
        // Through the cache, and grown past the limit from below it.
        let cache = LogCache(directory: content.project.appendingPathComponent("cache"))
        try content.write("logs/a.jsonl", (0..<40).map { Self.line($0, version: "fam-\($0)@1") + "\n" }.joined())
        let below = read(chunkSize: 8 << 20, cache: cache)
        #expect(below.files.first?.summary.overflowed == false)
        try content.write("logs/a.jsonl", distinct)
        let grown = read(chunkSize: 8 << 20, cache: cache)
        #expect(grown.files.first?.source == .tail(fromByte: below.files[0].bytesRead))
        #expect(grown.files.map(\.summary) == whole.files.map(\.summary))
        #expect(read(chunkSize: 8 << 20, cache: cache).files.map(\.summary) == whole.files.map(\.summary))
    }

    @Test func aCorruptCacheIsIgnored() throws {
        let content = try TemporaryContent(["logs/a.jsonl": Self.lines(0..<20)])
        let cache = LogCache(directory: content.project.appendingPathComponent("cache"))
        let first = ingest(content, cache: cache)
        try Data("garbage".utf8).write(to: cache.url(for: "logs/a.jsonl"))
        let second = ingest(content, cache: cache)
        #expect(second.files[0].source == .full)
        #expect(second.summary == first.summary)
        #expect(ingest(content, cache: cache).files[0].source == .cache, "the entry was rewritten")
    }

    @Test func malformedLinesAreReportedTwentyPerFileThenCounted() throws {
        let bad = (0..<25).map { _ in "{\"status\": \"meh\"}\n" }.joined()
        let content = try TemporaryContent(["logs/a.jsonl": Self.lines(0..<3) + bad])
        let result = ingest(content, cache: nil)
        let malformed = result.diagnostics.filter { $0.code == "log-malformed" }
        #expect(malformed.count == 21)
        #expect(malformed.first?.location?.line == 4)
        #expect(malformed.last?.message.hasPrefix("5 more malformed lines in this file (25 in all)") == true)
        #expect(result.summary.records == 3)
    }

    /// A corrupt file is unreadable, named by its place only: the absolute path of the build's folder
    /// is not published in the reports.
    @Test func aCorruptGzipFileIsUnreadableWithoutItsAbsolutePath() throws {
        let content = try TemporaryContent()
        var gz = try gzip(Data(Self.lines(0..<200).utf8))
        for index in 20..<40 { gz[index] ^= 0x5A }
        try content.write("logs/bad.jsonl.gz", data: gz)
        let result = ingest(content, cache: nil)
        #expect(result.diagnostics.map(\.code) == ["unreadable-file"])
        #expect(result.diagnostics.first?.message.hasPrefix("cannot read the log: corrupt gzip data near compressed byte ") == true, "\(result.diagnostics)")
        #expect(!(result.diagnostics.first?.message.contains(content.root.path) ?? true))
    }

    @Test func aTruncatedGzipFileKeepsItsRecordsWithAWarning() throws {
        let content = try TemporaryContent()
        let gz = try gzip(Data(Self.lines(0..<200).utf8))
        try content.write("logs/cut.jsonl.gz", data: gz.prefix(gz.count / 2))
        let result = ingest(content, cache: nil)
        #expect(result.diagnostics.map(\.code) == ["log-malformed", "log-malformed"], "the cut line, and the cut")
        #expect(result.diagnostics.allSatisfy { $0.location?.file == "logs/cut.jsonl.gz" && $0.level == .warning })
        #expect(result.diagnostics.last?.message.hasPrefix("the gzip stream ends early after \(gz.count / 2) compressed bytes (truncated file?): the lines before it are read") == true)
        #expect(result.summary.records > 0)
    }

    @Test func otherFilesInLogsAreUnexpected() throws {
        let content = try TemporaryContent(["logs/a.json": "{}", "logs/readme.md": "ok"])
        let loaded = CatalogLoader.load(contentDirectory: content.root)
        #expect(loaded.catalog.logFiles.isEmpty)
        #expect(loaded.diagnostics.map(\.code) == ["unexpected-file"])
    }
}

/// gzip through /bin/gzip (the readers' own tests use zlib directly).
func gzip(_ data: Data) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-c", "-n"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    let writer = Thread { input.fileHandleForWriting.write(data); try? input.fileHandleForWriting.close() }
    writer.start()
    let compressed = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return compressed
}
