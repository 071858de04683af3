import PromptCatalog

/// How a database lays out its generations: the tables and columns a preset reads, and one
/// SELECT that turns them into the log columns every grouping query aggregates
/// (`version`, `provider`, `status`, `error`, `latency`, `cost`, `rating`, `day`, `node`,
/// `block`, `experiment`, `arm`, `inline`). Plain joins and CASE only, so Citus runs it unchanged.
struct DatabaseLogPreset: Sendable {
    /// What a column must hold.
    enum ColumnType: Sendable {
        case text, number, timestamp, json, any

        var name: String {
            switch self {
            case .text: "text"
            case .number: "a number"
            case .timestamp: "a timestamp"
            case .json: "json or jsonb"
            case .any: "any type"
            }
        }

        /// Whether `information_schema.columns.data_type` fits.
        func accepts(_ dataType: String) -> Bool {
            switch self {
            case .text: ["text", "character varying", "character", "USER-DEFINED", "name", "uuid", "integer", "bigint", "smallint"].contains(dataType)
            case .number: ["double precision", "real", "numeric", "integer", "bigint", "smallint"].contains(dataType)
            case .timestamp: dataType.hasPrefix("timestamp")
            case .json: dataType == "json" || dataType == "jsonb"
            case .any: true
            }
        }
    }

    struct Column: Sendable {
        let table: String
        let name: String
        let type: ColumnType
    }

    let name: String
    /// Every column read, by table (the main table first).
    let columns: [Column]
    /// The normalised generations, aliased `r` by the grouping queries.
    let select: String
    /// Whether the preset has nodes and blocks (PixSim7 has neither column).
    let hasNodesAndBlocks: Bool
    /// The statuses counted (as written in the table), for the hint of an unknown one.
    let countedStatuses: [String]
    /// The generations not counted, by status: `pending`, `processing` and `paused` (not finished)
    /// and, as one row with a null status, how many have another status or none (unknown).
    let unfinished: String
    /// The most frequent unknown statuses (null for none) with their counts, six at most: read only
    /// when `unfinished` found some, and bounded however many distinct ones the table has.
    let unknownStatuses: String

    static let unfinishedStatuses = UnfinishedStatus.allCases.map(\.name)

    var tables: [String] {
        var seen: [String] = []
        for column in columns where !seen.contains(column.table) { seen.append(column.table) }
        return seen
    }

