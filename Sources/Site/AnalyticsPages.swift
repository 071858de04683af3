import Analytics
import PromptCatalog

/// Where each experiment's page lives: `analytics/experiments/<segment>/index.html`, the
/// segment made from the name (`SitePaths.pathSegment`), made unique for names that differ
/// only in case (`~d2`, `~d3`… never come out of `pathSegment`).
struct ExperimentAddresses: Encodable, Sendable {
    let byName: [String: String]

    init(_ names: [String]) {
        var taken = Set<String>()
        var byName: [String: String] = [:]
        for name in names where byName[name] == nil {
            let base = SitePaths.pathSegment(name)
            var segment = base, number = 2
            while !taken.insert(segment.lowercased()).inserted {
                segment = base + "~d\(number)"
                number += 1
            }
            byName[name] = SitePaths.experiment(segment: segment)
        }
        self.byName = byName
    }

    init(_ report: AnalyticsReport) { self.init(report.experiments.map(\.name)) }
}

// MARK: - Pages

extension PagePlanner {
    func analyticsPages() -> [PlannedPage] {
        let addresses = ExperimentAddresses(analytics)
        var pages = [overviewPage(addresses), providerAnalyticsPage(), costPage(), experimentsPage(addresses), nodesPage()]
        pages += analytics.experiments.map { experimentPage($0, addresses: addresses) }
        return pages
    }

    private func frame(_ path: String, current: String) -> AnalyticsFrame {
        let sections = [("Overview", SitePaths.analytics), ("Providers", SitePaths.analyticsProviders), ("Cost", SitePaths.analyticsCost),
                        ("Experiments", SitePaths.experiments), ("Nodes, blocks and days", SitePaths.analyticsNodes),
                        ("Suggestions", SitePaths.suggestions)]
        return AnalyticsFrame(
            links: sections.map { SectionLink(text: $0.0, url: SitePaths.link(from: path, to: $0.1), current: $0.1 == current) },
            hasLogs: !analytics.files.isEmpty, hasGenerations: analytics.overall.generations > 0,
            confidence: MetricFormat.confidence(analytics.confidence), minSamples: analytics.minSamples,
            apiURL: SitePaths.link(from: path, to: SitePaths.analyticsAPI("overview")))
    }

    private func overviewPage(_ addresses: ExperimentAddresses) -> PlannedPage {
        let path = SitePaths.analytics
        let overall = analytics.overall
        let days = analytics.days
        var period: String?
        if let first = days.first?.name, let last = days.last?.name {
            period = first == last ? first : "\(first) to \(last) (\(MetricFormat.counted(days.count, "day")))"
        }
        let total = overall.generations
        let model = AnalyticsOverviewPage(
            page: PageFrame(path: path, title: "Analytics", section: "analytics", site: site),
            analytics: frame(path, current: path),
            totals: metricsView("All generations", overall), period: period,
            volumeChartHTML: AnalyticsCharts.volume(days), rateChartHTML: AnalyticsCharts.rate(days, confidence: analytics.confidence),
            costChartHTML: AnalyticsCharts.cost(days),
            errors: analytics.errors.map {
                ErrorCountRow(code: $0.code, count: MetricFormat.count($0.count),
                              share: MetricFormat.percent(total == 0 ? nil : Double($0.count) / Double(total)))
            },
            top: analytics.topPerformers.prefix(10).enumerated().map { index, version in
                let metrics = version.metrics
                return TopPerformerRow(rank: index + 1, version: version.key,
                                       url: SitePaths.link(from: path, to: SitePaths.version(version.family, version.number)),
                                       rate: MetricFormat.percent(metrics.successRate), interval: MetricFormat.interval(metrics.successInterval),
                                       lowerBound: MetricFormat.percent(metrics.successInterval?.lower),
                                       decided: MetricFormat.count(metrics.aggregate.decided), generations: MetricFormat.count(metrics.generations))
            },
            limitErrors: limitErrorsView(from: path),
            unknownVersions: analytics.unknownVersions.map { metricsView($0.name, $0.metrics) },
            inline: MetricFormat.counted(analytics.inline.generations, "generation"), hasInline: analytics.inline.generations > 0,
            // How each file was read (cache, tail, full) is on the terminal, not here: a rebuild publishes the same page.
            files: analytics.files.map { file in
                LogFileRow(path: file.path, lines: MetricFormat.count(file.summary.lines),
                           records: MetricFormat.count(file.summary.summary.records), malformed: MetricFormat.count(file.summary.malformed),
                           hasMalformed: file.summary.malformed > 0)
            },
            experiments: analytics.experiments.map { experimentRow($0, addresses: addresses, from: path) })
        return PlannedPage(path: path, template: "analytics", model: model)
    }

