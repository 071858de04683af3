import Analytics
import Checks
import Diagnostics
import Foundation
import Markdown
import PageTemplates
import Project
import PromptCatalog
import PromptTemplates
import TextDiff

/// A page to render: its output path, its template and its view model.
struct PlannedPage: Sendable {
    let path: String
    let template: String
    let model: any PageModel
}

/// What every section reads: the project model, the diagnostics after the rules, and the facts
/// pages share (lengths, diagnostics by file, block addresses), each derived once per build.
///
/// The facts are held behind one reference: the closures that plan ten thousand pages each
/// capture the planner, and copying (then releasing) its sixteen fields every time was a tenth
/// of planning a version page.
struct PagePlanner: Sendable {
    private let facts: Facts

    private final class Facts: Sendable {
        let project: Project
        let catalog: Catalog
        let config: SiteConfig
        let analytics: AnalyticsReport
        let diagnostics: [Diagnostic]
        let lengths: LengthIndex
        let familyAnalytics: [String: FamilyAnalytics]
        let similarity: SimilarityIndex
        let diagnosticsByFile: [String: [Diagnostic]]
        let pluginAddresses: PluginAddresses
        let filePages: FilePages
        let site: SiteInfo
        let familyDigests: [UInt64]
        let catalogDigest: UInt64
        let feedDigest: UInt64
        let contextsDigest: UInt64

        init(project: Project, diagnostics: [Diagnostic]) {
            self.project = project
            catalog = project.catalog
            config = project.config
            analytics = project.analytics
            self.diagnostics = diagnostics
            lengths = LengthIndex(project)
            familyAnalytics = Dictionary(project.analytics.families.map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
            similarity = SimilarityIndex(project.similar, catalog: project.catalog)
            diagnosticsByFile = Dictionary(grouping: diagnostics.filter { $0.location != nil }) { $0.location!.file }
            pluginAddresses = PluginAddresses(project.catalog)
            filePages = FilePages(project.catalog, plugins: pluginAddresses)
            let summary = DiagnosticSummary(diagnostics)
            site = SiteInfo(title: project.config.title, errors: summary.errors, warnings: summary.warnings)
            familyDigests = parallelMap(project.catalog.families, PagePlanner.familyDigest)
            catalogDigest = PagePlanner.catalogDigest(families: familyDigests, docs: project.catalog.docs)
            feedDigest = PagePlanner.feedDigest(project.catalog.families)
            contextsDigest = PagePlanner.contextsDigest(project.catalog.contexts)
        }
    }

    init(project: Project, diagnostics: [Diagnostic]) {
        facts = Facts(project: project, diagnostics: diagnostics)
    }

    var project: Project { facts.project }
    var catalog: Catalog { facts.catalog }
    var diagnostics: [Diagnostic] { facts.diagnostics }
    var config: SiteConfig { facts.config }
    var lengths: LengthIndex { facts.lengths }
    var analytics: AnalyticsReport { facts.analytics }
    /// The report's families by slug (the report looks them up in a list).
    var familyAnalytics: [String: FamilyAnalytics] { facts.familyAnalytics }
    /// Near-duplicate clusters and each prompt's most similar prompts.
    var similarity: SimilarityIndex { facts.similarity }
    /// Diagnostics by content-relative file, in report order.
    var diagnosticsByFile: [String: [Diagnostic]] { facts.diagnosticsByFile }
    /// Where plugin, node-type and scene pages live, and the page of each content file.
    var pluginAddresses: PluginAddresses { facts.pluginAddresses }
    var filePages: FilePages { facts.filePages }
    var site: SiteInfo { facts.site }
    /// Each family as read, in catalog order, all of them with the docs, and what the feed lists
    /// of them (PageKeys.swift).
    var familyDigests: [UInt64] { facts.familyDigests }
    var catalogDigest: UInt64 { facts.catalogDigest }
    var feedDigest: UInt64 { facts.feedDigest }
    /// Every context as read: version pages preview the ones that fill what they read.
    var contextsDigest: UInt64 { facts.contextsDigest }

