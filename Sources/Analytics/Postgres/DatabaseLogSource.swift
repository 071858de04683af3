import Diagnostics
import Foundation
import PromptCatalog

/// What the database gave: the same `LogSummary` the file reader makes, its problems, and how many
/// rows each query returned (aggregates only: bounded by the groups, never one per generation).
public struct DatabaseLogs: Sendable {
    public var summary = LogSummary()
    public var diagnostics: [Diagnostic] = []
    /// Rows returned, by grouping (`cells`, `nodes`, `blocks`, `days`, `arms`, `armVersions`, `inline`, `unfinished`).
    public var rows: [String: Int] = [:]
    /// Generations not finished (`pending`, …), not counted.
    public var unfinished: [String: Int] = [:]
    /// Generations whose status is neither counted nor unfinished (or null), not counted; and the
    /// most frequent of those statuses with their counts (nil: a null status).
    public var unknownStatus = 0
    public var unknownStatuses: [(status: String?, count: Int)] = []
    /// Where `logs.postgres` is written (for diagnostics that depend on the catalog).
    public var location: SourceLocation?
    /// How messages name the section: `Site.json logs.postgres`, the config file by its name as its own
    /// diagnostics give it, whatever path `location` takes to it.
    public var section = "Site.json logs.postgres"

    public static let none = DatabaseLogs()
}

