import PromptCatalog

/// One version's numbers, overall and per provider, and against its parent.
public struct VersionAnalytics: Sendable {
    public let family: String
    public let number: Int
    public let metrics: Metrics
    public let providers: [NamedMetrics]
    /// The parent's number when the parent has generations.
    public let parent: Int?
    /// Parent as control, this version as treatment.
    public let parentTest: TwoProportionTest?
    public let parentComparison: ArmComparison?

    public var key: String { "\(family)@\(number)" }
}

public struct FamilyAnalytics: Sendable {
    public let slug: String
    public let metrics: Metrics
    /// Versions with generations, by number.
    public let versions: [VersionAnalytics]
}

/// SPEC §3 "limit errors caught": of the `prompt_too_long` failures, how many were on a
/// version and provider whose length check (example or worst case against that
/// provider's limit) finds the prompt too long.
public struct LimitErrors: Sendable {
    public struct Pair: Sendable {
        public let version: String
        public let provider: String
        public let failures: Int
        public let caught: Bool
        public let exampleLength: Int
        public let worstCase: Int
        public let worstCaseBounded: Bool
        public let limit: Int?
    }

    public static let code = "prompt_too_long"
    /// Failures on a known version and provider, by pair.
    public let pairs: [Pair]
    /// Failures whose version or provider is missing or unknown.
    public let unattributed: Int

    public var total: Int { pairs.reduce(0) { $0 + $1.failures } }
    public var caught: Int { pairs.filter(\.caught).reduce(0) { $0 + $1.failures } }
    public var share: Double? { total == 0 ? nil : Double(caught) / Double(total) }
}

/// Everything the analytics pages and API show, computed once per build from the merged
/// log summary and the catalog.
public struct AnalyticsReport: Sendable {
    public let confidence: Double
    public let minSamples: Int
    public let overall: Metrics
    public let families: [FamilyAnalytics]
    public let providers: [NamedMetrics]
    public let nodes: [NamedMetrics]
    public let blocks: [NamedMetrics]
    /// Every day from the first to the last with records, gaps included (empty metrics).
    public let days: [NamedMetrics]
    public let experiments: [Experiment]
    /// Versions with at least `minSamples` decided generations, best Wilson lower bound first.
    public let topPerformers: [VersionAnalytics]
    public let limitErrors: LimitErrors
    /// `version` values that name no version in the catalog.
    public let unknownVersions: [NamedMetrics]
    public let inline: Metrics
    /// Records per error code, most frequent first.
    public let errors: [(code: String, count: Int)]
    public let files: [IngestedLogFile]

    private let versionIndex: [String: VersionAnalytics]

    public func version(_ family: String, _ number: Int) -> VersionAnalytics? { versionIndex["\(family)@\(number)"] }
    public func family(_ slug: String) -> FamilyAnalytics? { families.first { $0.slug == slug } }
    public var isEmpty: Bool { overall.generations == 0 && files.isEmpty }