    /// Family and version pages and each family's API document, each named by its key
    /// (PageKeys.swift) and planned only when the last build's file cannot be reused: version pages
    /// (diffs, previews, lengths) are the bulk.
    func promptPages() -> [OutputFile] {
        parallelMap(Array(catalog.families.indices)) { index in
            let family = catalog.families[index], digest = familyDigests[index]
            var seen = Set<Int>()
            let versions = family.versions.filter { seen.insert($0.number).inserted }.map { version in
                OutputFile.page(SitePaths.version(family.slug, version.number), template: "version",
                                key: versionPageKey(version, familyDigest: digest)) { versionPage(version, in: family).model }
            }
            return [OutputFile.page(SitePaths.family(family.slug), template: "family",
                                    key: familyPageKey(family, digest: digest)) { familyPage(family).model }] + versions
                + [OutputFile.json(SitePaths.familyAPI(family.slug), key: familyDocumentKey(family, digest: digest)) { familyDocument(family) }]
        }.flatMap { $0 }
    }

    /// Provider pages sit one folder deeper than the providers index: the same relative links work from both.
    func providerPages() -> [PlannedPage] {
        let usage = providerUsage()
        let views = providerViews(from: SitePaths.provider("x"), usage: usage)
        return [providersPage(usage)] + zip(catalog.providers, views).map { providerPage($0, view: $1) }
    }

    // MARK: Dashboard, catalog, checks

    /// The labels the dashboard lists, the most recently dated first (each family's page has all of its own).
    static let dashboardLabels = 50

    func dashboard() -> PlannedPage {
        let path = SitePaths.dashboard
        let summary = DiagnosticSummary(diagnostics)
        let latest = latestVersions(10)
        let labels = catalog.families.flatMap { family in
            family.labels.map { label in
                LabelSummary(family: family.slug, familyTitle: family.title, label: label.name, version: label.version,
                             url: family.version(label.version).map { _ in SitePaths.link(from: path, to: SitePaths.version(family.slug, label.version)) } ?? "",
                             linked: family.version(label.version) != nil,
                             date: family.version(label.version)?.date.map(SiteDates.display))
            }
        }.sorted { ($0.date ?? "", $0.family, $0.label) > ($1.date ?? "", $1.family, $1.label) }
        let model = DashboardPage(
            page: PageFrame(path: path, title: config.title, section: "dashboard", site: site),
            familyCount: catalog.families.count, versionCount: catalog.versionCount, providerCount: catalog.providers.count,
            docCount: catalog.docs.count, infos: summary.infos, checksClean: summary.errors + summary.warnings == 0,
            latest: latest.map { summaryRow($0.version, family: $0.family, from: path) },
            labels: Array(labels.prefix(Self.dashboardLabels)), moreLabels: max(0, labels.count - Self.dashboardLabels),
            hasMoreLabels: labels.count > Self.dashboardLabels,
            analytics: dashboardAnalytics(from: path), scenes: generationShare(from: path), others: DashboardCounts(catalog))
        return PlannedPage(path: path, template: "dashboard", model: model)
    }

    /// The newest versions by date (then id), as a stable sort of every version would list them,
    /// kept in one pass instead of sorting the whole catalog.
    private func latestVersions(_ count: Int) -> [(family: PromptFamily, version: PromptVersion)] {
        var top: [(date: Date, id: String, family: Int, version: Int)] = []
        for (familyIndex, family) in catalog.families.enumerated() {
            for (versionIndex, version) in family.versions.enumerated() {
                let key = (date: version.date ?? .distantPast, id: version.id, family: familyIndex, version: versionIndex)
                if top.count == count, let last = top.last, (last.date, last.id) >= (key.date, key.id) { continue }
                let position = top.firstIndex { ($0.date, $0.id) < (key.date, key.id) } ?? top.count
                top.insert(key, at: position)
                if top.count > count { top.removeLast() }
            }
        }
        return top.map { (catalog.families[$0.family], catalog.families[$0.family].versions[$0.version]) }
    }

    func catalogPage() -> PlannedPage {
        let path = SitePaths.catalog
        let rows = catalog.families.map { familyRow($0, from: path) }
        let model = CatalogPage(
            page: PageFrame(path: path, title: "Prompts", section: "prompts", site: site),
            active: zip(catalog.families, rows).filter { $0.0.active }.map(\.1),
            inactive: zip(catalog.families, rows).filter { !$0.0.active }.map(\.1),
            types: PromptType.allCases.map(\.rawValue),
            hasInactive: catalog.families.contains { !$0.active })
        return PlannedPage(path: path, template: "catalog", model: model)
    }