/// Generation logs in PostgreSQL (Site.json `logs.postgres`): one aggregate query per grouping,
/// computed in the database — counts by status and error, exact sums and sums of squares of cost and
/// rating in micro-units (`FixedPointMoments`), latency histogram buckets with `LatencySketch`'s bucket function —
/// merged into a `LogSummary` exactly as file chunks are.
public enum DatabaseLogSource {
    /// Reads the aggregates; every failure is a diagnostic located at `logs.postgres` in `file` (the
    /// path of Site.json as the caller's diagnostics give paths, e.g. relative to the content folder),
    /// and an empty summary, so the rest of the site still builds. Messages name the file as Site.json's
    /// own diagnostics do (`Site.json logs.postgres`), not by that path.
    public static func read(_ config: LogDatabaseConfig?, file: String) -> DatabaseLogs {
        guard let config else { return .none }
        let location = SourceLocation(file: file, line: config.location.line, column: config.location.column)
        let section = "\(config.location.file.isEmpty ? "Site.json" : config.location.file) logs.postgres"
        var result = DatabaseLogs()
        result.location = location
        result.section = section
        func fail(_ code: String, _ message: String, hint: String) -> DatabaseLogs {
            result.diagnostics.append(.error(code, "\(section): \(message); the database logs are left out", at: location, hint: hint))
            result.summary = LogSummary()
            return result
        }
        guard let preset = DatabaseLogPreset(config) else {
            return fail("log-db-query", "unknown preset `\(config.preset)`", hint: "use \(LogDatabaseConfig.presets.joined(separator: " or "))")
        }
        guard let url = config.resolvedURL(), !url.isEmpty else {
            let variable = config.urlEnvironment.map { "`\($0)` is not set and " } ?? ""
            return fail("log-db-unavailable", "\(variable)no `url` is given", hint: "set `urlEnv` to an environment variable holding a postgresql:// URL, or write `url`")
        }
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection(url: url, timeoutSeconds: config.timeoutSeconds)
        } catch {
            return fail("log-db-unavailable", "cannot connect to the database: \(error.message)",
                        hint: "check that the server runs and the URL\(config.urlEnvironment.map { " in `\($0)`" } ?? "") is right")
        }
        // The columns first (one row per column, never per generation): a missing table, column or a
        // wrong type is named before any aggregate runs.
        do {
            // Each table as the queries name it (`schema.table` included), through the catalog: a
            // materialized view, a table the role may not read and a name with a quote are found
            // (information_schema lists none of them). Types are named as information_schema names them.
            var types: [String: [String: String]] = [:]
            var columnCount = 0
            for table in preset.tables {
                let found = try connection.query("""
                    SELECT a.attname::text,
                      CASE WHEN t.typtype = 'd' THEN
                             CASE WHEN bt.typelem <> 0 AND bt.typlen = -1 THEN 'ARRAY' WHEN bn.nspname = 'pg_catalog' THEN format_type(t.typbasetype, NULL)
                                  ELSE 'USER-DEFINED' END
                           ELSE CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN 'ARRAY' WHEN tn.nspname = 'pg_catalog' THEN format_type(a.atttypid, NULL)
                                  ELSE 'USER-DEFINED' END END
                    FROM pg_attribute a
                    JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace
                    LEFT JOIN pg_type bt ON bt.oid = t.typbasetype LEFT JOIN pg_namespace bn ON bn.oid = bt.typnamespace
                    WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
                    """, [DatabaseLogPreset.quoted(table)])
                columnCount += found.count
                for row in found {
                    guard let column = row[0], let type = row[1] else { continue }
                    types[table, default: [:]][column] = type
                }
            }
            result.rows["columns"] = columnCount
            for table in preset.tables where types[table] == nil {
                return fail("log-db-table", "table `\(table)` does not exist, or this role may not see it (preset `\(preset.name)`)",
                            hint: preset.name == "pixsim7" ? "the pixsim7 preset reads generations, prompt_versions, prompt_families and prompt_variant_feedback"
                                : "set `table` to the table of generations, or create it with the log columns in the README")
            }
            for column in preset.columns {
                guard let type = types[column.table]?[column.name] else {
                    return fail("log-db-column", "column `\(column.table).\(column.name)` does not exist (preset `\(preset.name)`)",
                                hint: "the `\(preset.name)` preset reads \(preset.columns.filter { $0.table == column.table }.map(\.name).joined(separator: ", ")) from `\(column.table)`")
                }
                guard column.type.accepts(type) else {
                    return fail("log-db-type", "column `\(column.table).\(column.name)` is \(type), expected \(column.type.name)",
                                hint: "store `\(column.name)` as \(column.type.name), or expose it so in a view named in `table`")
                }
            }
        } catch {
            return fail(code(error), describe(error, table: config.table), hint: hint(error, config: config))
        }
        do {
            // As for a log file (`FileLogSummary.maximumGroups`): names unique to each row would make
            // a summary of gigabytes. Counted in the database, before any group is read.
            let distinct = ["count(DISTINCT (coalesce(r.version, ''), coalesce(r.provider, '')))", "count(DISTINCT r.day)",
                            // Rows with no experiment are in no arm (a NULL pair counted as one group too many).
                            "count(DISTINCT CASE WHEN r.experiment IS NOT NULL THEN (r.experiment, coalesce(r.arm, '')) END)"]
                + (preset.hasNodesAndBlocks ? ["count(DISTINCT r.node)", "count(DISTINCT r.block)"] : [])
            let counted = try connection.query("SELECT \(distinct.joined(separator: ", ")) FROM (\(preset.select)) r")
            let groups = counted.first?.reduce(0) { $0 + Self.int($1) } ?? 0
            if groups > FileLogSummary.maximumGroups {
                return fail("log-too-many-groups", "\(groups) distinct groups (version × provider, node, block, day, experiment arm), more than \(FileLogSummary.maximumGroups)",
                            hint: "check that version, node, block and experiment hold names shared by many rows, not ids unique to each; or expose fewer rows in a view named in `table`")
            }
            for grouping in Grouping.all(preset) {
                let rows = try connection.query(grouping.sql(preset), [String(LatencySketch.logGamma)])
                result.rows[grouping.name] = rows.count
                grouping.add(rows, to: &result.summary)
            }
            let armVersions = try connection.query("""
                SELECT r.experiment, coalesce(r.arm, ''), coalesce(r.version, ''), count(*)
                FROM (\(preset.select)) r WHERE r.experiment IS NOT NULL GROUP BY 1, 2, 3
                """)
            result.rows["armVersions"] = armVersions.count
            for row in armVersions {
                let arm = ExperimentArm(experiment: (row[0] ?? "").canonicalName, arm: (row[1] ?? "").canonicalName)
                result.summary.armVersions[arm, default: [:]][(row[2] ?? "").canonicalName, default: 0] += int(row[3])
            }
            let unfinished = try connection.query(preset.unfinished)
            result.rows["unfinished"] = unfinished.count
            for row in unfinished {
                if let status = row[0] { result.unfinished[status, default: 0] += int(row[1]) } else { result.unknownStatus += int(row[1]) }
            }
            if result.unknownStatus > 0 {
                let unknown = try connection.query(preset.unknownStatuses)
                result.rows["unknownStatuses"] = unknown.count
                result.unknownStatuses = unknown.map { (status: $0[0], count: int($0[1])) }
            }
        } catch {
            return fail(code(error), describe(error, table: config.table), hint: hint(error, config: config))
        }
        result.summary.records = result.summary.cells.values.reduce(0) { $0 + $1.total }
        if !result.unfinished.isEmpty {
            let total = result.unfinished.values.reduce(0, +)
            let counts = result.unfinished.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            result.diagnostics.append(.info("log-unfinished", "\(section): \(total) generation\(total == 1 ? " is" : "s are") not finished (\(counts)): not counted",
                                            at: location, hint: "only completed (success), failed and cancelled generations are counted"))
        }
        if result.unknownStatus > 0 {
            result.diagnostics.append(unknownStatusDiagnostic(result, preset: preset, at: location))
        }
        return result
    }

    /// One warning for all the rows whose status is unknown, as a log file's line with one is `log-malformed`.
    private static func unknownStatusDiagnostic(_ result: DatabaseLogs, preset: DatabaseLogPreset, at location: SourceLocation) -> Diagnostic {
        let total = result.unknownStatus
        var counts = result.unknownStatuses.prefix(5).map { item in
            // Escaped (a line break would break the one-line format) and cut, as a log file's values are quoted.
            "\(item.count) " + (item.status.map { status in "`\(String(status.prefix(40)).debugDescription.dropFirst().dropLast())\(status.count > 40 ? "…" : "")`" } ?? "null")
        }
        if result.unknownStatuses.count > 5 { counts.append("others") }
        func list(_ names: [String]) -> String { names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "") }
        return .warning(
            "log-malformed",
            "\(result.section): \(total) generation\(total == 1 ? " has" : "s have") an unknown status (\(counts.joined(separator: ", "))): left out of the analytics",
            at: location,
            hint: "the `\(preset.name)` preset counts \(list(preset.countedStatuses)) and leaves \(list(DatabaseLogPreset.unfinishedStatuses)) out as unfinished; "
                + "correct the status, or map it in a view named in `table`")
    }

    private static func code(_ error: PostgresError) -> String {
        if error.kind == .connection { return "log-db-unavailable" }
        if error.isTimeout { return "log-db-timeout" }
        switch error.sqlState {
        case "42P01": return "log-db-table"
        case "42703": return "log-db-column"
        case "42804", "42883", "22P02", "22003", "42846": return "log-db-type"
        default: return "log-db-query"
        }
    }

    private static func describe(_ error: PostgresError, table: String) -> String {
        if error.isTimeout { return "the aggregate query on `\(table)` ran out of time (statement_timeout): \(error.message)" }
        if error.kind == .connection { return "the connection failed: \(error.message)" }
        return "the aggregate query on `\(table)` failed (SQLSTATE \(error.sqlState)): \(error.message)"
    }

    private static func hint(_ error: PostgresError, config: LogDatabaseConfig) -> String {
        if error.isTimeout { return "raise `timeoutSeconds` (now \(config.timeoutSeconds)), or index the columns the preset groups by" }
        if error.kind == .connection { return "check that the server runs and stays reachable" }
        return "check that `\(config.table)` has the columns of the `\(config.preset)` preset with the types the README lists"
    }

    static func int(_ text: String?) -> Int { text.flatMap { Int($0) } ?? 0 }
    static func double(_ text: String?) -> Double { text.flatMap { Double($0) } ?? 0 }
}