    private func limitErrorsView(from path: String) -> LimitErrorsView {
        let limit = analytics.limitErrors
        return LimitErrorsView(
            total: MetricFormat.count(limit.total), caught: MetricFormat.count(limit.caught), share: MetricFormat.percent(limit.share),
            goal: "95%", meetsGoal: (limit.share ?? 1) >= 0.95, hasFailures: limit.total > 0,
            pairs: limit.pairs.map { pair in
                LimitErrorPairRow(
                    version: pair.version, versionURL: versionURL(pair.version, from: path) ?? "",
                    provider: pair.provider,
                    providerURL: catalog.provider(pair.provider).map { SitePaths.link(from: path, to: SitePaths.provider($0.id)) },
                    failures: MetricFormat.count(pair.failures), exampleLength: MetricFormat.count(pair.exampleLength),
                    worstCase: pair.worstCaseBounded ? MetricFormat.count(pair.worstCase) : "≥ \(MetricFormat.count(pair.worstCase)) (unbounded)",
                    limit: pair.limit.map(MetricFormat.count) ?? "none", caught: pair.caught)
            },
            unattributed: MetricFormat.counted(limit.unattributed, "failure"), hasUnattributed: limit.unattributed > 0)
    }

    private func providerAnalyticsPage() -> PlannedPage {
        let path = SitePaths.analyticsProviders
        let rows = analytics.providers.map { provider in
            metricsView(provider.name, provider.metrics,
                        url: catalog.provider(provider.name).map { SitePaths.link(from: path, to: SitePaths.provider($0.id)) })
        }
        let chart = AnalyticsCharts.rates(analytics.providers.map { provider in
            (provider.name, provider.metrics, catalog.provider(provider.name).map { SitePaths.link(from: path, to: SitePaths.provider($0.id)) })
        },
                                          title: "Success rate by provider with \(MetricFormat.confidence(analytics.confidence)) intervals")
        let model = ProviderAnalyticsPage(page: PageFrame(path: path, title: "Providers · Analytics", section: "analytics", site: site),
                                          analytics: frame(path, current: path), providers: rows, chartHTML: chart)
        return PlannedPage(path: path, template: "analytics-providers", model: model)
    }

    private func costPage() -> PlannedPage {
        let path = SitePaths.analyticsCost
        let totalMicros = analytics.overall.aggregate.costMicros
        func row(_ name: String, _ metrics: Metrics, url: String?) -> CostRow {
            let aggregate = metrics.aggregate
            return CostRow(name: name, url: url, generations: MetricFormat.count(aggregate.total),
                           total: MetricFormat.cost(aggregate.costCount == 0 ? nil : metrics.totalCost),
                           share: MetricFormat.percent(totalMicros == 0 ? nil : Double(aggregate.costMicros) / Double(totalMicros)),
                           perGeneration: MetricFormat.cost(metrics.costPerGeneration), perSuccess: MetricFormat.cost(metrics.costPerSuccess))
        }
        let byCost = { (a: Metrics, b: Metrics) in a.aggregate.costMicros > b.aggregate.costMicros }
        let titles = Dictionary(catalog.families.map { ($0.slug, $0.title) }, uniquingKeysWith: { first, _ in first })
        let versions = analytics.families.flatMap(\.versions)
            .sorted { byCost($0.metrics, $1.metrics) || ($0.metrics.aggregate.costMicros == $1.metrics.aggregate.costMicros && $0.key < $1.key) }
            .prefix(20)
        let model = CostPage(
            page: PageFrame(path: path, title: "Cost · Analytics", section: "analytics", site: site),
            analytics: frame(path, current: path), totals: metricsView("All generations", analytics.overall),
            chartHTML: AnalyticsCharts.cost(analytics.days),
            providers: analytics.providers.sorted { byCost($0.metrics, $1.metrics) }.map { provider in
                row(provider.name, provider.metrics,
                    url: catalog.provider(provider.name).map { SitePaths.link(from: path, to: SitePaths.provider($0.id)) })
            },
            families: analytics.families.sorted { byCost($0.metrics, $1.metrics) }.map { family in
                row(titles[family.slug] ?? family.slug, family.metrics, url: SitePaths.link(from: path, to: SitePaths.family(family.slug)))
            },
            versions: versions.map { row($0.key, $0.metrics, url: SitePaths.link(from: path, to: SitePaths.version($0.family, $0.number))) })
        return PlannedPage(path: path, template: "analytics-cost", model: model)
    }