    private func familyRow(_ family: PromptFamily, from path: String) -> FamilyRow {
        let latest = family.latest
        return FamilyRow(
            slug: family.slug, title: family.title, url: SitePaths.link(from: path, to: SitePaths.family(family.slug)),
            type: family.promptType?.rawValue ?? "unknown", category: family.category, tags: family.tags,
            tagList: family.tags.joined(separator: " "), latest: latest?.number,
            latestURL: latest.map { SitePaths.link(from: path, to: SitePaths.version(family.slug, $0.number)) },
            versionCount: family.versions.count, labels: labelLinks(family, from: path),
            searchText: ([family.slug, family.title, family.category ?? "", family.description ?? ""] + family.tags).joined(separator: " ").lowercased())
    }

    func checksPage() -> PlannedPage {
        let path = SitePaths.checks
        let summary = DiagnosticSummary(diagnostics)
        let model = ChecksPage(page: PageFrame(path: path, title: "Checks", section: "checks", site: site),
                               diagnostics: diagnostics.map { row($0, from: path) }, errors: summary.errors, warnings: summary.warnings,
                               infos: summary.infos, clean: diagnostics.isEmpty)
        return PlannedPage(path: path, template: "checks", model: model)
    }

    func notFound() -> PlannedPage {
        // Served for any missing URL, so its links are rooted at baseURL rather than relative.
        let base = config.baseURL.hasSuffix("/") ? config.baseURL : config.baseURL + "/"
        let model = NotFoundPage(page: PageFrame(path: SitePaths.notFound, title: "Page not found", section: "", site: site, root: base))
        return PlannedPage(path: SitePaths.notFound, template: "404", model: model)
    }

    // MARK: Families and versions

    private func familyPage(_ family: PromptFamily) -> PlannedPage {
        let path = SitePaths.family(family.slug)
        let here = SitePaths.root(from: path)
        let svg = VersionGraphSVG.render(family) { number in "v\(number)/index.html" }
        let metrics = familyMetrics(family, from: path)
        let model = FamilyPage(
            page: PageFrame(path: path, title: family.title, section: "prompts", site: site),
            slug: family.slug, title: family.title,
            descriptionHTML: family.description.map { Markdown.html($0, unsafeHTML: config.unsafeHTML) },
            type: family.promptType?.rawValue ?? "unknown", category: family.category, tags: family.tags,
            nodeTypes: family.nodeTypes, active: family.active, labels: labelLinks(family, from: path), graphSVG: svg,
            versions: family.versions.reversed().map { summaryRow($0, family: family, from: path, metrics: metrics?.versions[$0.number]) },
            apiURL: here + SitePaths.familyAPI(family.slug),
            analytics: metrics?.view, hasGenerations: metrics != nil,
            diagnostics: diagnostics(in: [family.file], from: path),
            versionsJSON: JSONValue.object(family.versions.map { ("\($0.number)", JSONValue.string($0.template.source)) }).serialized(),
            canCompare: family.versions.count > 1, includesGraphSVG: includeGraphSVG(family, from: path))
        return PlannedPage(path: path, template: "family", model: model)
    }

