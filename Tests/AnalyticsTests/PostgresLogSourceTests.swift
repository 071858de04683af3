@testable import Analytics
import Diagnostics
import Foundation
import PromptCatalog
import Testing
import TestSupport

/// The URL of the throw-away server `scripts/with-postgres.sh` starts for `make test`.
private let testDatabase = ProcessInfo.processInfo.environment["PROMPTSITE_TEST_PG"]

/// One generation, written both as a JSON Lines record and as database rows.
private struct Generation {
    let id: Int
    let family: Int?
    let versionNumber: Int
    let provider: String?
    let status: String
    let error: String?
    let latencyMs: Int?
    let cost: Double?
    let rating: Int?
    let createdAt: String
    let experiment: String?
    let arm: String?
    let node: String?
    let block: String?
    let prompt: String?

    var version: String? { family.map { "fam\($0)@\(versionNumber)" } }

    init(_ i: Int) {
        id = i + 1
        family = i % 13 == 0 ? nil : i % 10
        versionNumber = i % 3 + 1
        provider = i % 37 == 0 ? nil : ["openai", "pixverse", "sora", "kling"][i % 4]
        status = i % 101 == 0 ? (i % 2 == 0 ? "pending" : "processing") : i % 10 < 7 ? "success" : i % 10 < 9 ? "failed" : "cancelled"
        error = status == "failed" ? ["timeout", "quota", "content_policy"][i % 3] : status == "success" && i % 50 == 0 ? "retry" : nil
        latencyMs = i % 23 == 0 ? nil : i % 17 == 0 ? i % 2 : 50 + (i * 7919) % 60_000
        cost = i % 19 == 0 ? nil : Double(i % 40) / 16
        rating = i % 3 == 0 ? 1 + i % 5 : nil
        let day = 1 + i % 28
        // Some at 22:30 five hours west of UTC: the next UTC day on both sides.
        createdAt = i % 11 == 0 ? String(format: "2026-11-%02dT22:30:00-05:00", day) : String(format: "2026-11-%02dT%02d:%02d:00Z", day, i % 24, i % 60)
        experiment = i % 35 == 0 ? "exp-b" : i % 5 == 0 ? "exp-a" : nil
        arm = experiment == "exp-a" ? ["control", "treatment"][i % 2] : nil
        node = i % 6 == 0 ? "node\(i / 6 % 4)" : nil
        block = i % 9 == 0 && family != nil ? "block\(i / 9 % 3)" : nil
        prompt = family == nil ? (i % 2 == 0 ? "inline text \(i % 5)" : nil) : "rendered text \(i % 7)"
    }

    /// As a log line: PixSim7's `completed` when `pixsim7`, and no node or block (PixSim7 has none).
    func jsonLine(pixsim7: Bool) -> String {
        var fields: [String] = []
        func add(_ key: String, _ value: String?) { if let value { fields.append("\"\(key)\":\"\(value)\"") } }
        add("version", version)
        add("provider", provider)
        add("status", pixsim7 && status == "success" ? "completed" : status)
        add("error", error)
        if let latencyMs { fields.append("\"latency_ms\":\(latencyMs)") }
        if let cost { fields.append("\"cost\":\(cost)") }
        if let rating { fields.append("\"rating\":\(rating)") }
        add("created_at", createdAt)
        add("experiment", experiment)
        add("arm", arm)
        if !pixsim7 {
            add("node", node)
            add("block", block)
        }
        add("prompt", prompt)
        return "{" + fields.joined(separator: ",") + "}"
    }
}

private func literal(_ value: String?) -> String { value.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" } ?? "NULL" }
private func literal(_ value: Int?) -> String { value.map(String.init) ?? "NULL" }
private func literal(_ value: Double?) -> String { value.map { "\($0)" } ?? "NULL" }

/// A schema of its own in the test server, dropped at the end; its URL puts it first on the search path.
private final class TestSchema {
    let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    let url: String
    let connection: PostgresConnection

    init(_ base: String) throws {
        let admin = try PostgresConnection(url: base, timeoutSeconds: 30)
        _ = try admin.query("CREATE SCHEMA \(name)")
        url = base + (base.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(name)"
        connection = try PostgresConnection(url: url, timeoutSeconds: 30)
    }

    deinit {
        _ = try? connection.query("DROP SCHEMA \(name) CASCADE")
    }

    func run(_ sql: String) throws { _ = try connection.query(sql) }

    /// Inserts rows in statements of 1,000.
    func insert(_ table: String, _ columns: String, _ rows: [String]) throws {
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(start + 1000, rows.count)]
            try run("INSERT INTO \(table) (\(columns)) VALUES " + batch.map { "(\($0))" }.joined(separator: ","))
            start += 1000
        }
    }

    func config(preset: String, table: String = "generations", timeout: Int = 30) -> LogDatabaseConfig {
        LogDatabaseConfig(url: url, preset: preset, table: table, timeoutSeconds: timeout, location: SourceLocation(file: "Site.json", line: 7, column: 17))
    }
}

private func createPromptsiteTable(_ schema: TestSchema, _ generations: [Generation], table: String = "generations") throws {
    try schema.run("""
        CREATE TABLE \(table) (id bigint PRIMARY KEY, version text, provider text, status text, error text, latency_ms double precision,
          cost numeric, rating integer, created_at timestamptz, node text, block text, experiment text, arm text, prompt text)
        """)
    try schema.insert(table, "id, version, provider, status, error, latency_ms, cost, rating, created_at, node, block, experiment, arm, prompt",
                      generations.map { g in
        [literal(g.id), literal(g.version), literal(g.provider), literal(g.status), literal(g.error), literal(g.latencyMs), literal(g.cost),
         literal(g.rating), literal(g.createdAt), literal(g.node), literal(g.block), literal(g.experiment), literal(g.arm), literal(g.prompt)]
            .joined(separator: ",")
    })
}