    private func experimentsPage(_ addresses: ExperimentAddresses) -> PlannedPage {
        let path = SitePaths.experiments
        let model = ExperimentsPage(page: PageFrame(path: path, title: "Experiments · Analytics", section: "analytics", site: site),
                                    analytics: frame(path, current: path),
                                    experiments: analytics.experiments.map { experimentRow($0, addresses: addresses, from: path) })
        return PlannedPage(path: path, template: "experiments", model: model)
    }

    private func experimentRow(_ experiment: Experiment, addresses: ExperimentAddresses, from path: String) -> ExperimentRow {
        let verdict = ExperimentWording.verdict(experiment, minSamples: analytics.minSamples, confidence: analytics.confidence)
        return ExperimentRow(name: experiment.name, url: SitePaths.link(from: path, to: addresses.byName[experiment.name] ?? SitePaths.experiments),
                             arms: experiment.arms.count,
                             generations: MetricFormat.count(experiment.arms.reduce(0) { $0 + $1.metrics.generations }),
                             verdict: verdict.text, verdictClass: verdict.kind)
    }

    private func experimentPage(_ experiment: Experiment, addresses: ExperimentAddresses) -> PlannedPage {
        let path = addresses.byName[experiment.name] ?? SitePaths.experiments
        let verdict = ExperimentWording.verdict(experiment, minSamples: analytics.minSamples, confidence: analytics.confidence)
        let arms = experiment.arms.map { arm -> ArmRow in
            let test = arm.successTest
            let comparison = ExperimentWording.comparison(arm.comparison)
            return ArmRow(
                name: arm.name, isControl: arm.comparison == .control,
                controlBadge: arm.comparison == .control && arm.name != "control", generations: MetricFormat.count(arm.metrics.generations),
                decided: MetricFormat.count(arm.metrics.aggregate.decided), rate: MetricFormat.percent(arm.metrics.successRate),
                interval: MetricFormat.interval(arm.metrics.successInterval),
                lift: test.map { MetricFormat.points($0.lift) } ?? "", liftInterval: test.map { MetricFormat.pointsInterval($0.liftInterval) } ?? "",
                pValue: test.map { MetricFormat.pValue($0.pValue) } ?? "", comparison: comparison.text, comparisonClass: comparison.kind,
                rating: MetricFormat.rating(arm.metrics.ratingMean), costPerSuccess: MetricFormat.cost(arm.metrics.costPerSuccess),
                versions: arm.versions.map { item in
                    ArmVersionLink(text: item.version, url: versionURL(item.version, from: path), records: MetricFormat.count(item.records))
                })
        }
        func welch(_ arm: ExperimentArmResult, _ test: WelchTest?, format: (Double) -> String, signed: (Double) -> String) -> WelchRow? {
            test.map { test in
                WelchRow(arm: arm.name, controlMean: format(test.controlMean), armMean: format(test.treatmentMean),
                         difference: signed(test.difference),
                         interval: signed(test.differenceInterval.lower) + " to " + signed(test.differenceInterval.upper),
                         pValue: MetricFormat.pValue(test.pValue), significant: test.pValue < Experiment.alpha)
            }
        }
        let signedRating = { (value: Double) in MetricFormat.signed(value, decimals: 2) }
        let chart = AnalyticsCharts.rates(experiment.arms.map {
            ($0.comparison == .control && $0.name != "control" ? "\($0.name) (control)" : $0.name, $0.metrics, nil)
        },
                                          title: "Success rate by arm of \(experiment.name) with \(MetricFormat.confidence(analytics.confidence)) intervals")
        let model = ExperimentPage(
            page: PageFrame(path: path, title: "\(experiment.name) · Experiments", section: "analytics", site: site),
            analytics: frame(path, current: SitePaths.experiments), name: experiment.name, verdict: verdict.text, verdictClass: verdict.kind,
            control: experiment.control.name, arms: arms,
            ratingTests: experiment.treatments.compactMap { welch($0, $0.ratingTest, format: MetricFormat.rating, signed: signedRating) },
            costTests: experiment.treatments.compactMap { welch($0, $0.costTest, format: { MetricFormat.cost($0) }, signed: MetricFormat.signedCost) },
            chartHTML: chart, indexURL: SitePaths.link(from: path, to: SitePaths.experiments))
        return PlannedPage(path: path, template: "experiment", model: model)
    }

