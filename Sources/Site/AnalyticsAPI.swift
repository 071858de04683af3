import Analytics
import Diagnostics
import PromptCatalog

/// `api/v1/analytics/*.json` (SPEC §3, §5): the report's numbers as numbers — counts,
/// rates and interval bounds as fractions (0.8, not "80.0%"), latency in milliseconds, cost
/// in the logs' currency, p-values and lifts — in a fixed key order, so two builds of the
/// same logs are byte-identical. `url` fields are paths from the site root.
extension MachineOutputs {
    /// Document name (`overview` for `api/v1/analytics/overview.json`) → document, in a fixed order.
    func analyticsDocuments() -> [(String, JSONValue)] {
        let experiments = ExperimentAddresses(analytics)
        return [
            ("overview", analyticsOverview(experiments)),
            ("families", familiesAnalytics()),
            ("versions", .object([("versions", .array(analytics.families.flatMap(\.versions).map(versionAnalytics)))])),
            ("providers", .object([("providers", .array(analytics.providers.map { provider in
                .object([("provider", .string(provider.name)), ("known", .bool(catalog.provider(provider.name) != nil)),
                         ("url", .optional(catalog.provider(provider.name).map { SitePaths.provider($0.id) })),
                         ("metrics", metricsJSON(provider.metrics))])
            }))])),
            ("nodes", .object([("nodes", .array(analytics.nodes.map { node in
                .object([("node", .string(node.name)), ("metrics", metricsJSON(node.metrics))])
            }))])),
            ("blocks", blocksAnalytics()),
            ("days", .object([("days", .array(analytics.days.map { day in
                .object([("day", .string(day.name)), ("metrics", metricsJSON(day.metrics))])
            }))])),
            ("experiments", .object([("experiments", .array(analytics.experiments.map { experimentJSON($0, addresses: experiments) }))])),
            ("top", topPerformers()),
            ("limit-errors", limitErrors()),
        ]
    }

    private func analyticsOverview(_ experiments: ExperimentAddresses) -> JSONValue {
        let limit = analytics.limitErrors
        return .object([
            ("confidence", .double(analytics.confidence)), ("min_samples", .int(analytics.minSamples)),
            ("metrics", metricsJSON(analytics.overall)),
            ("first_day", .optional(analytics.days.first?.name)), ("last_day", .optional(analytics.days.last?.name)),
            ("days", .int(analytics.days.count)),
            ("errors", .array(analytics.errors.map { .object([("code", .string($0.code)), ("count", .int($0.count))]) })),
            ("inline", metricsJSON(analytics.inline)),
            ("unknown_versions", .array(analytics.unknownVersions.map { unknown in
                .object([("version", .string(unknown.name)), ("metrics", metricsJSON(unknown.metrics))])
            })),
            ("limit_errors", .object([("total", .int(limit.total)), ("caught", .int(limit.caught)), ("share", number(limit.share)),
                                      ("goal", .double(0.95)), ("unattributed", .int(limit.unattributed))])),
            ("experiments", .array(analytics.experiments.map { experiment in
                .object([("name", .string(experiment.name)), ("verdict", verdictJSON(experiment)),
                         ("url", .string(experiments.byName[experiment.name] ?? SitePaths.experiments))])
            })),
            // How each file was read is printed on the terminal, not published: a rebuild gives the same document.
            ("files", .array(analytics.files.map { file in
                .object([
                    ("path", .string(file.path)), ("lines", .int(file.summary.lines)), ("records", .int(file.summary.summary.records)),
                    ("malformed", .int(file.summary.malformed)),
                    ("not_counted", .int(file.summary.unfinished.values.reduce(0, +))),
                ])
            })),
            ("documents", .array(["families", "versions", "providers", "nodes", "blocks", "days", "experiments", "top", "limit-errors"]
                .map { .string(SitePaths.analyticsAPI($0)) })),
        ])
    }