    private func versionPage(_ version: PromptVersion, in family: PromptFamily) -> PlannedPage {
        let path = SitePaths.version(family.slug, version.number)
        let variables = VersionVariables(version, composed: catalog.composed(version))
        let parent = version.parent.flatMap { family.version($0.value) }
        let children = family.versions.filter { $0.parent?.value == version.number && $0.number != version.number }
        let link = { (number: Int) in Link(text: "v\(number)", url: "../v\(number)/index.html") }
        var shown = 0
        let previews = (version.examples.isEmpty ? [nil] : version.examples.map { Optional($0) }).map { example in
            Self.previewRow(example?.name ?? "defaults", variables.preview(example: example).text, version: version,
                            printedBy: example.map { ["--example", $0.name] } ?? [], shown: &shown)
        } + contextPreviews(version, variables, shown: &shown)
        let model = VersionPage(
            page: PageFrame(path: path, title: "\(family.title) · v\(version.number)", section: "prompts", site: site),
            id: version.id, family: Link(text: family.title, url: "../index.html"), number: version.number,
            branch: version.branch, message: version.message, author: version.author, date: version.date.map(SiteDates.display),
            semver: version.semver, tags: version.tags,
            labels: family.labels.filter { $0.version == version.number }.map(\.name),
            strategies: version.strategies.map(\.value),
            providers: version.providerIDs(defaults: config.defaultProviders).map { id in
                MaybeLink(id, url: catalog.provider(id).map { _ in SitePaths.link(from: path, to: SitePaths.provider(id)) })
            },
            parent: parent.map { link($0.number) }, children: children.map { link($0.number) },
            templateHTML: TemplateHighlighter.html(version.template) { path in
                version.variable(path) != nil || (!path.isDotted && version.pool(path.root) != nil)
            },
            variables: version.variables.map(variableRow),
            pools: version.randomization.map { pool in
                PoolRow(anchor: TemplateHighlighter.anchor(VariablePath([pool.name])), name: pool.name, values: pool.pool.values,
                        weights: pool.pool.weights.map { $0.map(TemplateValue.format).joined(separator: " : ") })
            },
            contextPaths: version.template.variablePaths.filter { version.variable($0) == nil && ContextSchema.field($0) != nil }.map(\.description),
            previews: previews,
            lengths: lengthRows(version, from: path),
            negative: version.negative?.value,
            diff: parent.map { diffPart(from: $0, to: version, link: link($0.number)) },
            diagnostics: diagnostics(in: [version.file], from: path),
            apiURL: SitePaths.link(from: path, to: SitePaths.familyAPI(family.slug)),
            metrics: versionMetrics(version, in: family, from: path),
            hasVariables: !version.variables.isEmpty || !version.randomization.isEmpty,
            similar: similarRows(version, from: path), similarityThreshold: SimilarityIndex.percent(config.similarityThreshold),
            similarCluster: similarCluster(version, from: path),
            variations: variations(version, from: path), composition: compositionView(version, from: path))
        return PlannedPage(path: path, template: "version", model: model)
    }

    /// The most preview text one version page shows. Each preview stops at 4 MB, but 5,000
    /// examples of a 100 KB template made a 500 MB page the renderer refused, and with it the
    /// whole build.
    static let previewBytesPerPage = 8 << 20

    /// A preview's row, its text kept while the page's previews (`shown` bytes so far) fit in
    /// `previewBytesPerPage`; past that it keeps its name and length, and its text says how to print it.
    /// `printedBy`: the `render` options that print the text (`--example NAME`, `--context ID`).
    static func previewRow(_ name: String, _ text: String, version: PromptVersion, printedBy options: [String], shown: inout Int) -> PreviewRow {
        shown += text.utf8.count
        guard shown > previewBytesPerPage else { return PreviewRow(name: name, text: text, length: text.characterCount) }
        let command = (["promptsite", "render", version.id] + options).map(shellWord).joined(separator: " ")
        return PreviewRow(name: name, text: "(not shown: the previews above fill the \(previewBytesPerPage >> 20) MB a page shows; `\(command)` prints it)",
                          length: text.characterCount)
    }