    private func nodesPage() -> PlannedPage {
        let path = SitePaths.analyticsNodes
        let blocks = BlockAddresses(catalog.blocks)
        let model = NodesPage(
            page: PageFrame(path: path, title: "Nodes, blocks and days · Analytics", section: "analytics", site: site),
            analytics: frame(path, current: path),
            nodes: analytics.nodes.map { metricsView($0.name, $0.metrics) },
            blocks: analytics.blocks.map { block in
                metricsView(block.name, block.metrics, url: blocks.byID[block.name].map { SitePaths.link(from: path, to: $0) })
            },
            days: analytics.days.map { metricsView($0.name, $0.metrics) })
        return PlannedPage(path: path, template: "analytics-nodes", model: model)
    }

    // MARK: Metrics on other pages

    /// The family page's metrics; nil when no version of the family has generations.
    func familyMetrics(_ family: PromptFamily, from path: String) -> (view: FamilyMetricsView, versions: [Int: MetricsView])? {
        guard let report = familyAnalytics[family.slug] else { return nil }
        var rows: [Int: MetricsView] = [:]
        for version in report.versions {
            rows[version.number] = metricsView("v\(version.number)", version.metrics, url: "v\(version.number)/index.html")
        }
        let chart = AnalyticsCharts.rates(report.versions.map { ("v\($0.number)", $0.metrics, "v\($0.number)/index.html") },
                                          title: "Success rate by version of \(family.title) with \(MetricFormat.confidence(analytics.confidence)) intervals")
        let view = FamilyMetricsView(totals: metricsView("All versions", report.metrics),
                                     versions: report.versions.map { rows[$0.number]! }, chartHTML: chart,
                                     confidence: MetricFormat.confidence(analytics.confidence),
                                     apiURL: SitePaths.link(from: path, to: SitePaths.analyticsAPI("versions")))
        return (view, rows)
    }

    /// The version page's metrics; nil when the version has no generations.
    func versionMetrics(_ version: PromptVersion, in family: PromptFamily, from path: String) -> VersionMetricsView? {
        guard let report = analytics.version(family.slug, version.number) else { return nil }
        let parent = version.parent?.value
        var comparison: String?
        var kind = "none"
        if let parent, parent != version.number {
            if report.parent == nil {
                comparison = "Parent v\(parent) has no generations logged: no comparison."
            } else {
                let words = ExperimentWording.comparison(report.parentComparison ?? .noSignificantDifference)
                kind = words.kind
                var text = "vs parent v\(parent): "
                if let test = report.parentTest {
                    text += "\(MetricFormat.points(test.lift)) (\(MetricFormat.confidence(analytics.confidence)) CI "
                        + "\(MetricFormat.pointsInterval(test.liftInterval))), \(MetricFormat.pValue(test.pValue)), "
                }
                switch report.parentComparison {
                case .better: text += "better"
                case .worse: text += "worse"
                case .tooFewSamples(let needed): text += "too few samples (each needs \(needed) decided generations)"
                default: text += "no significant difference"
                }
                comparison = text
            }
        }
        return VersionMetricsView(
            overall: metricsView("All providers", report.metrics),
            providers: report.providers.map { provider in
                metricsView(provider.name, provider.metrics,
                            url: catalog.provider(provider.name).map { SitePaths.link(from: path, to: SitePaths.provider($0.id)) })
            },
            parentComparison: comparison, parentClass: kind, confidence: MetricFormat.confidence(analytics.confidence),
            apiURL: SitePaths.link(from: path, to: SitePaths.analyticsAPI("versions")))
    }