/// PixSim7's tables with the columns issue 15 lists, empty; `keyed: false` leaves the version and
/// family ids without a primary key (a view, or a table made by hand, may repeat them).
private func createPixSim7Schema(_ schema: TestSchema, keyed: Bool = true) throws {
    let key = keyed ? " PRIMARY KEY" : ""
    try schema.run("CREATE TABLE prompt_families (id integer\(key), slug text NOT NULL, title text)")
    try schema.run("CREATE TABLE prompt_versions (id integer\(key), family_id integer NOT NULL, version_number integer NOT NULL, prompt_text text)")
    try schema.run("""
        CREATE TABLE generations (id bigint PRIMARY KEY, operation_type text, provider_id text, prompt_version_id integer, final_prompt text,
          prompt_config jsonb, status text NOT NULL, error_code text, started_at timestamptz, completed_at timestamptz,
          actual_credits numeric, created_at timestamptz NOT NULL, asset_id integer)
        """)
    try schema.run("""
        CREATE TABLE prompt_variant_feedback (id serial PRIMARY KEY, prompt_version_id integer, generation_id bigint, user_rating integer,
          quality_score double precision)
        """)
}

/// PixSim7's tables with the columns issue 15 lists, and the generations in them.
private func createPixSim7Tables(_ schema: TestSchema, _ generations: [Generation]) throws {
    try createPixSim7Schema(schema)
    try schema.insert("prompt_families", "id, slug, title", (0..<10).map { "\($0 + 100), 'fam\($0)', 'Family \($0)'" })
    try schema.insert("prompt_versions", "id, family_id, version_number", (0..<10).flatMap { family in
        (1...3).map { "\(1000 + family * 10 + $0), \(family + 100), \($0)" }
    })
    try schema.insert("generations", """
        id, operation_type, provider_id, prompt_version_id, final_prompt, prompt_config, status, error_code, started_at, completed_at,
        actual_credits, created_at
        """, generations.map { g in
        var config: [String] = ["\"variables\": {}"]
        if let experiment = g.experiment { config.append("\"experiment\": \"\(experiment)\"") }
        if let arm = g.arm { config.append("\"arm\": \"\(arm)\"") }
        let status = g.status == "success" ? "completed" : g.status
        let started = g.latencyMs == nil ? "NULL" : literal(g.createdAt)
        let completed = g.latencyMs.map { "\(literal(g.createdAt))::timestamptz + interval '\($0) milliseconds'" } ?? "NULL"
        return [literal(g.id), "'text_to_video'", literal(g.provider), literal(g.family.map { 1000 + $0 * 10 + g.versionNumber }), literal(g.prompt),
                literal("{" + config.joined(separator: ", ") + "}"), literal(status), literal(g.error), started, completed, literal(g.cost),
                literal(g.createdAt)].joined(separator: ",")
    })
    try schema.insert("prompt_variant_feedback", "prompt_version_id, generation_id, user_rating, quality_score",
                      generations.compactMap { g in g.rating.map { "NULL, \(g.id), \($0), 0.5" } })
    // Feedback without a rating counts for nothing.
    try schema.run("INSERT INTO prompt_variant_feedback (generation_id, user_rating, quality_score) VALUES (2, NULL, 0.9)")
}

/// The file reader's summary of the same generations as JSON Lines.
private func fileSummary(_ generations: [Generation], pixsim7: Bool) throws -> LogIngest {
    let content = try TemporaryContent(["logs/a.jsonl": generations.map { $0.jsonLine(pixsim7: pixsim7) }.joined(separator: "\n") + "\n"])
    return LogIngestion.ingest([LogFileEntry(path: "logs/a.jsonl", url: content.root.appendingPathComponent("logs/a.jsonl"))])
}

/// Reads `config`, expecting exactly one error at Site.json:7:17 and nothing counted.
private func failure(_ config: LogDatabaseConfig) -> Diagnostic? {
    let result = DatabaseLogSource.read(config, file: "Site.json")
    #expect(result.summary == LogSummary())
    #expect(result.diagnostics.count == 1)
    let diagnostic = result.diagnostics.first
    #expect(diagnostic?.location == SourceLocation(file: "Site.json", line: 7, column: 17))
    #expect(diagnostic?.level == .error)
    #expect(diagnostic?.message.hasPrefix("Site.json logs.postgres: ") == true)
    return diagnostic
}

@Suite(.enabled(if: testDatabase != nil, "PROMPTSITE_TEST_PG is not set: run `make test` (scripts/with-postgres.sh starts a throw-away PostgreSQL)"))
struct PostgresLogSourceTests {
    fileprivate static let generations = (0..<10_000).map(Generation.init)