/// One grouping of the report and its aggregate query: grouped by its keys, the error code and the
/// latency bucket, so each row is one (group, error, bucket) and rows merge into the group's `Aggregate`.
struct Grouping {
    let name: String
    /// SQL expressions over the normalised generations `r`.
    let keys: [String]
    let filter: String?
    let store: (inout LogSummary, [String], Aggregate) -> Void

    static func all(_ preset: DatabaseLogPreset) -> [Grouping] {
        var groupings = [
            Grouping(name: "cells", keys: ["coalesce(r.version, '')", "coalesce(r.provider, '')"], filter: nil) { summary, keys, aggregate in
                summary.cells[VersionProvider(version: keys[0], provider: keys[1]), default: Aggregate()].merge(aggregate)
            },
            Grouping(name: "days", keys: ["r.day"], filter: "r.day IS NOT NULL") { summary, keys, aggregate in
                summary.days[keys[0], default: Aggregate()].merge(aggregate)
            },
            Grouping(name: "arms", keys: ["r.experiment", "coalesce(r.arm, '')"], filter: "r.experiment IS NOT NULL") { summary, keys, aggregate in
                summary.arms[ExperimentArm(experiment: keys[0], arm: keys[1]), default: Aggregate()].merge(aggregate)
            },
            Grouping(name: "inline", keys: [], filter: "r.inline") { summary, _, aggregate in summary.inline.merge(aggregate) },
        ]
        if preset.hasNodesAndBlocks {
            groupings.append(Grouping(name: "nodes", keys: ["r.node"], filter: "r.node IS NOT NULL") { summary, keys, aggregate in
                summary.nodes[keys[0], default: Aggregate()].merge(aggregate)
            })
            groupings.append(Grouping(name: "blocks", keys: ["r.block"], filter: "r.block IS NOT NULL") { summary, keys, aggregate in
                summary.blocks[keys[0], default: Aggregate()].merge(aggregate)
            })
        }
        return groupings
    }