    public init(_ ingest: LogIngest, catalog: Catalog, lengths: LengthTable? = nil, minSamples: Int, confidence: Double) {
        self.confidence = confidence
        self.minSamples = minSamples
        let summary = ingest.summary
        func metrics(_ aggregate: Aggregate) -> Metrics { Metrics(aggregate, confidence: confidence) }
        func named(_ groups: [String: Aggregate]) -> [NamedMetrics] {
            groups.keys.sorted().map { NamedMetrics(name: $0, metrics: metrics(groups[$0]!)) }
        }
        overall = metrics(summary.total)
        files = ingest.files
        inline = metrics(summary.inline)

        // Cells by version, split into known versions and unknown names.
        let known = catalog.versionsByReference()
        var byVersion: [String: [String: Aggregate]] = [:]
        var byProvider: [String: Aggregate] = [:]
        var unknown: [String: Aggregate] = [:]
        for (cell, aggregate) in summary.cells {
            if !cell.provider.isEmpty { byProvider[cell.provider, default: Aggregate()].merge(aggregate) }
            guard !cell.version.isEmpty else { continue }
            if known[cell.version] != nil {
                byVersion[cell.version, default: [:]][cell.provider, default: Aggregate()].merge(aggregate)
            } else {
                unknown[cell.version, default: Aggregate()].merge(aggregate)
            }
        }
        providers = named(byProvider)
        unknownVersions = named(unknown)
        nodes = named(summary.nodes)
        blocks = named(summary.blocks)
        days = Self.everyDay(summary.days).map { NamedMetrics(name: $0, metrics: metrics(summary.days[$0] ?? Aggregate())) }

        var families: [FamilyAnalytics] = []
        var index: [String: VersionAnalytics] = [:]
        for family in catalog.families {
            var totals: [Int: Aggregate] = [:]
            for version in family.versions {
                if let cells = byVersion["\(family.slug)@\(version.number)"] {
                    totals[version.number] = cells.values.reduce(into: Aggregate()) { $0.merge($1) }
                }
            }
            guard !totals.isEmpty else { continue }
            var versions: [VersionAnalytics] = []
            for version in family.versions {
                guard let total = totals[version.number], index["\(family.slug)@\(version.number)"] == nil else { continue }
                let cells = byVersion["\(family.slug)@\(version.number)"] ?? [:]
                let parentNumber = version.parent?.value
                let parentTotal = parentNumber.flatMap { totals[$0] }
                let test = parentTotal.flatMap {
                    TwoProportionTest(controlSuccesses: $0.success, controlTrials: $0.decided,
                                      treatmentSuccesses: total.success, treatmentTrials: total.decided, confidence: confidence)
                }
                let analytics = VersionAnalytics(
                    family: family.slug, number: version.number, metrics: metrics(total),
                    providers: named(cells.filter { !$0.key.isEmpty }),
                    parent: parentTotal == nil ? nil : parentNumber, parentTest: test,
                    parentComparison: parentTotal.map { Self.compare(test, control: $0, treatment: total, minSamples: minSamples) })
                versions.append(analytics)
                index[analytics.key] = analytics
            }
            let familyTotal = totals.values.reduce(into: Aggregate()) { $0.merge($1) }
            families.append(FamilyAnalytics(slug: family.slug, metrics: metrics(familyTotal), versions: versions))
        }
        self.families = families
        versionIndex = index
        topPerformers = index.values.filter { $0.metrics.aggregate.decided >= minSamples }
            .sorted { ($1.metrics.rankingScore, $0.key) < ($0.metrics.rankingScore, $1.key) }

        var experimentArms: [String: [(arm: String, aggregate: Aggregate, versions: [String: Int])]] = [:]
        // Records naming an experiment but no arm belong to no arm: compared as an arm named "",
        // they sorted first, became the control and could be declared the winner.
        for (arm, aggregate) in summary.arms where !arm.arm.isEmpty {
            experimentArms[arm.experiment, default: []].append((arm.arm, aggregate, summary.armVersions[arm] ?? [:]))
        }
        experiments = experimentArms.keys.sorted().map {
            Experiment(name: $0, arms: experimentArms[$0]!, minSamples: minSamples, confidence: confidence)
        }
        limitErrors = Self.limitErrors(summary, catalog: catalog, lengths: lengths, versions: known)
        var errorCounts: [String: Int] = [:]
        for aggregate in summary.cells.values { errorCounts.merge(aggregate.errors, uniquingKeysWith: +) }
        errors = errorCounts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { (code: $0.key, count: $0.value) }
    }

    static func compare(_ test: TwoProportionTest?, control: Aggregate, treatment: Aggregate, minSamples: Int) -> ArmComparison {
        guard control.decided >= minSamples, treatment.decided >= minSamples else { return .tooFewSamples(needed: minSamples) }
        guard let test, test.pValue < Experiment.alpha else { return .noSignificantDifference }
        return test.lift > 0 ? .better : .worse
    }

    static func limitErrors(_ summary: LogSummary, catalog: Catalog, lengths: LengthTable?, versions: [String: PromptVersion]) -> LimitErrors {
        var pairs: [LimitErrors.Pair] = []
        var unattributed = 0
        for cell in summary.cells.keys.sorted() {
            guard let failures = summary.cells[cell]?.errors[LimitErrors.code], failures > 0 else { continue }
            guard let version = versions[cell.version], let provider = catalog.provider(cell.provider) else {
                unattributed += failures
                continue
            }
            let length = lengths?.length(of: version, against: provider, in: catalog) ?? catalog.length(of: version, against: provider)
            let caught = !length.exampleFits || length.worstCaseFits == false
            pairs.append(LimitErrors.Pair(version: cell.version, provider: cell.provider, failures: failures, caught: caught,
                                          exampleLength: length.exampleLength, worstCase: length.worstCase.length,
                                          worstCaseBounded: length.worstCase.isBounded, limit: length.limit))
        }
        return LimitErrors(pairs: pairs, unattributed: unattributed)
    }

    /// Every `YYYY-MM-DD` from the first to the last key.
    static func everyDay(_ days: [String: Aggregate]) -> [String] {
        let parsed = days.keys.compactMap { key -> Int? in
            var copy = key
            return copy.withUTF8 { UTCDay(ByteString($0)) }.map { UTCDay.daysSinceEpoch(year: $0.year, month: $0.month, day: $0.day) }
        }
        guard let first = parsed.min(), let last = parsed.max(), last - first < 20_000 else { return days.keys.sorted() }
        return (first...last).map { UTCDay(daysSinceEpoch: $0).text }
    }
}

extension Catalog {
    /// The version a log's `<family>@<N>` names, if it exists.
    public func version(named reference: String) -> PromptVersion? {
        guard let at = reference.lastIndex(of: "@"), let number = Int(reference[reference.index(after: at)...]) else { return nil }
        return family(String(reference[..<at]))?.version(number)
    }

    /// Every version by its `<family>@<N>` reference.
    public func versionsByReference() -> [String: PromptVersion] {
        var index: [String: PromptVersion] = [:]
        for family in families {
            for version in family.versions {
                let reference = "\(family.slug)@\(version.number)"
                if index[reference] == nil { index[reference] = version }
            }
        }
        return index
    }
}