    @Test func promptsitePresetGivesTheFileReadersSummary() throws {
        let schema = try TestSchema(testDatabase!)
        try createPromptsiteTable(schema, Self.generations)
        let database = DatabaseLogSource.read(schema.config(preset: "promptsite"), file: "Site.json")
        let file = try fileSummary(Self.generations, pixsim7: false)
        #expect(database.diagnostics.map(\.code) == ["log-unfinished"])
        #expect(database.unfinished == file.files[0].summary.unfinished)
        #expect(database.summary.records == 9_900)
        #expect(database.summary == file.summary)
        #expect(database.summary.nodes.count == 4)
        #expect(database.summary.blocks.count == 3)
        #expect(database.summary.inline.total == 381)
        // 28 days, and 22:30 at −05:00 on the 28th is the 29th in UTC.
        #expect(database.summary.days.count == 29)
        #expect(database.rows["unfinished"] == 2)
        #expect(database.rows["armVersions"] == file.summary.armVersions.values.reduce(0) { $0 + $1.count })

        // Rows are bounded by the groups (each group × error code × latency bucket), not the records: ten times the
        // generations in the same groups and buckets return exactly as many rows from every query.
        try schema.run("""
            INSERT INTO generations SELECT g.id + n * 100000, version, provider, status, error, latency_ms, cost, rating, created_at, node, block,
              experiment, arm, prompt FROM generations g, generate_series(1, 9) n
            """)
        let tenfold = DatabaseLogSource.read(schema.config(preset: "promptsite"), file: "Site.json")
        #expect(tenfold.summary.records == 99_000)
        #expect(tenfold.rows == database.rows)
        #expect(tenfold.summary.cells.count == database.summary.cells.count)
        #expect(tenfold.summary.total.latency.counts == database.summary.total.latency.counts.map { $0 * 10 })
    }

    @Test func pixsim7PresetGivesTheFileReadersSummary() throws {
        let schema = try TestSchema(testDatabase!)
        try createPixSim7Tables(schema, Self.generations)
        let database = DatabaseLogSource.read(schema.config(preset: "pixsim7"), file: "Site.json")
        let file = try fileSummary(Self.generations, pixsim7: true)
        #expect(database.diagnostics.map(\.code) == ["log-unfinished"])
        #expect(database.summary == file.summary)
        #expect(database.summary.cells[VersionProvider(version: "fam3@2", provider: "pixverse")] != nil)
        #expect(database.summary.nodes.isEmpty && database.summary.blocks.isEmpty)
        #expect(database.rows["nodes"] == nil)
        #expect(database.summary.total.rating.count == Self.generations.filter { $0.rating != nil && !["pending", "processing"].contains($0.status) }.count)
    }

    /// Bucket and sums at the edges of the latency sketch: 0, 1 (bucket 0), just above, and large values.
    @Test func latencyBucketsMatchTheSketchAtTheEdges() throws {
        let schema = try TestSchema(testDatabase!)
        try schema.run("""
            CREATE TABLE generations (version text, provider text, status text, error text, latency_ms double precision, cost double precision,
              rating double precision, created_at timestamp, node text, block text, experiment text, arm text, prompt text)
            """)
        let latencies = [0, 0.5, 1, 1.0001, 1.01, 2, 3.7, 99.5, 100, 101, 1234.5678, 59_999.999, 3_600_000, 86_400_000]
        try schema.insert("generations", "version, provider, status, latency_ms, cost, created_at",
                          latencies.map { "'a@1', 'p', 'success', \($0), 0.1234565, '2026-11-01 23:59:59'" })
        let database = DatabaseLogSource.read(schema.config(preset: "promptsite"), file: "Site.json")
        var expected = LatencySketch()
        for latency in latencies { expected.add(latency) }
        let cell = try #require(database.summary.cells[VersionProvider(version: "a@1", provider: "p")])
        #expect(cell.latency.counts == expected.counts)
        #expect(cell.latency.offset == expected.offset)
        #expect(cell.latency.minimum == 0 && cell.latency.maximum == 86_400_000)
        #expect(cell.costMicros == Int64(latencies.count) * micros(0.1234565)!)
        #expect(cell.firstDay == "2026-11-01" && cell.lastDay == "2026-11-01")
    }

    /// Settings a database may change that the queries' text rests on are set for the session:
    /// with `extra_float_digits` lowered, 1234.5678 came back as `1e+03` (p50 off by 19%); with
    /// `standard_conforming_strings` off, experiments named `v` vanished.
    @Test func theDatabasesOwnSettingsChangeNoNumber() throws {
        let schema = try TestSchema(testDatabase!)
        try schema.run("""
            CREATE TABLE generations (version text, provider text, status text, error text, latency_ms double precision, cost double precision,
              rating double precision, created_at timestamp, node text, block text, experiment text, arm text, prompt text)
            """)
        try schema.insert("generations", "version, provider, status, latency_ms, experiment, arm, created_at",
                          ["'a@1', 'p', 'success', 1234.5678, 'v', 'vv', '2026-11-01 10:00:00'"])
        let altered = LogDatabaseConfig(url: schema.url + "%20-cextra_float_digits%3D-15%20-cstandard_conforming_strings%3Doff", preset: "promptsite",
                                        table: "generations", timeoutSeconds: 30, location: SourceLocation(file: "Site.json", line: 7, column: 17))
        let database = DatabaseLogSource.read(altered, file: "Site.json")
        let cell = try #require(database.summary.cells[VersionProvider(version: "a@1", provider: "p")])
        #expect(cell.latency.minimum == 1234.5678 && cell.latency.maximum == 1234.5678)
        #expect(database.summary.arms.keys.map { "\($0.experiment)/\($0.arm)" } == ["v/vv"])
    }