    private func familiesAnalytics() -> JSONValue {
        let titles = Dictionary(catalog.families.map { ($0.slug, $0.title) }, uniquingKeysWith: { first, _ in first })
        return .object([("families", .array(analytics.families.map { family in
            .object([
                ("slug", .string(family.slug)), ("title", .optional(titles[family.slug])),
                ("url", .string(SitePaths.family(family.slug))), ("metrics", metricsJSON(family.metrics)),
                ("versions", .array(family.versions.map { .int($0.number) })),
            ])
        }))])
    }

    private func versionAnalytics(_ version: VersionAnalytics) -> JSONValue {
        var parent = JSONValue.null
        if let parentNumber = version.parent {
            parent = .object([
                ("number", .int(parentNumber)),
                ("lift", number(version.parentTest?.lift)),
                ("lift_interval", interval(version.parentTest?.liftInterval)),
                ("z", number(version.parentTest?.z)),
                ("p_value", number(version.parentTest?.pValue)),
                ("comparison", .string(comparisonName(version.parentComparison ?? .noSignificantDifference))),
            ])
        }
        return .object([
            ("version", .string(version.key)), ("family", .string(version.family)), ("number", .int(version.number)),
            ("url", .string(SitePaths.version(version.family, version.number))),
            ("metrics", metricsJSON(version.metrics)),
            ("providers", .array(version.providers.map { provider in
                .object([("provider", .string(provider.name)), ("metrics", metricsJSON(provider.metrics))])
            })),
            ("parent", parent),
        ])
    }

    private func blocksAnalytics() -> JSONValue {
        let addresses = BlockAddresses(catalog.blocks)
        return .object([("blocks", .array(analytics.blocks.map { block in
            .object([("block", .string(block.name)), ("known", .bool(addresses.byID[block.name] != nil)),
                     ("url", .optional(addresses.byID[block.name])), ("metrics", metricsJSON(block.metrics))])
        }))])
    }

    private func experimentJSON(_ experiment: Experiment, addresses: ExperimentAddresses) -> JSONValue {
        .object([
            ("name", .string(experiment.name)), ("url", .string(addresses.byName[experiment.name] ?? SitePaths.experiments)),
            ("control", .string(experiment.control.name)), ("verdict", verdictJSON(experiment)),
            ("arms", .array(experiment.arms.map { arm in
                .object([
                    ("name", .string(arm.name)), ("control", .bool(arm.comparison == .control)),
                    ("enough_samples", .bool(arm.enoughSamples)), ("comparison", .string(comparisonName(arm.comparison))),
                    ("metrics", metricsJSON(arm.metrics)),
                    ("success_test", arm.successTest.map { test in
                        .object([("lift", .double(test.lift)), ("lift_interval", interval(test.liftInterval)),
                                 ("relative_lift", number(test.relativeLift)), ("z", .double(test.z)), ("p_value", .double(test.pValue))])
                    } ?? .null),
                    ("rating_test", welchJSON(arm.ratingTest)), ("cost_test", welchJSON(arm.costTest)),
                    ("versions", .array(arm.versions.map { item in
                        .object([("version", .string(item.version)), ("records", .int(item.records)),
                                 ("url", .optional(catalog.version(named: item.version).map { SitePaths.version($0.family, $0.number) }))])
                    })),
                ])
            })),
        ])
    }

    private func verdictJSON(_ experiment: Experiment) -> JSONValue {
        let words = ExperimentWording.verdict(experiment, minSamples: analytics.minSamples, confidence: analytics.confidence)
        let (kind, winner): (String, String?) = switch experiment.verdict {
        case .winner(let name): ("winner", name)
        case .noWinner: ("no_winner", nil)
        case .tooFewSamples: ("too_few_samples", nil)
        }
        return .object([("kind", .string(kind)), ("winner", .optional(winner)), ("text", .string(words.text))])
    }

    private func welchJSON(_ test: WelchTest?) -> JSONValue {
        guard let test else { return .null }
        return .object([
            ("control_mean", .double(test.controlMean)), ("treatment_mean", .double(test.treatmentMean)),
            ("difference", .double(test.difference)), ("difference_interval", interval(test.differenceInterval)),
            ("t", .double(test.t)), ("degrees_of_freedom", .double(test.degreesOfFreedom)), ("p_value", .double(test.pValue)),
        ])
    }