    init?(_ config: LogDatabaseConfig) {
        let table = Self.quoted(config.table)
        switch config.preset {
        case "pixsim7":
            name = "pixsim7"
            let main = config.table
            columns = [
                Column(table: main, name: "id", type: .any), Column(table: main, name: "provider_id", type: .text),
                Column(table: main, name: "prompt_version_id", type: .any), Column(table: main, name: "final_prompt", type: .text),
                Column(table: main, name: "prompt_config", type: .json), Column(table: main, name: "status", type: .text),
                Column(table: main, name: "error_code", type: .text), Column(table: main, name: "started_at", type: .timestamp),
                Column(table: main, name: "completed_at", type: .timestamp), Column(table: main, name: "actual_credits", type: .number),
                Column(table: main, name: "created_at", type: .timestamp),
                Column(table: "prompt_versions", name: "id", type: .any), Column(table: "prompt_versions", name: "family_id", type: .any),
                Column(table: "prompt_versions", name: "version_number", type: .number),
                Column(table: "prompt_families", name: "id", type: .any), Column(table: "prompt_families", name: "slug", type: .text),
                Column(table: "prompt_variant_feedback", name: "generation_id", type: .any),
                Column(table: "prompt_variant_feedback", name: "user_rating", type: .number),
            ]
            // Ratings are averaged per generation first (a plain GROUP BY, joined by generation id) so a
            // generation with two feedback rows is still one generation; versions and families are
            // taken once per id too (a table without a primary key, or a view, counted each generation twice).
            select = """
                SELECT f.slug || '@' || v.version_number::text AS version, g.provider_id::text AS provider,
                  CASE g.status::text WHEN 'completed' THEN 'success' WHEN 'failed' THEN 'failed' WHEN 'cancelled' THEN 'cancelled' END AS status,
                  g.error_code::text AS error,
                  CASE WHEN isfinite(g.completed_at) AND isfinite(g.started_at)
                    THEN \(Self.float8("EXTRACT(EPOCH FROM (g.completed_at - g.started_at)) * 1000")) END AS latency,
                  \(Self.float8("g.actual_credits")) AS cost, \(Self.float8("fb.rating")) AS rating, CASE WHEN g.created_at >= '0001-01-01' AND g.created_at < '10000-01-01' THEN to_char(g.created_at, 'YYYY-MM-DD') END AS day,
                  NULL::text AS node, NULL::text AS block,
                  \(Self.unlessBlank("g.prompt_config->>'experiment'")) AS experiment, \(Self.unlessBlank("g.prompt_config->>'arm'")) AS arm,
                  (g.prompt_version_id IS NULL AND coalesce(g.final_prompt, '') <> '') AS inline
                FROM \(table) g
                LEFT JOIN (SELECT id, min(family_id) AS family_id, min(version_number) AS version_number FROM prompt_versions GROUP BY id) v
                  ON v.id = g.prompt_version_id
                LEFT JOIN (SELECT id, min(slug) AS slug FROM prompt_families GROUP BY id) f ON f.id = v.family_id
                LEFT JOIN (SELECT generation_id, avg(\(Self.numeric("user_rating"))) AS rating FROM prompt_variant_feedback
                           WHERE user_rating IS NOT NULL GROUP BY generation_id) fb ON fb.generation_id = g.id
                WHERE g.status::text IN ('completed', 'failed', 'cancelled')
                """
            countedStatuses = ["completed", "failed", "cancelled"]
            hasNodesAndBlocks = false
        case "promptsite":
            name = "promptsite"
            let main = config.table
            columns = [("version", ColumnType.text), ("provider", .text), ("status", .text), ("error", .text), ("latency_ms", .number),
                       ("cost", .number), ("rating", .number), ("created_at", .timestamp), ("node", .text), ("block", .text),
                       ("experiment", .text), ("arm", .text), ("prompt", .text)]
                .map { Column(table: main, name: $0.0, type: $0.1) }
            select = """
                SELECT NULLIF(g.version::text, '') AS version, NULLIF(g.provider::text, '') AS provider,
                  CASE g.status::text WHEN 'success' THEN 'success' WHEN 'completed' THEN 'success' WHEN 'failed' THEN 'failed'
                    WHEN 'cancelled' THEN 'cancelled' END AS status,
                  g.error::text AS error, \(Self.float8("g.latency_ms")) AS latency, \(Self.float8("g.cost")) AS cost,
                  \(Self.float8("g.rating")) AS rating,
                  CASE WHEN g.created_at >= '0001-01-01' AND g.created_at < '10000-01-01' THEN to_char(g.created_at, 'YYYY-MM-DD') END AS day, NULLIF(g.node::text, '') AS node, NULLIF(g.block::text, '') AS block,
                  \(Self.unlessBlank("g.experiment::text")) AS experiment, \(Self.unlessBlank("g.arm::text")) AS arm,
                  (NULLIF(g.version::text, '') IS NULL AND NULLIF(g.block::text, '') IS NULL AND coalesce(g.prompt::text, '') <> '') AS inline
                FROM \(table) g
                WHERE g.status::text IN ('success', 'completed', 'failed', 'cancelled')
                """
            countedStatuses = ["success", "completed", "failed", "cancelled"]
            hasNodesAndBlocks = true
        default:
            return nil
        }
        let statuses = "(SELECT status::text AS status FROM \(table)) g"
        func list(_ names: [String]) -> String { names.map { "'\($0)'" }.joined(separator: ", ") }
        unfinished = """
            SELECT CASE WHEN g.status IN (\(list(Self.unfinishedStatuses))) THEN g.status END, count(*) FROM \(statuses)
            WHERE g.status IS NULL OR g.status NOT IN (\(list(countedStatuses))) GROUP BY 1
            """
        unknownStatuses = """
            SELECT g.status, count(*) FROM \(statuses) WHERE g.status IS NULL OR g.status NOT IN (\(list(countedStatuses + Self.unfinishedStatuses)))
            GROUP BY 1 ORDER BY 2 DESC, 1 NULLS FIRST LIMIT 6
            """
    }

    /// A number as float8, or NULL beyond what a double holds (or NaN, infinite) and 0 below what it
    /// holds: one `numeric` cost of 1e400 failed the whole query ("value out of range") and every
    /// database generation was lost, where a log file leaves out that one value.
    static func float8(_ expression: String) -> String {
        "CASE WHEN abs(\(expression)) < 1e300 THEN (CASE WHEN abs(\(expression)) < 1e-300 THEN 0 ELSE \(expression) END)::float8 END"
    }

    /// A number as numeric for sums and averages (a float8 average of two values near 1e308 overflows), NULL when not finite.
    static func numeric(_ expression: String) -> String {
        "CASE WHEN abs(\(expression)) < 1e300 THEN \(expression)::numeric END"
    }

    /// `expression`, or NULL when it is empty or only ASCII whitespace (`ByteString.isBlank`): a blank
    /// experiment is no experiment, a blank arm no arm, as in a log file.
    static func unlessBlank(_ expression: String) -> String {
        #"CASE WHEN \#(expression) ~ '^[ \t\n\r\v\f]*$' THEN NULL ELSE \#(expression) END"#
    }

    /// An identifier, quoted (`schema.table` quoted part by part).
    static func quoted(_ identifier: String) -> String {
        identifier.split(separator: ".", omittingEmptySubsequences: false)
            .map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            .joined(separator: ".")
    }
}