    /// A number beyond a double (a `numeric` 1e400) is left out of its record, as a log file
    /// leaves it out; it failed the whole query and every database generation was lost.
    @Test func numbersBeyondADoubleLoseOnlyThemselves() throws {
        let schema = try TestSchema(testDatabase!)
        try schema.run("""
            CREATE TABLE generations (version text, provider text, status text, error text, latency_ms numeric, cost numeric,
              rating numeric, created_at timestamp, node text, block text, experiment text, arm text, prompt text)
            """)
        try schema.insert("generations", "version, provider, status, latency_ms, cost, rating, created_at",
                          ["'a@1', 'p', 'success', 1e400, 1e400, 1e-400, '2026-11-01 10:00:00'",
                           "'a@1', 'p', 'success', 250, 0.5, 4, '2026-11-01 10:00:00'"])
        let database = DatabaseLogSource.read(schema.config(preset: "promptsite"), file: "Site.json")
        #expect(database.diagnostics.filter { $0.level == .error }.isEmpty, "\(database.diagnostics)")
        let cell = try #require(database.summary.cells[VersionProvider(version: "a@1", provider: "p")])
        #expect(cell.total == 2)
        #expect(cell.costCount == 1 && cell.costMicros == 500_000)
        #expect(cell.latency.count == 1 && cell.latency.maximum == 250)
        #expect(cell.rating.count == 2)
    }

    /// PixSim7's version and family tables without a primary key (or views) may repeat an id: each
    /// generation still counts once (it counted once per repeat); an infinite timestamp loses only
    /// its latency (the whole query failed: "cannot subtract infinite timestamps").
    @Test func pixsim7RepeatedIdsAndInfiniteTimesCountOnce() throws {
        let schema = try TestSchema(testDatabase!)
        try createPixSim7Schema(schema, keyed: false)
        try schema.insert("prompt_families", "id, slug, title", ["1, 'fam', 'F'", "1, 'fam', 'F'"])
        try schema.insert("prompt_versions", "id, family_id, version_number", ["10, 1, 1", "10, 1, 1"])
        try schema.insert("generations", "id, provider_id, prompt_version_id, status, started_at, completed_at, created_at", [
            "1, 'p', 10, 'completed', '2026-11-01 10:00:00+00', '2026-11-01 10:00:01+00', '2026-11-01 10:00:00+00'",
            "2, 'p', 10, 'completed', '-infinity', 'infinity', '2026-11-01 10:00:00+00'",
            "3, 'p', 10, 'failed', NULL, NULL, '2026-11-01 10:00:00+00'",
        ])
        let database = DatabaseLogSource.read(schema.config(preset: "pixsim7"), file: "Site.json")
        #expect(database.diagnostics.filter { $0.level == .error }.isEmpty, "\(database.diagnostics)")
        let cell = try #require(database.summary.cells[VersionProvider(version: "fam@1", provider: "p")])
        #expect(cell.total == 3 && cell.success == 2)
        #expect(cell.latency.count == 1 && cell.latency.maximum == 1000)
    }

    /// libpq quotes a malformed URL in its error, password and all; the message is published in
    /// the site's reports, so the URL and its password never reach it.
    @Test func aMalformedURLIsNotQuoted() {
        let url = "postgresql://reader:s3cr%zzet@db.example/logs"
        let message = #"invalid percent-encoded token: "s3cr%zzet""#
        #expect(PostgresConnection.redacted(message, url: url) == #"invalid percent-encoded token: "…""#)
        #expect(PostgresConnection.redacted("could not parse \(url)", url: url) == "could not parse <the connection URL>")
        #expect(PostgresConnection.redacted("password s3cr%zzet rejected", url: url) == "password … rejected")
        #expect(PostgresConnection.redacted("connection refused", url: url) == "connection refused")
    }

    /// Costs around $1,000,000 that differ by cents, fractional ratings and latencies: the database's
    /// exact sums (numeric) give the file reader's moments to the bit, and Welch's t on cost is the exact one.
    @Test func costMomentsAreExactAsInTheFiles() throws {
        let schema = try TestSchema(testDatabase!)
        try createPromptsiteTable(schema, [])
        try schema.run("ALTER TABLE generations ALTER COLUMN rating TYPE double precision")
        let samples = ExactMomentsTests.samples(base: 1_000_000)
        try schema.insert("generations", "id, version, provider, status, latency_ms, cost, rating, created_at, experiment, arm", samples.map { s in
            "\(s.index), '\(s.version)', 'inkwell', 'success', \(s.latency), \(s.cost), \(s.rating), '\(s.createdAt)', 'budget', '\(s.arm)'"
        })
        let database = DatabaseLogSource.read(schema.config(preset: "promptsite"), file: "Site.json")
        #expect(database.diagnostics.isEmpty, "\(database.diagnostics)")
        let content = try TemporaryContent(["logs/a.jsonl": samples.map(\.jsonLine).joined(separator: "\n") + "\n"])
        let file = LogIngestion.ingest([LogFileEntry(path: "logs/a.jsonl", url: content.root.appendingPathComponent("logs/a.jsonl"))])
        #expect(database.summary == file.summary)
        let control = try #require(database.summary.arms[ExperimentArm(experiment: "budget", arm: "control")])
        let treatment = try #require(database.summary.arms[ExperimentArm(experiment: "budget", arm: "B")])
        let test = try #require(WelchTest(control: control.cost, treatment: treatment.cost))
        #expect(abs(test.t - ExactMomentsTests.expectedT) <= 1e-12 * ExactMomentsTests.expectedT, "t = \(test.t)")
    }