    private func topPerformers() -> JSONValue {
        .object([
            ("ranked_by", .string("lower bound of the Wilson interval")), ("min_samples", .int(analytics.minSamples)),
            ("confidence", .double(analytics.confidence)),
            ("versions", .array(analytics.topPerformers.enumerated().map { index, version in
                .object([
                    ("rank", .int(index + 1)), ("version", .string(version.key)),
                    ("url", .string(SitePaths.version(version.family, version.number))),
                    ("generations", .int(version.metrics.generations)), ("decided", .int(version.metrics.aggregate.decided)),
                    ("success_rate", number(version.metrics.successRate)), ("interval", interval(version.metrics.successInterval)),
                    ("lower_bound", number(version.metrics.successInterval?.lower)),
                ])
            })),
        ])
    }

    private func limitErrors() -> JSONValue {
        let limit = analytics.limitErrors
        return .object([
            ("code", .string(LimitErrors.code)), ("total", .int(limit.total)), ("caught", .int(limit.caught)),
            ("share", number(limit.share)), ("goal", .double(0.95)), ("meets_goal", .bool((limit.share ?? 1) >= 0.95)),
            ("unattributed", .int(limit.unattributed)),
            ("pairs", .array(limit.pairs.map { pair in
                .object([
                    ("version", .string(pair.version)), ("provider", .string(pair.provider)), ("failures", .int(pair.failures)),
                    ("caught", .bool(pair.caught)), ("example_length", .int(pair.exampleLength)),
                    ("worst_case", .int(pair.worstCase)), ("worst_case_bounded", .bool(pair.worstCaseBounded)),
                    ("limit", .optional(pair.limit)),
                    ("url", .optional(catalog.version(named: pair.version).map { SitePaths.version($0.family, $0.number) })),
                ])
            })),
        ])
    }

    /// One group's numbers.
    func metricsJSON(_ metrics: Metrics) -> JSONValue {
        let aggregate = metrics.aggregate
        let hasCost = aggregate.costCount > 0
        return .object([
            ("generations", .int(aggregate.total)), ("success", .int(aggregate.success)), ("failed", .int(aggregate.failed)),
            ("cancelled", .int(aggregate.cancelled)), ("decided", .int(aggregate.decided)),
            ("success_rate", number(metrics.successRate)), ("interval", interval(metrics.successInterval)),
            ("latency_ms", .object([("p50", number(metrics.p50)), ("p90", number(metrics.p90)), ("p99", number(metrics.p99)),
                                    ("mean", number(metrics.meanLatency))])),
            ("cost", .object([("total", hasCost ? .double(metrics.totalCost) : .null), ("per_generation", number(metrics.costPerGeneration)),
                              ("per_success", number(metrics.costPerSuccess)), ("records_with_cost", .int(aggregate.costCount))])),
            ("rating", .object([("mean", number(metrics.ratingMean)), ("count", .int(metrics.ratingCount))])),
            ("errors", .object(aggregate.errors.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.int($0.value)) })),
            ("first_day", aggregate.firstDay.isEmpty ? .null : .string(aggregate.firstDay)),
            ("last_day", aggregate.lastDay.isEmpty ? .null : .string(aggregate.lastDay)),
        ])
    }

    private func number(_ value: Double?) -> JSONValue { value.map(JSONValue.double) ?? .null }

    private func interval(_ interval: ConfidenceInterval?) -> JSONValue {
        guard let interval else { return .null }
        return .object([("lower", .double(interval.lower)), ("upper", .double(interval.upper))])
    }

    private func comparisonName(_ comparison: ArmComparison) -> String {
        switch comparison {
        case .control: "control"
        case .better: "better"
        case .worse: "worse"
        case .noSignificantDifference: "no_significant_difference"
        case .tooFewSamples: "too_few_samples"
        }
    }
}