    /// A word as a POSIX shell reads it back: as it is when it is plain, else in single quotes.
    static func shellWord(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "@%+=:,./_-".unicodeScalars.contains($0)) }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A preview per context (SPEC §5) that fills a path the version reads (the context's values
    /// over the first example's, as `render <version> --context <id>` layers them: the text that
    /// command prints).
    private func contextPreviews(_ version: PromptVersion, _ variables: VersionVariables, shown: inout Int) -> [PreviewRow] {
        let read = variables.template.variablePaths
        guard !read.isEmpty else { return [] }
        var rows: [PreviewRow] = []
        for context in catalog.contexts {
            let values = context.values
            guard read.contains(where: { values.value(at: $0) != nil }) else { continue }
            rows.append(Self.previewRow("context \(context.id)", variables.preview(overrides: values).text, version: version,
                                        printedBy: ["--context", context.id], shown: &shown))
        }
        return rows
    }

    private func variableRow(_ spec: VariableSpec) -> VariableRow {
        var constraints: [String] = []
        if let max = spec.maxLength { constraints.append("max \(max.value) characters") }
        if let min = spec.min { constraints.append("≥ \(TemplateValue.format(min.value))") }
        if let max = spec.max { constraints.append("≤ \(TemplateValue.format(max.value))") }
        if !spec.values.isEmpty { constraints.append("one of: " + spec.values.map(\.value).joined(separator: ", ")) }
        return VariableRow(anchor: TemplateHighlighter.anchor(spec.path), name: spec.path.description,
                           type: spec.typeName?.value ?? "?", required: spec.required,
                           defaultValue: spec.defaultValue.map { $0.templateValue.renderedText },
                           constraints: constraints.isEmpty ? nil : constraints.joined(separator: "; "), description: spec.description)
    }

    private func lengthRows(_ version: PromptVersion, from path: String) -> [LengthRow] {
        lengths.of(version).map { length in
            let worst = length.worstCase.isBounded ? "\(length.worstCase.length)" : "≥ \(length.worstCase.length) (unbounded)"
            let status: (String, String)
            if !length.exampleFits { status = ("over the limit", "bad") }
            else if length.worstCaseFits == false { status = ("worst case over", "warn") }
            else if length.worstCaseFits == nil { status = ("worst case unknown", "warn") }
            else { status = ("fits", "ok") }
            return LengthRow(provider: length.provider.id, url: SitePaths.link(from: path, to: SitePaths.provider(length.provider.id)),
                             limit: length.limit.map(String.init) ?? "none", example: length.exampleLength, worstCase: worst,
                             status: status.0, statusClass: status.1)
        }
    }

    /// The diff against the parent, deferred: its inputs are the two versions' files as read.
    private func diffPart(from parent: PromptVersion, to version: PromptVersion, link: Link) -> Deferred<DiffView> {
        let changes = version.fieldChanges(from: parent).map {
            FieldChangeRow(path: $0.path, kind: $0.kind.rawValue, old: $0.old, new: $0.new)
        }
        let inputs = [link.text, link.url, parent.template.source, version.template.source,
                      changes.map { "\($0.path)\u{0}\($0.kind)\u{0}\($0.old ?? "")\u{0}\($0.new ?? "")" }.joined(separator: "\u{1}")]
        return Deferred(inputs: inputs) { diffView(from: parent, to: version, link: link, changes: changes) }
    }

    /// The most template text (both sides) a version page diffs word by word: two 16 MB
    /// templates took 2.6 GB and made 180 MB of pages. Past it the page says how to see the diff.
    static let mostDiffedBytes = 2 << 20

    private func diffView(from parent: PromptVersion, to version: PromptVersion, link: Link, changes: [FieldChangeRow]) -> DiffView {
        let old = parent.template.source, new = version.template.source
        let size = old.utf8.count + new.utf8.count
        guard size <= Self.mostDiffedBytes else {
            let command = ["promptsite", "diff", parent.id, version.id, "--words"].map(Self.shellWord).joined(separator: " ")
            let note = "<p class=\"note\">The two templates hold \(size >> 20) MB together, more than the \(Self.mostDiffedBytes >> 20) MB a page compares "
                + "word by word: <code>\(HTML.escape(command))</code> prints the diff.</p>"
            return DiffView(parent: link, sideBySideHTML: note, inlineHTML: note, summary: "too large to compare on the page",
                            fieldChanges: changes, hasFieldChanges: !changes.isEmpty)
        }
        let rendered = DiffHTML.render(old: old, new: new)
        let stats = rendered.stats
        let summary = "\(plural(stats.wordsInserted, "word")) inserted, \(stats.wordsDeleted) deleted; \(plural(stats.linesAdded, "line")) added, \(stats.linesRemoved) removed"
        return DiffView(parent: link, sideBySideHTML: rendered.sideBySide, inlineHTML: rendered.inline,
                        summary: summary, fieldChanges: changes, hasFieldChanges: !changes.isEmpty)
    }

    private func summaryRow(_ version: PromptVersion, family: PromptFamily, from path: String, metrics: MetricsView? = nil) -> VersionSummary {
        VersionSummary(family: family.slug, familyTitle: family.title, number: version.number,
                       url: SitePaths.link(from: path, to: SitePaths.version(family.slug, version.number)),
                       message: version.message, author: version.author, date: version.date.map(SiteDates.display),
                       branch: version.branch, labels: family.labels.filter { $0.version == version.number }.map(\.name),
                       metrics: metrics)
    }

    /// A family's labels, linked to their versions' pages when those were published (a label on a
    /// version that does not exist, or did not load, is `label-target`: shown, not linked).
    private func labelLinks(_ family: PromptFamily, from path: String) -> [MaybeLink] {
        family.labels.map { label in
            MaybeLink("\(label.name) → v\(label.version)",
                      url: family.version(label.version).map { _ in SitePaths.link(from: path, to: SitePaths.version(family.slug, label.version)) })
        }
    }

    // MARK: Providers and docs

    /// How many versions each provider validates, and the versions over its limit (one pass over
    /// every version's lengths, shared by the providers index and each provider's page).
    private struct ProviderUsage {
        var counts: [String: Int] = [:]
        var over: [String: [(family: String, version: PromptVersion, length: Int, kind: String)]] = [:]
    }

    private func providerUsage() -> ProviderUsage {
        var usage = ProviderUsage()
        for family in catalog.families {
            for version in family.versions {
                for length in lengths.of(version) {
                    usage.counts[length.provider.id, default: 0] += 1
                    let over: (length: Int, kind: String)? = !length.exampleFits ? (length.exampleLength, "example")
                        : length.worstCaseFits == false ? (length.worstCase.length, "worst case") : nil
                    guard let over else { continue }
                    usage.over[length.provider.id, default: []].append((family.slug, version, over.length, over.kind))
                }
            }
        }
        return usage
    }

    private func providerViews(from path: String, usage: ProviderUsage) -> [ProviderView] {
        catalog.providers.map { provider in
            let cost = provider.cost.map { cost in
                [cost.perGeneration.map { "\(TemplateValue.format($0)) \(cost.currency) per generation" },
                 cost.perSecond.map { "\(TemplateValue.format($0)) \(cost.currency) per second" }].compactMap { $0 }.joined(separator: ", ")
            }
            let rows = (usage.over[provider.id] ?? []).map { over in
                OverLimitRow(version: over.version.id, url: SitePaths.link(from: path, to: SitePaths.version(over.family, over.version.number)),
                             length: "\(over.length)", kind: over.kind)
            }
            return ProviderView(
                id: provider.id, name: provider.name, url: SitePaths.link(from: path, to: SitePaths.provider(provider.id)),
                promptLimit: provider.promptLimit.map(String.init) ?? "none", negativeLimit: provider.negativePromptLimit.map(String.init) ?? "none",
                operations: provider.operations,
                parameters: provider.parameters.map { parameter in
                    var allowed = parameter.values.joined(separator: ", ")
                    if parameter.min != nil || parameter.max != nil {
                        allowed = "\(parameter.min.map(TemplateValue.format) ?? "…") – \(parameter.max.map(TemplateValue.format) ?? "…")"
                    }
                    return ParameterRow(name: parameter.name, type: parameter.type.rawValue, allowed: allowed)
                },
                cost: cost, overLimit: rows, overLimitCount: rows.count, versionCount: usage.counts[provider.id] ?? 0, hasOverLimit: !rows.isEmpty)
        }
    }

    private func providersPage(_ usage: ProviderUsage) -> PlannedPage {
        let path = SitePaths.providers
        return PlannedPage(path: path, template: "providers",
                           model: ProvidersPage(page: PageFrame(path: path, title: "Providers", section: "providers", site: site),
                                                providers: providerViews(from: path, usage: usage)))
    }

    private func providerPage(_ provider: Provider, view: ProviderView) -> PlannedPage {
        let path = SitePaths.provider(provider.id)
        return PlannedPage(path: path, template: "provider",
                           model: ProviderPage(page: PageFrame(path: path, title: provider.name, section: "providers", site: site), provider: view))
    }

    /// How many docs the navigation of one doc page lists: the docs around it. Listing every doc
    /// on every page made the docs N² (a thousand two-line docs were 48 MB); the docs index
    /// (`docs/index.html`) lists them all, and every other page links to it.
    static let docsListed = 50

    func docPages() -> [PlannedPage] {
        var pages = catalog.docs.indices.map { index -> PlannedPage in
            let doc = catalog.docs[index]
            let path = SitePaths.doc(doc.path)
            let html = DocLinks.headingAnchors(DocLinks.rewrite(project.docHTML[doc.path] ?? ""))
            let (docs, allDocs) = docNavigation(from: path, around: path == SitePaths.docsIndex ? nil : index)
            return PlannedPage(path: path, template: "doc",
                               model: DocPage(page: PageFrame(path: path, title: doc.title, section: "docs", site: site),
                                              title: doc.title, bodyHTML: html, docs: docs, allDocs: allDocs))
        }
        if !catalog.docs.contains(where: { $0.path == "docs/index.md" }) {
            let path = SitePaths.docsIndex
            pages.append(PlannedPage(path: path, template: "doc",
                                     model: DocPage(page: PageFrame(path: path, title: "Documentation", section: "docs", site: site),
                                                    title: "Documentation", bodyHTML: "", docs: docNavigation(from: path, around: nil).docs, allDocs: nil)))
        }
        return pages
    }

    /// The docs a page's navigation lists: all of them on the docs index (`around` nil); on a doc,
    /// at most `docsListed` in catalog order around it, and then a link to the index for the rest.
    private func docNavigation(from path: String, around index: Int?) -> (docs: [Link], allDocs: Link?) {
        let all = catalog.docs
        var range = all.indices
        if let index, all.count > Self.docsListed {
            let start = min(max(0, index - Self.docsListed / 2), all.count - Self.docsListed)
            range = start..<start + Self.docsListed
        }
        let docs = all[range].map { Link(text: $0.title, url: SitePaths.link(from: path, to: SitePaths.doc($0.path))) }
        let allDocs = range.count < all.count
            ? Link(text: "All \(all.count) docs", url: SitePaths.link(from: path, to: SitePaths.docsIndex)) : nil
        return (docs, allDocs)
    }

    // MARK: Diagnostics

    func diagnostics(in files: [String], from path: String) -> [DiagnosticRow] {
        let found = files.count == 1 ? diagnosticsByFile[files[0]] ?? [] : diagnostics.filter { files.contains($0.location?.file ?? "") }
        return found.map { row($0, from: path) }
    }

    func row(_ diagnostic: Diagnostic, from path: String) -> DiagnosticRow {
        let location = diagnostic.location
        var place = location?.file ?? "(configuration)"
        if let line = location?.line { place += ":\(line)" + (location?.column.map { ":\($0)" } ?? "") }
        let url = location.flatMap { filePages.page(for: $0.file) }.map { SitePaths.link(from: path, to: $0) }
        return DiagnosticRow(level: diagnostic.level.rawValue, code: diagnostic.code, location: place, url: url,
                             message: diagnostic.message, hint: diagnostic.hint)
    }
}


func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }

/// Dates as readers want them on a page: `2025-11-17 10:00 UTC`.
enum SiteDates {
    static func display(_ date: Date) -> String {
        // Every page shows dates: from the calendar fields directly, not through a format style.
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard let whole = time_t(exactly: seconds) else { return formatted(date) }
        var time = whole, fields = tm()
        guard gmtime_r(&time, &fields) != nil, (1600...9999).contains(Int(fields.tm_year) + 1900) else { return formatted(date) }
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let year = String(Int(fields.tm_year) + 1900), paddedYear = String(repeating: "0", count: 4 - year.count) + year
        let day = "\(paddedYear)-\(two(fields.tm_mon + 1))-\(two(fields.tm_mday)) \(two(fields.tm_hour)):\(two(fields.tm_min))"
        return fields.tm_sec == 0 ? day + " UTC" : day + ":\(two(fields.tm_sec))Z"
    }

    /// The same through Foundation's ISO 8601 style: dates outside 1600–9999 (Foundation reads earlier ones in the Julian calendar).
    static func formatted(_ date: Date) -> String {
        let iso = ISODate.format(date)
        return iso.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: ":00Z", with: " UTC")
    }
}
