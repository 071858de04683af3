import Diagnostics
import PageTemplates

// View models: plain values that the Mustache templates read. Text fields are escaped
// by Mustache; fields named `...HTML` hold markup the build made itself (already escaped).

/// What every page shows in its layout.
struct SiteInfo: Encodable, Sendable {
    let title: String
    let errors: Int
    let warnings: Int
}

/// The layout's view of a page: where the root is, the title, which section is active.
struct PageFrame: Encodable, Sendable {
    let root: String
    let title: String
    let site: SiteInfo
    // Stored, not computed: templates see the values a view model encodes.
    let isDashboard: Bool
    let isCatalog: Bool
    let isProviders: Bool
    let isDocs: Bool
    let isChecks: Bool
    let isBlocks: Bool
    let isPrograms: Bool
    let isAnalytics: Bool
    let isPlugins: Bool

    /// `root` replaces the relative root, for pages served from any URL (404.html).
    init(path: String, title: String, section: String, site: SiteInfo, root: String? = nil) {
        self.root = root ?? SitePaths.root(from: path)
        self.title = title
        self.site = site
        isDashboard = section == "dashboard"
        isCatalog = section == "prompts"
        isProviders = section == "providers"
        isDocs = section == "docs"
        isChecks = section == "checks"
        isBlocks = section == "blocks"
        isPrograms = section == "programs"
        isAnalytics = section == "analytics"
        isPlugins = section == "plugins"
    }
}

struct Link: Encodable, Sendable {
    let text: String
    let url: String
}

struct DiagnosticRow: Encodable, Sendable {
    let level: String
    let code: String
    let location: String
    let url: String?
    let message: String
    let hint: String?
}

struct DashboardPage: Encodable, Sendable {
    let page: PageFrame
    let familyCount: Int
    let versionCount: Int
    let providerCount: Int
    let docCount: Int
    let infos: Int
    let checksClean: Bool
    let latest: [VersionSummary]
    let labels: [LabelSummary]
    /// Labels beyond the ones listed (`hasMoreLabels`: a number is always true to a section).
    let moreLabels: Int
    let hasMoreLabels: Bool
    let analytics: DashboardAnalytics
    /// How many scene generation nodes reference a versioned prompt.
    let scenes: GenerationShare
    /// Blocks, programs and contexts, so a catalog without families still shows what it holds.
    let others: DashboardCounts
}

struct VersionSummary: Encodable, Sendable {
    let family: String
    let familyTitle: String
    let number: Int
    let url: String
    let message: String?
    let author: String?
    let date: String?
    let branch: String
    let labels: [String]
    /// On the family page: this version's generations, when it has any.
    let metrics: MetricsView?
}

struct LabelSummary: Encodable, Sendable {
    let family: String
    let familyTitle: String
    let label: String
    let version: Int
    /// Empty, and `linked` false, when the label points at a version that has no page (none with
    /// that number, or one that did not load). No field is optional (see `MaybeLink`).
    let url: String
    let linked: Bool
    let date: String?
}


struct CatalogPage: Encodable, Sendable {
    let page: PageFrame
    let active: [FamilyRow]
    let inactive: [FamilyRow]
    let types: [String]
    let hasInactive: Bool
}

struct FamilyRow: Encodable, Sendable {
    let slug: String
    let title: String
    let url: String
    let type: String
    let category: String?
    let tags: [String]
    let tagList: String
    let latest: Int?
    let latestURL: String?
    let versionCount: Int
    let labels: [MaybeLink]
    /// Lowercased text the catalog's search matches against.
    let searchText: String
}

struct FamilyPage: Encodable, Sendable {
    let page: PageFrame
    let slug: String
    let title: String
    let descriptionHTML: String?
    let type: String
    let category: String?
    let tags: [String]
    let nodeTypes: [String]
    let active: Bool
    let labels: [MaybeLink]
    let graphSVG: String
    let versions: [VersionSummary]
    let apiURL: String
    /// Nil when no version of the family has generations.
    let analytics: FamilyMetricsView?
    let hasGenerations: Bool
    let diagnostics: [DiagnosticRow]
    /// `{"3": "template text", ...}` for the compare script; JSONValue escapes `<`, `>` and `&`,
    /// so it cannot close its `<script>` element.
    let versionsJSON: String
    let canCompare: Bool
    /// The versions that include this family's versions (IncludePages.swift); nil when none do and it is no snippet.
    var includesGraphSVG: String? = nil
}