    /// A status that is neither counted nor unfinished (or none) leaves the row out, as a log file's line
    /// with one is `log-malformed`: one warning with the count and the statuses, never one per row.
    @Test func unknownStatusesAreCountedInOneWarning() throws {
        let schema = try TestSchema(testDatabase!)
        try createPromptsiteTable(schema, [])
        try schema.run("""
            INSERT INTO generations (id, version, provider, status, created_at)
            SELECT i, 'walk@1', 'p', CASE WHEN i <= 3 THEN 'success' WHEN i <= 5 THEN 'queued' WHEN i = 6 THEN 'Success' WHEN i = 7 THEN NULL
              WHEN i = 8 THEN 'pending' ELSE 'queued' END, timestamptz '2026-01-01' FROM generate_series(1, 1008) i
            """)
        let logs = DatabaseLogSource.read(schema.config(preset: "promptsite"), file: "Site.json")
        #expect(logs.summary.records == 3)
        #expect(logs.unfinished == ["pending": 1])
        #expect(logs.unknownStatus == 1_004)
        #expect(logs.diagnostics.map(\.description) == [
            "Site.json:7:17: info[log-unfinished]: Site.json logs.postgres: 1 generation is not finished (1 pending): not counted",
            "Site.json:7:17: warning[log-malformed]: Site.json logs.postgres: 1004 generations have an unknown status (1002 `queued`, 1 null, 1 `Success`): left out of the analytics",
        ])
        #expect(logs.diagnostics.last?.hint == "the `promptsite` preset counts success, completed, failed and cancelled and leaves pending, processing and paused out as unfinished; correct the status, or map it in a view named in `table`")

        // Many distinct statuses: six rows read at most, five named; a line break is escaped.
        try schema.run("INSERT INTO generations (id, version, provider, status, created_at) SELECT 2000 + i, 'walk@1', 'p', 'odd-' || i, timestamptz '2026-01-01' FROM generate_series(1, 500) i")
        try schema.run("INSERT INTO generations (id, version, provider, status, created_at) VALUES (3000, 'walk@1', 'p', E'two\\nlines', '2026-01-01'), (3001, 'walk@1', 'p', E'two\\nlines', '2026-01-01')")
        let many = DatabaseLogSource.read(schema.config(preset: "promptsite"), file: "Site.json")
        #expect(many.rows["unknownStatuses"] == 6)
        #expect(many.unknownStatus == 1_506)
        #expect(many.diagnostics.filter { $0.code == "log-malformed" }.map(\.message) == [
            "Site.json logs.postgres: 1506 generations have an unknown status (1002 `queued`, 2 `two\\nlines`, 1 null, 1 `Success`, 1 `odd-1`, others): left out of the analytics",
        ])
        #expect(many.summary == logs.summary)
    }

    /// PixSim7 writes `completed`: its preset counts completed, failed and cancelled, and a `success` there is unknown.
    @Test func pixsim7UnknownStatusesNameItsOwnStatuses() throws {
        let schema = try TestSchema(testDatabase!)
        try createPixSim7Tables(schema, Array(Self.generations.prefix(20)))
        try schema.run("UPDATE generations SET status = 'success' WHERE id IN (2, 3)")
        let logs = DatabaseLogSource.read(schema.config(preset: "pixsim7"), file: "Site.json")
        let warning = try #require(logs.diagnostics.first { $0.code == "log-malformed" })
        #expect(warning.message == "Site.json logs.postgres: 2 generations have an unknown status (2 `success`): left out of the analytics")
        #expect(warning.hint == "the `pixsim7` preset counts completed, failed and cancelled and leaves pending, processing and paused out as unfinished; correct the status, or map it in a view named in `table`")
        #expect(logs.summary.records == Self.generations.prefix(20).filter { ["success", "failed", "cancelled"].contains($0.status) }.count - 2)
    }

    /// PixSim7 writes `{"experiment": ""}` in prompt_config when there is none: no experiment named "" (nor "  "),
    /// and a blank arm is no arm, as in a log file; the promptsite preset's columns alike.
    @Test func blankExperimentsAndArmsAreNone() throws {
        let configs = [#"{"experiment": ""}"#, #"{"experiment": "   ", "arm": "B"}"#, #"{"experiment": "\t\n"}"#, #"{"experiment": "light", "arm": " "}"#,
                       #"{"experiment": "light", "arm": "B"}"#, #"{"experiment": "light", "arm": ""}"#, #"{"experiment": null}"#, "{}"]
        let pixsim7 = try TestSchema(testDatabase!)
        try createPixSim7Tables(pixsim7, [])
        try pixsim7.insert("generations", "id, provider_id, prompt_version_id, prompt_config, status, created_at", configs.enumerated().map { index, config in
            "\(index + 1), 'p', 1001, \(literal(config)), 'completed', '2026-01-01T00:00:00Z'"
        })
        let fromPixSim7 = DatabaseLogSource.read(pixsim7.config(preset: "pixsim7"), file: "Site.json")
        #expect(fromPixSim7.diagnostics.isEmpty, "\(fromPixSim7.diagnostics)")
        #expect(fromPixSim7.summary.records == 8)
        #expect(fromPixSim7.summary.arms.keys.sorted() == [ExperimentArm(experiment: "light", arm: ""), ExperimentArm(experiment: "light", arm: "B")])
        #expect(fromPixSim7.summary.arms[ExperimentArm(experiment: "light", arm: "")]?.total == 2)
        #expect(fromPixSim7.summary.armVersions[ExperimentArm(experiment: "light", arm: "")] == ["fam0@1": 2])

        let promptsite = try TestSchema(testDatabase!)
        try createPromptsiteTable(promptsite, [])
        let columns: [(String?, String?)] = [("", nil), ("   ", "B"), ("\t\n", nil), ("light", " "), ("light", "B"), ("light", ""), (nil, nil), (nil, "B")]
        try promptsite.insert("generations", "id, version, provider, status, created_at, experiment, arm", columns.enumerated().map { index, values in
            "\(index + 1), 'fam0@1', 'p', 'success', '2026-01-01T00:00:00Z', \(literal(values.0.map { $0.replacingOccurrences(of: "\t", with: "\t") })), \(literal(values.1))"
        })
        let fromTable = DatabaseLogSource.read(promptsite.config(preset: "promptsite"), file: "Site.json")
        #expect(fromTable.summary.arms == fromPixSim7.summary.arms)
        #expect(fromTable.summary.armVersions == fromPixSim7.summary.armVersions)

        // The same records in a log file give the same arms.
        let lines = columns.map { values in
            "{\"version\":\"fam0@1\",\"provider\":\"p\",\"status\":\"success\",\"created_at\":\"2026-01-01T00:00:00Z\""
                + (values.0.map { ",\"experiment\":\"\($0.replacingOccurrences(of: "\t", with: "\\t").replacingOccurrences(of: "\n", with: "\\n"))\"" } ?? "")
                + (values.1.map { ",\"arm\":\"\($0)\"" } ?? "") + "}"
        }
        let content = try TemporaryContent(["logs/a.jsonl": lines.joined(separator: "\n") + "\n"])
        let file = LogIngestion.ingest([LogFileEntry(path: "logs/a.jsonl", url: content.root.appendingPathComponent("logs/a.jsonl"))])
        #expect(file.summary.arms == fromTable.summary.arms)
        #expect(file.diagnostics.map(\.description) == [
            #"logs/a.jsonl:4:118: warning[log-field-ignored]: `arm` is only whitespace: the value is left out of 1 record of this file, first here; the records are kept"#,
            #"logs/a.jsonl:6:118: warning[log-field-ignored]: `arm` is an empty string: the value is left out of 1 record of this file, first here; the records are kept"#,
            #"logs/a.jsonl:1:104: warning[log-field-ignored]: `experiment` is an empty string: the value is left out of 1 record of this file, first here; the records are kept"#,
            #"logs/a.jsonl:2:104: warning[log-field-ignored]: `experiment` is only whitespace: the value is left out of 2 records of this file, first here; the records are kept"#,
        ])
    }

    @Test func mergesWithTheFileLogs() throws {
        let schema = try TestSchema(testDatabase!)
        let some = Array(Self.generations.prefix(500))
        try createPromptsiteTable(schema, some)
        let file = try fileSummary(some, pixsim7: false)
        let merged = file.merging(DatabaseLogSource.read(schema.config(preset: "promptsite"), file: "Site.json"))
        var twice = file.summary
        twice.merge(file.summary)
        #expect(merged.summary == twice)
        #expect(merged.files.count == 1)
        // The file's (at its line) and the database's (at Site.json).
        #expect(merged.diagnostics.map(\.code) == ["log-unfinished", "log-unfinished"])
        #expect(merged.diagnostics.last?.location?.file == "Site.json")
    }

    // MARK: - Failure modes: each one located diagnostic naming Site.json and the table or column

    @Test func missingTable() throws {
        let schema = try TestSchema(testDatabase!)
        let diagnostic = try #require(failure(schema.config(preset: "promptsite", table: "no_such_table")))
        #expect(diagnostic.code == "log-db-table")
        #expect(diagnostic.message.contains("`no_such_table`"))
    }

    /// Tables are found as the queries name them: `schema.table`, a materialized view and a name
    /// with a quote were all "does not exist" (information_schema lists none of them).
    @Test func qualifiedNamesMaterializedViewsAndQuotesAreFound() throws {
        let schema = try TestSchema(testDatabase!)
        try createPromptsiteTable(schema, Array(Self.generations.prefix(200)))
        try schema.run("CREATE MATERIALIZED VIEW frozen AS SELECT * FROM generations")
        try schema.run(#"CREATE VIEW "odd""name" AS SELECT * FROM generations"#)
        let plain = DatabaseLogSource.read(schema.config(preset: "promptsite"), file: "Site.json")
        for table in ["\(schema.name).generations", "frozen", #"odd"name"#] {
            let found = DatabaseLogSource.read(schema.config(preset: "promptsite", table: table), file: "Site.json")
            #expect(found.diagnostics.filter { $0.level == .error }.isEmpty, "\(table): \(found.diagnostics)")
            #expect(found.summary == plain.summary, "\(table)")
        }
    }

    @Test func missingColumn() throws {
        let schema = try TestSchema(testDatabase!)
        try createPixSim7Tables(schema, [])
        try schema.run("ALTER TABLE generations DROP COLUMN actual_credits")
        let diagnostic = try #require(failure(schema.config(preset: "pixsim7")))
        #expect(diagnostic.code == "log-db-column")
        #expect(diagnostic.message.contains("`generations.actual_credits`"))
    }

    @Test func wrongType() throws {
        let schema = try TestSchema(testDatabase!)
        try createPromptsiteTable(schema, [])
        try schema.run("ALTER TABLE generations ALTER COLUMN latency_ms TYPE text")
        let diagnostic = try #require(failure(schema.config(preset: "promptsite")))
        #expect(diagnostic.code == "log-db-type")
        #expect(diagnostic.message.contains("`generations.latency_ms` is text, expected a number"))
    }

    /// A value the type check cannot see (text that is not a number behind a view) fails in the query, still located.
    @Test func badValueInTheQuery() throws {
        let schema = try TestSchema(testDatabase!)
        try createPromptsiteTable(schema, Array(Self.generations.prefix(10)), table: "raw")
        try schema.run("CREATE VIEW generations AS SELECT version, provider, status, error, latency_ms, ('x' || cost::text)::numeric AS cost, rating, created_at, node, block, experiment, arm, prompt FROM raw")
        let diagnostic = try #require(failure(schema.config(preset: "promptsite")))
        #expect(diagnostic.code == "log-db-type")
        #expect(diagnostic.message.contains("SQLSTATE 22P02"))
    }

    /// Rows whose names are unique to each: counted in the database, and refused before any
    /// group is read (a million such rows needed 3.7 GB and crashed).
    @Test func tooManyDistinctGroups() throws {
        let schema = try TestSchema(testDatabase!)
        try createPromptsiteTable(schema, [])
        try schema.run("""
            INSERT INTO generations (id, version, provider, status, latency_ms, cost, created_at)
            SELECT i, 'fam-' || i || '@1', 'p', 'success', 10, 0.01, timestamptz '2026-01-01' FROM generate_series(1, 400001) i
            """)
        let diagnostic = try #require(failure(schema.config(preset: "promptsite")))
        #expect(diagnostic.code == "log-too-many-groups")
        // 400,001 cells and one day; rows with no experiment are no arm (they were counted as a third group).
        #expect(diagnostic.message.contains("400002 distinct groups"), "\(diagnostic.message)")
    }

    /// The bounds a log file's values get: a cost over 1e9, NaN or infinite, a latency over 30
    /// days, a rating beyond ±1e6 are left out of the aggregates (they were counted, and a NaN
    /// cost failed the whole query).
    @Test func valuesOutOfBoundsAreLeftOut() throws {
        let schema = try TestSchema(testDatabase!)
        try createPromptsiteTable(schema, [])
        try schema.run("ALTER TABLE generations ALTER COLUMN cost TYPE double precision, ALTER COLUMN rating TYPE double precision")
        try schema.run("""
            INSERT INTO generations (id, version, provider, status, latency_ms, cost, rating, created_at) VALUES
              (1, 'walk@1', 'p', 'success', 1000, 0.5, 4, '2026-01-01T00:00:00Z'),
              (2, 'walk@1', 'p', 'success', 'Infinity', 'NaN', 'NaN', '2026-01-01T00:00:00Z'),
              (3, 'walk@1', 'p', 'success', 3456000000, 2000000000, 2000000, '2026-01-01T00:00:00Z')
            """)
        let logs = DatabaseLogSource.read(schema.config(preset: "promptsite"), file: "Site.json")
        #expect(logs.diagnostics.isEmpty, "\(logs.diagnostics)")
        let cell = try #require(logs.summary.cells[VersionProvider(version: "walk@1", provider: "p")])
        #expect(cell.success == 3)
        #expect(cell.costCount == 1 && cell.costMicros == 500_000)
        #expect(cell.rating.count == 1)
        #expect(cell.latency.count == 1)
    }

    @Test func timeout() throws {
        let schema = try TestSchema(testDatabase!)
        try createPromptsiteTable(schema, Array(Self.generations.prefix(3)), table: "raw")
        // Each row takes longer than the 1 s statement_timeout.
        try schema.run("CREATE VIEW generations AS SELECT raw.* FROM raw, LATERAL (SELECT pg_sleep(2)) s")
        let diagnostic = try #require(failure(schema.config(preset: "promptsite", timeout: 1)))
        #expect(diagnostic.code == "log-db-timeout")
        #expect(diagnostic.message.contains("statement_timeout"))
        #expect(diagnostic.message.contains("`generations`"))
    }
}

