@testable import Analytics
import Foundation
import PromptCatalog
import Testing
import TestSupport

/// Langfuse observation exports read with Site.json `"logs": {"preset": "langfuse"}`.
@Suite struct LangfusePresetTests {
    static func read(_ text: String, _ format: LogFormat) throws -> ReaderTests.RecordingSink {
        let folder = try ReaderTests.LogFolder()
        let url = try folder.write(format == .csv ? "export.csv" : "export.jsonl", text)
        var sink = ReaderTests.RecordingSink()
        _ = try LogReader.read(url, format: format, columns: .langfuse, into: &sink)
        return sink
    }

    @Test func jsonExportsInCamelCaseBecomeRecords() throws {
        let text = """
        {"id":"obs-1","traceId":"t-1","type":"GENERATION","name":"keeper-talk","startTime":"2026-11-17T10:00:00.000Z","endTime":"2026-11-17T10:00:02.250Z","model":"gpt-4o","level":"DEFAULT","promptName":"keeper-dialogue","promptVersion":4,"calculatedTotalCost":0.003,"version":"release-7","usage":{"input":10}}
        {"id":"obs-2","startTime":"2026-11-17T23:59:59.5+01:00","endTime":"2026-11-17T23:59:59.750+01:00","level":"ERROR","statusMessage":"rate_limited","promptName":"keeper-dialogue","promptVersion":"3"}
        {"id":"obs-3","startTime":"2026-11-17T10:00:00Z","endTime":null,"promptName":"keeper-dialogue","promptVersion":4}
        {"id":"obs-4","startTime":"2026-11-17T10:00:05Z","endTime":"2026-11-17T10:00:00Z","level":"WARNING","promptName":"walk","promptVersion":"v2"}
        {"id":"obs-5","level":"FATAL","endTime":"2026-11-17T10:00:00Z"}
        {"id":"obs-6","status":"success","endTime":"2026-11-17T10:00:00Z","version":"walk@1"}
        """
        let sink = try Self.read(text, .jsonLines)
        #expect(sink.records.map(\.id) == ["obs-1", "obs-2", "obs-4", "obs-6"])
        let first = sink.records[0]
        #expect(first.version == "keeper-dialogue@4", "promptName@promptVersion; Langfuse's own `version` is not ours")
        #expect(first.status == "success")
        #expect(first.latencyMs == 2250)
        #expect(first.cost == 0.003)
        #expect(first.provider == "gpt-4o")
        #expect(first.operation == "keeper-talk")
        #expect(first.createdAt == "2026-11-17T10:00:00.000Z")
        let second = sink.records[1]
        #expect(second.version == "keeper-dialogue@3")
        #expect(second.status == "failed")
        #expect(second.error == "rate_limited")
        #expect(second.latencyMs == 250)
        #expect(sink.records[2].version == nil && sink.records[2].latencyMs == nil && sink.records[2].status == "success")
        #expect(sink.records[3].version == nil && sink.records[3].status == "success", "our own keys mean nothing in a Langfuse export")
        #expect(sink.unfinished == [ReaderTests.ReadProblem(line: 3, column: nil, message: "processing")], "no endTime: not finished")
        #expect(sink.ignored == [
            ReaderTests.ReadProblem(line: 4, column: nil, message: "`latency_ms` cannot be negative"),
            ReaderTests.ReadProblem(line: 4, column: nil, message: "`promptVersion` must be a version number (1, 2, …), found `v2`"),
        ])
        #expect(sink.problems == [ReaderTests.ReadProblem(line: 5, column: nil, message: "`level` must be DEBUG, DEFAULT, WARNING or ERROR, found `FATAL`")])
    }

    /// An unreadable date names its own field, once: a bad `startTime` was blamed on a good
    /// `endTime` and reported again as `created_at`, a column these files do not have.
    @Test func anUnreadableDateNamesItsOwnField() throws {
        let sink = try Self.read("""
            {"promptName":"walk","promptVersion":1,"startTime":"yesterday","endTime":"2026-01-01T10:00:01Z"}
            {"promptName":"walk","promptVersion":1,"startTime":"2026-01-01T10:00:00Z","endTime":"soon"}
            """, .jsonLines)
        #expect(sink.ignored == [
            ReaderTests.ReadProblem(line: 1, column: nil, message: "`startTime` is not an ISO 8601 date-time"),
            ReaderTests.ReadProblem(line: 2, column: nil, message: "`endTime` is not an ISO 8601 date-time"),
        ])
        #expect(sink.records.map(\.createdAt) == [nil, "2026-01-01T10:00:00Z"])
        #expect(sink.records.map(\.latencyMs) == [nil, nil])
    }

    /// Two names for one field, the later one null or empty: the value read stays (a null
    /// `totalCost` wiped `calculatedTotalCost`, an empty `model` wiped `providedModelName`).
    @Test func anEmptyAliasDoesNotWipeTheValue() throws {
        let text = """
        {"promptName":"walk","promptVersion":1,"model":"loremind","startTime":"2026-01-01T10:00:00Z","endTime":"2026-01-01T10:00:01Z","calculatedTotalCost":0.5,"totalCost":null}
        {"promptName":"walk","promptVersion":1,"startTime":"2026-01-01T10:00:00Z","endTime":"2026-01-01T10:00:01Z","providedModelName":"tidewave","model":null}
        """
        let sink = try Self.read(text, .jsonLines)
        #expect(sink.records.map(\.cost) == [0.5, nil])
        #expect(sink.records.map(\.provider) == ["loremind", "tidewave"])
        let csv = try Self.read("""
            prompt_name,prompt_version,start_time,end_time,calculated_total_cost,total_cost,provided_model_name,model
            walk,1,2026-01-01T10:00:00Z,2026-01-01T10:00:01Z,0.25,,tidewave,

            """, .csv)
        #expect(csv.records.map(\.cost) == [0.25])
        #expect(csv.records.map(\.provider) == ["tidewave"])
    }

    @Test func csvExportsInSnakeCaseBecomeRecords() throws {
        let text = """
        id,trace_id,start_time,end_time,level,status_message,prompt_name,prompt_version,total_cost,provided_model_name
        a,t,2026-11-17T10:00:00Z,2026-11-17T10:00:01.5Z,DEFAULT,,harbor-walk,2,0.02,flux
        b,t,2026-11-17T10:00:00Z,2026-11-17T10:00:03Z,ERROR,moderation,harbor-walk,2,,flux
        c,t,2026-11-17T10:00:00Z,,DEFAULT,,harbor-walk,2,0.01,flux
        """
        let sink = try Self.read(text, .csv)
        #expect(sink.problems.isEmpty)
        #expect(sink.records.map(\.id) == ["a", "b"])
        #expect(sink.records.map(\.version) == ["harbor-walk@2", "harbor-walk@2"])
        #expect(sink.records.map(\.status) == ["success", "failed"])
        #expect(sink.records.map(\.latencyMs) == [1500, 3000])
        #expect(sink.records.map(\.cost) == [0.02, nil])
        #expect(sink.records.map(\.provider) == ["flux", "flux"])
        #expect(sink.records[1].error == "moderation")
        #expect(sink.unfinished.map(\.line) == [4])
    }

    /// A trace exports its spans and events beside its generations: only `type` GENERATION (or no
    /// type) is a generation; the others are skipped, neither counted nor "not finished".
    @Test func onlyGenerationObservationsAreGenerations() throws {
        let json = """
        {"id":"g","type":"GENERATION","startTime":"2026-11-17T10:00:00Z","endTime":"2026-11-17T10:00:02Z","level":"ERROR","promptName":"walk","promptVersion":1}
        {"id":"s","type":"SPAN","startTime":"2026-11-17T10:00:00Z","endTime":"2026-11-17T10:00:09Z","promptName":"walk","promptVersion":1}
        {"id":"e","type":"EVENT","startTime":"2026-11-17T10:00:00Z","promptName":"walk","promptVersion":1}
        {"id":"u","startTime":"2026-11-17T10:00:00Z","endTime":"2026-11-17T10:00:01Z","promptName":"walk","promptVersion":1}
        """
        let fromJSON = try Self.read(json, .jsonLines)
        #expect(fromJSON.records.map(\.id) == ["g", "u"])
        #expect(fromJSON.unfinished.isEmpty)
        #expect(fromJSON.problems.isEmpty)
        let csv = "id,type,start_time,end_time,prompt_name,prompt_version\na,SPAN,2026-11-17T10:00:00Z,2026-11-17T10:00:05Z,walk,1\n"
            + "b,GENERATION,2026-11-17T10:00:00Z,2026-11-17T10:00:01Z,walk,1\nc,EVENT,2026-11-17T10:00:00Z,,walk,1\n"
        let fromCSV = try Self.read(csv, .csv)
        #expect(fromCSV.records.map(\.id) == ["b"])
        #expect(fromCSV.unfinished.isEmpty)
    }

    @Test func ingestionWithThePresetGroupsByFamilyAtVersion() throws {
        var lines: [String] = []
        for index in 0..<30 {
            let level = index % 3 == 0 ? "ERROR" : "DEFAULT"
            lines.append(#"{"id":"o-\#(index)","startTime":"2026-11-0\#(1 + index % 3)T10:00:00Z","endTime":"2026-11-0\#(1 + index % 3)T10:00:01Z","level":"\#(level)","promptName":"walk","promptVersion":\#(1 + index % 2),"model":"inkwell","totalCost":0.5}"#)
        }
        let content = try TemporaryContent(["logs/langfuse.jsonl": lines.joined(separator: "\n") + "\n"])
        let files = CatalogLoader.load(contentDirectory: content.root).catalog.logFiles
        let result = LogIngestion.ingest(files, options: LogIngestOptions(columns: .langfuse))
        #expect(result.diagnostics.isEmpty)
        #expect(result.summary.records == 30)
        let v1 = try #require(result.summary.cells[VersionProvider(version: "walk@1", provider: "inkwell")])
        let v2 = try #require(result.summary.cells[VersionProvider(version: "walk@2", provider: "inkwell")])
        #expect(v1.success == 10 && v1.failed == 5)
        #expect(v2.success == 10 && v2.failed == 5)
        #expect(v1.latency.quantile(0.5) == 1000)
        #expect(v1.costMicros == 15 * 500_000)
        #expect(result.summary.days.keys.sorted() == ["2026-11-01", "2026-11-02", "2026-11-03"])
    }

    @Test func siteJSONNamesThePreset() throws {
        let folder = try ReaderTests.LogFolder()
        let good = folder.url.appendingPathComponent("Site.json")
        try #"{"logs": {"preset": "langfuse"}}"#.write(to: good, atomically: true, encoding: .utf8)
        guard case .success(let (config, _)) = SiteConfig.load(from: good) else {
            Issue.record("Site.json not read")
            return
        }
        #expect(config.logPreset == "langfuse")
        #expect(LogIngestOptions(config: config, cache: nil).columns == .langfuse)

        let bad = folder.url.appendingPathComponent("Bad.json")
        try #"{"logs": {"preset": "clickhouse"}}"#.write(to: bad, atomically: true, encoding: .utf8)
        guard case .failure(let unreadable) = SiteConfig.load(from: bad) else {
            Issue.record("an unknown preset is accepted")
            return
        }
        #expect(unreadable.diagnostics.map(\.description) == ["Bad.json:1:21: error[invalid-field]: `logs.preset` must be promptsite or langfuse, found `clickhouse`"])
    }
}