    /// `$1` is ln γ of the latency sketch, passed as text so the database divides by the same double.
    /// Latency buckets are `LatencySketch.index(of:)`: 0 at or below 1 ms, else ⌈ln(v) / ln γ⌉.
    /// Cost, rating and latency micro-units are `FixedPointMoments.units(_:)`: the value × 10⁶ rounded half
    /// away from zero; their sums (and sums of squares) are numeric, so exact, and read as 128-bit integers.
    func sql(_ preset: DatabaseLogPreset) -> String {
        let keyColumns = keys.enumerated().map { "\($0.element) AS k\($0.offset)" }
        let keyNames = keys.indices.map { "e.k\($0)" }
        let inner = (keyColumns + [
            "NULLIF(r.error, '') AS error", "r.status",
            // The bounds a log file's values get (`LogField.largest`); NaN sorts above every number
            // in PostgreSQL, so the upper bounds leave NaN and infinities out too.
            "CASE WHEN r.cost >= 0 AND r.cost <= 1000000000 THEN floor(r.cost * 1000000 + 0.5)::bigint END AS micros",
            "CASE WHEN r.rating >= -1000000 AND r.rating <= 1000000 THEN (sign(r.rating) * floor(abs(r.rating) * 1000000 + 0.5))::bigint END AS rating",
            "CASE WHEN r.status = 'success' AND r.latency >= 0 AND r.latency <= 2592000000 THEN r.latency END AS latency",
            "CASE WHEN r.status = 'success' AND r.latency >= 0 AND r.latency <= 2592000000 THEN floor(r.latency * 1000000 + 0.5)::bigint END AS latency_units",
            "CASE WHEN r.status = 'success' AND r.latency >= 0 AND r.latency <= 2592000000 THEN (CASE WHEN r.latency <= 1 THEN 0 ELSE ceil(ln(r.latency) / $1::float8) END)::int END AS bucket",
            "r.day",
        ]).joined(separator: ", ")
        let outer = (keyNames + [
            "e.error", "e.bucket",
            "sum(CASE WHEN e.status = 'success' THEN 1 ELSE 0 END)", "sum(CASE WHEN e.status = 'failed' THEN 1 ELSE 0 END)",
            "sum(CASE WHEN e.status = 'cancelled' THEN 1 ELSE 0 END)",
            "count(e.micros)", "sum(e.micros)::text", "sum(e.micros::numeric * e.micros)::text",
            "count(e.rating)", "sum(e.rating)::text", "sum(e.rating::numeric * e.rating)::text",
            "count(e.latency)", "sum(e.latency_units)::text", "min(e.latency)", "max(e.latency)",
            "min(e.day)", "max(e.day)",
        ]).joined(separator: ", ")
        return """
            SELECT \(outer)
            FROM (SELECT \(inner) FROM (\(preset.select)) r\(filter.map { " WHERE \($0)" } ?? "")) e
            GROUP BY \((keyNames + ["e.error", "e.bucket"]).joined(separator: ", "))
            """
    }

