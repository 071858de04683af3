// View models of the analytics pages and of the metrics on family, version and dashboard
// pages (SPEC §3, §5). Numbers arrive formatted by `MetricFormat`; text fields are escaped
// by Mustache; fields named `...HTML` hold SVG the build made itself (already escaped).

/// One group's numbers as they read in a table row.
struct MetricsView: Encodable, Sendable {
    let name: String
    let url: String?
    /// `url` is set (a missing key would let Mustache find an outer `url`).
    let linked: Bool
    let generations: String
    let success: String
    let failed: String
    let cancelled: String
    let decided: String
    /// `80.0%`, and the interval `49.0–94.3%`; `—` without decided generations.
    let rate: String
    let interval: String
    let p50: String
    let p90: String
    let p99: String
    let totalCost: String
    let costPerGeneration: String
    let costPerSuccess: String
    let rating: String
    let ratingCount: String
    let hasRatings: Bool
}

/// A link in the analytics section's own navigation.
struct SectionLink: Encodable, Sendable {
    let text: String
    let url: String
    let current: Bool
}

/// What every analytics page shares: the section links, the no-logs note and the API.
struct AnalyticsFrame: Encodable, Sendable {
    let links: [SectionLink]
    /// Some log file was found (even if none of its lines was a record).
    let hasLogs: Bool
    let hasGenerations: Bool
    /// `95%`.
    let confidence: String
    let minSamples: Int
    let apiURL: String
}

struct AnalyticsOverviewPage: Encodable, Sendable {
    let page: PageFrame
    let analytics: AnalyticsFrame
    let totals: MetricsView
    /// `2026-09-01 to 2026-11-14 (75 days)`.
    let period: String?
    let volumeChartHTML: String
    let rateChartHTML: String
    let costChartHTML: String
    let errors: [ErrorCountRow]
    let top: [TopPerformerRow]
    let limitErrors: LimitErrorsView
    let unknownVersions: [MetricsView]
    /// `200 generations`.
    let inline: String
    let hasInline: Bool
    let files: [LogFileRow]
    let experiments: [ExperimentRow]
}

struct ErrorCountRow: Encodable, Sendable {
    let code: String
    let count: String
    /// Of all generations.
    let share: String
}

struct TopPerformerRow: Encodable, Sendable {
    let rank: Int
    let version: String
    let url: String
    let rate: String
    let interval: String
    /// The Wilson lower bound the ranking uses.
    let lowerBound: String
    let decided: String
    let generations: String
}

struct LimitErrorsView: Encodable, Sendable {
    let total: String
    let caught: String
    /// `95.6%`, or `—` without prompt_too_long failures.
    let share: String
    let goal: String
    let meetsGoal: Bool
    let hasFailures: Bool
    let pairs: [LimitErrorPairRow]
    let unattributed: String
    let hasUnattributed: Bool
}

struct LimitErrorPairRow: Encodable, Sendable {
    let version: String
    let versionURL: String
    let provider: String
    let providerURL: String?
    let failures: String
    let exampleLength: String
    let worstCase: String
    let limit: String
    let caught: Bool
}

struct LogFileRow: Encodable, Sendable {
    let path: String
    let lines: String
    let records: String
    let malformed: String
    let hasMalformed: Bool
}

struct ExperimentRow: Encodable, Sendable {
    let name: String
    let url: String
    let arms: Int
    let generations: String
    let verdict: String
    /// `winner`, `none` or `few`: the badge's class.
    let verdictClass: String
}

struct ProviderAnalyticsPage: Encodable, Sendable {
    let page: PageFrame
    let analytics: AnalyticsFrame
    let providers: [MetricsView]
    let chartHTML: String
}

struct CostPage: Encodable, Sendable {
    let page: PageFrame
    let analytics: AnalyticsFrame
    let totals: MetricsView
    let chartHTML: String
    let providers: [CostRow]
    let families: [CostRow]
    let versions: [CostRow]
}

struct CostRow: Encodable, Sendable {
    let name: String
    let url: String?
    let generations: String
    let total: String
    /// Of all cost.
    let share: String
    let perGeneration: String
    let perSuccess: String
}

struct ExperimentsPage: Encodable, Sendable {
    let page: PageFrame
    let analytics: AnalyticsFrame
    let experiments: [ExperimentRow]
}

struct ExperimentPage: Encodable, Sendable {
    let page: PageFrame
    let analytics: AnalyticsFrame
    let name: String
    let verdict: String
    let verdictClass: String
    let control: String
    let arms: [ArmRow]
    let ratingTests: [WelchRow]
    let costTests: [WelchRow]
    let chartHTML: String
    let indexURL: String
}

struct ArmRow: Encodable, Sendable {
    let name: String
    let isControl: Bool
    /// A `control` badge beside an arm whose name does not already say so.
    let controlBadge: Bool
    let generations: String
    let decided: String
    let rate: String
    let interval: String
    /// `+11.9 points`, `(+8.0 to +15.8)`; empty for the control.
    let lift: String
    let liftInterval: String
    let pValue: String
    let comparison: String
    let comparisonClass: String
    let rating: String
    let costPerSuccess: String
    let versions: [ArmVersionLink]
}

struct ArmVersionLink: Encodable, Sendable {
    let text: String
    let url: String?
    let records: String
}

/// Welch's t-test of one arm against the control, for rating or cost.
struct WelchRow: Encodable, Sendable {
    let arm: String
    let controlMean: String
    let armMean: String
    let difference: String
    let interval: String
    let pValue: String
    let significant: Bool
}

struct NodesPage: Encodable, Sendable {
    let page: PageFrame
    let analytics: AnalyticsFrame
    let nodes: [MetricsView]
    let blocks: [MetricsView]
    let days: [MetricsView]
}

/// The metrics on a family page: totals, one row per version, and the chart of rates by version.
struct FamilyMetricsView: Encodable, Sendable {
    let totals: MetricsView
    let versions: [MetricsView]
    let chartHTML: String
    let confidence: String
    let apiURL: String
}

/// The metrics section of a version page.
struct VersionMetricsView: Encodable, Sendable {
    let overall: MetricsView
    let providers: [MetricsView]
    /// `vs parent v2: +3.1 points (95% CI −1.0 to +7.2), p = 0.134 — no significant difference`.
    let parentComparison: String?
    let parentClass: String
    let confidence: String
    let apiURL: String
}

/// The analytics card on the dashboard.
struct DashboardAnalytics: Encodable, Sendable {
    let url: String
    let hasGenerations: Bool
    let generations: String
    let rate: String
    let interval: String
    let totalCost: String
    let experiments: [ExperimentRow]
}