/// Site.json `logs.postgres`, read and rejected, and the failures that need no server.
@Suite struct LogDatabaseConfigTests {
    func load(_ json: String, name: String = "Site.json") throws -> (SiteConfig?, [Diagnostic]) {
        let content = try TemporaryContent()
        let file = try content.writeProjectFile(name, json)
        switch SiteConfig.load(from: file) {
        case .success(let (config, diagnostics)): return (config, diagnostics)
        case .failure(let unreadable): return (nil, unreadable.diagnostics)
        }
    }

    @Test func readsEveryField() throws {
        let (config, diagnostics) = try load("""
            {"logs": {"postgres": {"url": "postgresql://localhost/studio", "urlEnv": "PROMPTSITE_PG_URL", "preset": "pixsim7",
              "table": "gen", "timeoutSeconds": 5}}}
            """)
        #expect(diagnostics.isEmpty)
        let database = try #require(config?.logDatabase)
        #expect(database.url == "postgresql://localhost/studio")
        #expect(database.urlEnvironment == "PROMPTSITE_PG_URL")
        #expect(database.preset == "pixsim7" && database.table == "gen" && database.timeoutSeconds == 5)
        #expect(database.location.line == 1)
    }

    @Test func rejectsAnUnknownPresetAndField() throws {
        let (config, diagnostics) = try load(#"{"logs": {"postgres": {"preset": "mysql", "tabel": "x", "timeoutSeconds": 0}}}"#)
        #expect(config == nil)
        #expect(diagnostics.allSatisfy { $0.location?.file == "Site.json" && $0.location?.line == 1 })
        #expect(diagnostics.contains { $0.message.contains("timeoutSeconds") })
        #expect(diagnostics.contains { $0.message.contains("`logs.postgres.preset` must be pixsim7 or promptsite, found `mysql`") })
        #expect(diagnostics.contains { $0.message.contains("tabel") })
        #expect(diagnostics.count == 3)
    }

    @Test func connectionRefused() throws {
        let socket = FileManager.default.temporaryDirectory.appendingPathComponent("no-server-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: socket, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: socket) }
        let config = LogDatabaseConfig(url: "postgresql:///postgres?host=\(socket)", location: SourceLocation(file: "Site.json", line: 7, column: 17))
        let diagnostic = try #require(failure(config))
        #expect(diagnostic.code == "log-db-unavailable")
        #expect(diagnostic.message.contains("cannot connect"))
    }

    @Test func urlFromTheEnvironmentAndNone() {
        var config = LogDatabaseConfig(url: "postgresql://from-file", urlEnvironment: "PG_URL", location: SourceLocation(file: "Site.json"))
        #expect(config.resolvedURL(environment: ["PG_URL": "postgresql://from-env"]) == "postgresql://from-env")
        #expect(config.resolvedURL(environment: [:]) == "postgresql://from-file")
        config.url = nil
        config.location = SourceLocation(file: "Site.json", line: 7, column: 17)
        config.urlEnvironment = "PROMPTSITE_SURELY_UNSET_\(UUID().uuidString.prefix(8))"
        let diagnostic = failure(config)
        #expect(diagnostic?.code == "log-db-unavailable")
        #expect(diagnostic?.message.contains("is not set") == true)
    }

    /// The database's versions and blocks are checked against the catalog too: one warning each at
    /// Site.json (there are no lines).
    @Test func unknownDatabaseVersionsAreOneWarningAtSiteJSON() throws {
        let content = try TemporaryContent([
            "prompts/walk/family.yaml": "title: Walk\nprompt_type: visual\n",
            "prompts/walk/v1.prompt": "---\nversion: 1\n---\nA walk by the harbor.\n",
            "action-blocks/vampire.json": #"{"package_info": {"name": "vampire_seduction"}, "action_blocks": [{"id": "mirror", "prompt": "A mirror."}]}"#,
        ])
        let catalog = CatalogLoader.load(contentDirectory: content.root).catalog
        var database = DatabaseLogs()
        database.location = SourceLocation(file: "Site.json", line: 7, column: 17)
        var three = Aggregate()
        three.success = 3
        var one = Aggregate()
        one.failed = 1
        database.summary.cells[VersionProvider(version: "walk@1", provider: "p")] = three
        database.summary.cells[VersionProvider(version: "walk@9", provider: "p")] = three
        database.summary.cells[VersionProvider(version: "run@2", provider: "q")] = one
        database.summary.cells[VersionProvider(version: "", provider: "q")] = one
        let ingest = LogIngest.empty.merging(database)
        #expect(LogReferences.diagnostics(ingest, catalog: catalog).map(\.description) == [
            "Site.json:7:17: warning[log-unknown-version]: Site.json logs.postgres: 4 generations name versions not in the catalog (2: `run@2`, `walk@9`)",
        ])
        for name in ["mirror", "vampire_seduction:mirror"] { database.summary.blocks[name] = three }
        database.summary.blocks["mirorr"] = one
        database.summary.blocks["other_pack:mirror"] = three
        #expect(LogReferences.diagnostics(LogIngest.empty.merging(database), catalog: catalog).map(\.description) == [
            "Site.json:7:17: warning[log-unknown-version]: Site.json logs.postgres: 4 generations name versions not in the catalog (2: `run@2`, `walk@9`)",
            "Site.json:7:17: warning[log-unknown-block]: Site.json logs.postgres: 4 generations name action blocks not in the catalog (2: `mirorr`, `other_pack:mirror`)",
        ])
        #expect(LogReferences.diagnostics(LogIngest.empty, catalog: catalog).isEmpty)
    }

    /// Located where the caller's diagnostics are (Site.json relative to the content folder), named as
    /// Site.json's own diagnostics name it: `Site.json logs.postgres`, never `../Site.json logs.postgres`.
    @Test func diagnosticsNameSiteJSONByItsName() throws {
        let unset = "PROMPTSITE_SURELY_UNSET_\(UUID().uuidString.prefix(8))"
        let (config, _) = try load("{\n  \"logs\": {\"postgres\": {\"urlEnv\": \"\(unset)\"}}}")
        let logs = DatabaseLogSource.read(config?.logDatabase, file: "../Site.json")
        #expect(logs.diagnostics.map(\.description) == [
            "../Site.json:2:24: error[log-db-unavailable]: Site.json logs.postgres: `\(unset)` is not set and no `url` is given; the database logs are left out",
        ])
        #expect(logs.section == "Site.json logs.postgres")
        // A config named otherwise is named so.
        let (other, _) = try load(#"{"logs": {"postgres": {"urlEnv": "\#(unset)"}}}"#, name: "studio.json")
        #expect(DatabaseLogSource.read(other?.logDatabase, file: "../studio.json").diagnostics.first?.message.hasPrefix("studio.json logs.postgres: ") == true)
    }

    @Test func noDatabaseWithoutTheSection() throws {
        let (config, _) = try load(#"{"logs": {"preset": "langfuse"}}"#)
        #expect(config != nil && config?.logDatabase == nil)
        #expect(DatabaseLogSource.read(nil, file: "Site.json").rows.isEmpty)
    }
}