struct VersionPage: Encodable, Sendable {
    let page: PageFrame
    let id: String
    let family: Link
    let number: Int
    let branch: String
    let message: String?
    let author: String?
    let date: String?
    let semver: String?
    let tags: [String]
    let labels: [String]
    let strategies: [String]
    let providers: [MaybeLink]
    let parent: Link?
    let children: [Link]
    let templateHTML: String
    let variables: [VariableRow]
    let pools: [PoolRow]
    let contextPaths: [String]
    let previews: [PreviewRow]
    let lengths: [LengthRow]
    let negative: String?
    /// Made from the two texts and front matters only when the page is rendered.
    let diff: Deferred<DiffView>?
    let diagnostics: [DiagnosticRow]
    let apiURL: String
    /// Nil when the version has no generations.
    let metrics: VersionMetricsView?
    let hasVariables: Bool
    /// Near-duplicates of this version (either side of a pair), most similar first.
    let similar: [SimilarRow]
    let similarityThreshold: String
    let similarCluster: Link?
    /// Nil without randomization pools.
    let variations: VariationsView?
    /// What it includes and what includes it (IncludePages.swift); nil when neither.
    var composition: CompositionView? = nil
}

struct VariableRow: Encodable, Sendable {
    let anchor: String
    let name: String
    let type: String
    let required: Bool
    let defaultValue: String?
    let constraints: String?
    let description: String?
}

struct PoolRow: Encodable, Sendable {
    let anchor: String
    let name: String
    let values: [String]
    let weights: String?
}

struct PreviewRow: Encodable, Sendable {
    let name: String
    let text: String
    let length: Int
}

struct LengthRow: Encodable, Sendable {
    let provider: String
    let url: String
    let limit: String
    let example: Int
    let worstCase: String
    let status: String
    let statusClass: String
}

struct DiffView: Encodable, Sendable {
    let parent: Link
    let sideBySideHTML: String
    let inlineHTML: String
    let summary: String
    let fieldChanges: [FieldChangeRow]
    let hasFieldChanges: Bool
}

struct FieldChangeRow: Encodable, Sendable {
    let path: String
    let kind: String
    let old: String?
    let new: String?
}

struct ProvidersPage: Encodable, Sendable {
    let page: PageFrame
    let providers: [ProviderView]
}

struct ProviderView: Encodable, Sendable {
    let id: String
    let name: String
    let url: String
    let promptLimit: String
    let negativeLimit: String
    let operations: [String]
    let parameters: [ParameterRow]
    let cost: String?
    let overLimit: [OverLimitRow]
    let overLimitCount: Int
    let versionCount: Int
    let hasOverLimit: Bool
}

struct ParameterRow: Encodable, Sendable {
    let name: String
    let type: String
    let allowed: String
}

struct OverLimitRow: Encodable, Sendable {
    let version: String
    let url: String
    let length: String
    let kind: String
}

struct ProviderPage: Encodable, Sendable {
    let page: PageFrame
    let provider: ProviderView
}

struct DocPage: Encodable, Sendable {
    let page: PageFrame
    let title: String
    let bodyHTML: String
    /// The docs the navigation lists (`PagePlanner.docsListed` around the page, all on the index).
    let docs: [Link]
    /// The docs index, when `docs` leaves some out.
    let allDocs: Link?
}

struct ChecksPage: Encodable, Sendable {
    let page: PageFrame
    let diagnostics: [DiagnosticRow]
    let errors: Int
    let warnings: Int
    let infos: Int
    let clean: Bool
}

struct NotFoundPage: Encodable, Sendable {
    let page: PageFrame
}