    func dashboardAnalytics(from path: String) -> DashboardAnalytics {
        let addresses = ExperimentAddresses(analytics)
        let overall = analytics.overall
        return DashboardAnalytics(
            url: SitePaths.link(from: path, to: SitePaths.analytics), hasGenerations: overall.generations > 0,
            generations: MetricFormat.count(overall.generations), rate: MetricFormat.percent(overall.successRate),
            interval: MetricFormat.interval(overall.successInterval),
            totalCost: MetricFormat.cost(overall.aggregate.costCount == 0 ? nil : overall.totalCost),
            experiments: analytics.experiments.map { experimentRow($0, addresses: addresses, from: path) })
    }

    /// A table row of one group's numbers.
    func metricsView(_ name: String, _ metrics: Metrics, url: String? = nil) -> MetricsView {
        let aggregate = metrics.aggregate
        return MetricsView(
            name: name, url: url, linked: url != nil, generations: MetricFormat.count(aggregate.total), success: MetricFormat.count(aggregate.success),
            failed: MetricFormat.count(aggregate.failed), cancelled: MetricFormat.count(aggregate.cancelled),
            decided: MetricFormat.count(aggregate.decided), rate: MetricFormat.percent(metrics.successRate),
            interval: MetricFormat.interval(metrics.successInterval),
            p50: MetricFormat.latency(metrics.p50), p90: MetricFormat.latency(metrics.p90), p99: MetricFormat.latency(metrics.p99),
            totalCost: MetricFormat.cost(aggregate.costCount == 0 ? nil : metrics.totalCost),
            costPerGeneration: MetricFormat.cost(metrics.costPerGeneration), costPerSuccess: MetricFormat.cost(metrics.costPerSuccess),
            rating: MetricFormat.rating(metrics.ratingMean), ratingCount: MetricFormat.count(metrics.ratingCount),
            hasRatings: metrics.ratingCount > 0)
    }

    /// The page of a `<family>@<N>` written in the logs, when that version exists.
    private func versionURL(_ reference: String, from path: String) -> String? {
        guard let version = catalog.version(named: reference) else { return nil }
        return SitePaths.link(from: path, to: SitePaths.version(version.family, version.number))
    }
}

// MARK: - Words

/// Verdicts and comparisons in words (SPEC §3: a winner only at p < 0.05 with enough samples per arm).
public enum ExperimentWording {
    /// The sentence and a class: `winner`, `none` or `few`.
    public static func verdict(_ experiment: Experiment, minSamples: Int, confidence: Double) -> (text: String, kind: String) {
        let ci = MetricFormat.confidence(confidence) + " CI"
        func numbers(_ arm: ExperimentArmResult, _ test: TwoProportionTest) -> String {
            "\(MetricFormat.points(test.lift)) (\(ci) \(MetricFormat.pointsInterval(test.liftInterval))), \(MetricFormat.pValue(test.pValue))"
                + " with \(MetricFormat.count(arm.metrics.aggregate.decided)) and \(MetricFormat.count(experiment.control.metrics.aggregate.decided)) decided generations"
        }
        switch experiment.verdict {
        case .winner(let name) where name == experiment.control.name:
            // Every other arm is significantly worse: name the closest one.
            guard let arm = experiment.treatments.max(by: { ($0.successTest?.lift ?? 0) < ($1.successTest?.lift ?? 0) }),
                  let test = arm.successTest else { return ("\(name) wins", "winner") }
            let others = experiment.treatments.count == 1 ? "\(arm.name) is" : "every other arm is worse; the closest, \(arm.name), is"
            return ("\(name) (control) wins: \(others) \(numbers(arm, test))", "winner")
        case .winner(let name):
            guard let arm = experiment.treatments.first(where: { $0.name == name }), let test = arm.successTest else {
                return ("\(name) wins", "winner")
            }
            return ("\(name) wins: \(numbers(arm, test))", "winner")
        case .noWinner:
            let candidates = experiment.treatments.filter { $0.comparison == .noSignificantDifference && $0.successTest != nil }
            guard let arm = candidates.min(by: { $0.successTest!.pValue < $1.successTest!.pValue }), let test = arm.successTest else {
                if experiment.treatments.isEmpty { return ("No winner: \(experiment.control.name) is the only arm", "none") }
                return ("No winner", "none")
            }
            let which = experiment.treatments.count > 1 ? " (\(arm.name) vs \(experiment.control.name))" : ""
            return ("No winner: the difference of \(MetricFormat.points(test.lift))\(which) is not significant (\(MetricFormat.pValue(test.pValue)))", "none")
        case .tooFewSamples:
            let short = experiment.arms.filter { $0.metrics.aggregate.decided < minSamples }
                .map { "\($0.name) has \(MetricFormat.count($0.metrics.aggregate.decided))" }
            let detail = short.isEmpty ? "" : " (" + short.joined(separator: ", ") + ")"
            return ("Too few samples: each arm needs \(minSamples) decided generations\(detail)", "few")
        }
    }