    /// Fixed-point moments from a row's count, sum and sum of squares (numeric text), exact; a sum beyond
    /// 128 bits saturates (a sum of squares so large has no variance), never traps.
    private func moments(_ count: String?, _ sum: String?, _ squares: String?) -> FixedPointMoments {
        func exact(_ text: String?) -> Int128 {
            guard let text else { return 0 }
            return Int128(text) ?? (text.hasPrefix("-") ? .min : .max)
        }
        return FixedPointMoments(count: DatabaseLogSource.int(count), sum: exact(sum), sumOfSquares: exact(squares)) ?? FixedPointMoments()
    }

    /// Adds each (group, error, bucket) row to its group.
    func add(_ rows: [[String?]], to summary: inout LogSummary) {
        let int = DatabaseLogSource.int, double = DatabaseLogSource.double
        for row in rows {
            let keyValues = row.prefix(keys.count).map { ($0 ?? "").canonicalName }
            var values = Array(row.dropFirst(keys.count))
            if values.count < 20 { values += Array(repeating: nil, count: 20 - values.count) }
            var aggregate = Aggregate()
            aggregate.success = int(values[2])
            aggregate.failed = int(values[3])
            aggregate.cancelled = int(values[4])
            if let error = values[0], aggregate.failed > 0 { aggregate.errors[error.canonicalName] = aggregate.failed }
            aggregate.cost = moments(values[5], values[6], values[7])
            aggregate.rating = moments(values[8], values[9], values[10])
            let latencies = int(values[11])
            if let bucket = values[1].flatMap({ Int32($0) }), latencies > 0,
               let sketch = LatencySketch(offset: bucket, counts: [UInt32(clamping: latencies)], sum: values[12].flatMap { Int128($0) } ?? .max,
                                          minimum: double(values[13]), maximum: double(values[14])) {
                aggregate.latency = sketch
            }
            aggregate.firstDay = values[15] ?? ""
            aggregate.lastDay = values[16] ?? ""
            store(&summary, keyValues, aggregate)
        }
    }
}

extension LogIngest {
    /// These files' logs and the database's, merged into one summary (the database has no files or lines).
    public func merging(_ database: DatabaseLogs) -> LogIngest {
        guard database.location != nil else { return self }
        var merged = summary
        merged.merge(database.summary)
        var ingest = LogIngest(files: files, summary: merged, diagnostics: diagnostics + database.diagnostics, database: database)
        ingest.notes = notes
        return ingest
    }
}