    /// How an arm (or a version against its parent) compares, and a class for its badge.
    static func comparison(_ comparison: ArmComparison) -> (text: String, kind: String) {
        switch comparison {
        case .control: ("control", "control")
        case .better: ("better", "better")
        case .worse: ("worse", "worse")
        case .noSignificantDifference: ("no significant difference", "none")
        case .tooFewSamples(let needed): ("too few samples (needs \(needed) decided)", "few")
        }
    }
}

// MARK: - Charts of the report

/// The analytics charts, from the report's groups.
enum AnalyticsCharts {
    /// `2026-11-01` → `11-01` under the bars.
    private static func tick(_ day: String) -> String { day.count == 10 ? String(day.dropFirst(5)) : day }

    /// Generations per day, stacked success / failed / cancelled.
    static func volume(_ days: [NamedMetrics]) -> String {
        let bars = days.map { day -> Charts.Bar in
            let a = day.metrics.aggregate
            return Charts.Bar(tick: tick(day.name), values: [Double(a.success), Double(a.failed), Double(a.cancelled)],
                              tooltip: "\(day.name): \(MetricFormat.counted(a.total, "generation")) — \(MetricFormat.count(a.success)) success, "
                                  + "\(MetricFormat.count(a.failed)) failed, \(MetricFormat.count(a.cancelled)) cancelled")
        }
        return Charts.bars(bars, series: [Charts.Series(name: "success", key: "success"), Charts.Series(name: "failed", key: "failed"),
                                          Charts.Series(name: "cancelled", key: "cancelled")],
                           title: "Generations per day", axis: .count)
    }

    /// Success rate per day with its interval band.
    static func rate(_ days: [NamedMetrics], confidence: Double) -> String {
        let points = days.map { day -> Charts.BandPoint in
            let m = day.metrics
            let tooltip = m.successRate == nil ? "\(day.name): no decided generations"
                : "\(day.name): \(MetricFormat.rate(m.successRate, m.successInterval)), \(MetricFormat.count(m.aggregate.decided)) decided"
            return Charts.BandPoint(tick: tick(day.name), value: m.successRate, lower: m.successInterval?.lower,
                                    upper: m.successInterval?.upper, tooltip: tooltip)
        }
        return Charts.line(points, title: "Success rate per day with \(MetricFormat.confidence(confidence)) intervals", axis: .percent,
                           name: "success rate")
    }

    /// Cost per day.
    static func cost(_ days: [NamedMetrics]) -> String {
        let bars = days.map { day in
            Charts.Bar(tick: tick(day.name), values: [day.metrics.totalCost],
                       tooltip: "\(day.name): cost \(MetricFormat.cost(day.metrics.totalCost)) over \(MetricFormat.counted(day.metrics.generations, "generation"))")
        }
        return Charts.bars(bars, series: [Charts.Series(name: "cost", key: "cost")], title: "Cost per day", axis: .cost)
    }

    /// Success rates with interval whiskers, one row per group that has decided generations.
    static func rates(_ groups: [(name: String, metrics: Metrics, url: String?)], title: String) -> String {
        let rows = groups.compactMap { group -> Charts.IntervalRow? in
            guard let rate = group.metrics.successRate, let interval = group.metrics.successInterval else { return nil }
            let n = MetricFormat.count(group.metrics.aggregate.decided)
            return Charts.IntervalRow(label: group.name, url: group.url, value: rate, lower: interval.lower, upper: interval.upper,
                                      note: "\(MetricFormat.percent(rate)) · n = \(n)",
                                      tooltip: "\(group.name): \(MetricFormat.rate(rate, interval)), \(n) decided")
        }
        return Charts.intervals(rows, title: title, axis: .percent)
    }
}
