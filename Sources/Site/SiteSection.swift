import Diagnostics
import Foundation
import PageTemplates
import PromptCatalog

/// What a page template reads: a plain value the templates see through its `Encodable` names.
typealias PageModel = Encodable & Sendable

/// One file of the site: a page (a template and its view model) or bytes made by the build.
struct OutputFile: Sendable {
    indirect enum Content: Sendable {
        case page(template: String, model: any PageModel)
        /// A JSON document: fingerprinted from its values, serialized only when it is written.
        case json(JSONValue)
        case data(@Sendable () -> Data)
        /// Content named by the key of its inputs (PageKeys.swift), planned only when the last
        /// build's file cannot be reused; a nil key: always planned.
        case keyed(key: UInt64?, plan: @Sendable () -> Content)
    }

    let path: String
    let content: Content

    static func page(_ page: PlannedPage) -> OutputFile { OutputFile(path: page.path, content: .page(template: page.template, model: page.model)) }
    static func page(_ path: String, template: String, key: UInt64?, plan: @escaping @Sendable () -> any PageModel) -> OutputFile {
        OutputFile(path: path, content: .keyed(key: key) { .page(template: template, model: plan()) })
    }
    static func json(_ path: String, key: UInt64?, plan: @escaping @Sendable () -> JSONValue) -> OutputFile {
        OutputFile(path: path, content: .keyed(key: key) { .json(plan()) })
    }
    static func text(_ path: String, _ text: String) -> OutputFile { OutputFile(path: path, content: .data { Data(text.utf8) }) }
    /// Pretty JSON with a final newline (the API's form).
    static func json(_ path: String, _ value: JSONValue) -> OutputFile { OutputFile(path: path, content: .json(value)) }

    /// The bytes of a JSON document as the API publishes it.
    static func bytes(of value: JSONValue) -> Data {
        var bytes = value.serializedBytes(pretty: true, capacity: 4096)
        bytes.append(UInt8(ascii: "\n"))
        return Data(bytes)
    }
}

/// A kind of output: it plans its pages and its other files (JSON API, feeds, reports) from the
/// project model. Adding a kind of page is one section here, its view model and its template.
struct SiteSection: Sendable {
    let name: String
    let plan: @Sendable (PagePlanner) -> [OutputFile]
    /// The section maps over the catalog on all cores itself (`parallelMap`): it is planned on its
    /// own, since a `parallelMap` inside another one runs on one thread.
    let usesAllCores: Bool

    init(_ name: String, usesAllCores: Bool = false, pages: @escaping @Sendable (PagePlanner) -> [PlannedPage] = { _ in [] },
         files: @escaping @Sendable (PagePlanner) -> [OutputFile] = { _ in [] }) {
        self.name = name
        self.usesAllCores = usesAllCores
        plan = { planner in pages(planner).map(OutputFile.page) + files(planner) }
    }

    /// Every section's files, in the order of the sections: those that use all cores one after
    /// another, the others side by side.
    static func plan(_ sections: [SiteSection], _ planner: PagePlanner) -> [OutputFile] {
        var planned = [[OutputFile]](repeating: [], count: sections.count)
        for index in sections.indices where sections[index].usesAllCores { planned[index] = sections[index].plan(planner) }
        let others = sections.indices.filter { !sections[$0].usesAllCores }
        for (index, files) in zip(others, parallelMap(others) { sections[$0].plan(planner) }) { planned[index] = files }
        return planned.flatMap { $0 }
    }
}

/// Every section of the site, in the order of the navigation. The sitemap and the theme's assets
/// are added by the build (the sitemap lists the pages of all the others).
let allSections: [SiteSection] = [
    SiteSection("dashboard", pages: { [$0.dashboard()] }),
    SiteSection("prompts", usesAllCores: true, files: { planner in
        [.page(SitePaths.catalog, template: "catalog", key: planner.catalogPageKey) { planner.catalogPage().model }]
            + planner.promptPages() + planner.familyFiles()
    }),
    SiteSection("includes", files: { [.json(SitePaths.includesAPI, $0.includesDocument())] }),
    SiteSection("providers", pages: { $0.providerPages() }, files: { $0.providerFiles() }),
    SiteSection("docs", pages: { $0.docPages() }, files: { planner in
        planner.catalog.docImages.map { image in OutputFile(path: SitePaths.docImage(image.path), content: .data { image.data }) }
    }),
    SiteSection("action blocks", usesAllCores: true, pages: { $0.blockPages() }, files: { $0.blockFiles() }),
    SiteSection("content packs", pages: { $0.contentPackPages() }, files: { $0.contentPackFiles() }),
    SiteSection("programs", pages: { $0.programPages() }, files: { $0.programFiles() }),
    SiteSection("plugins, node types and scenes", pages: { $0.pluginPages() }, files: { $0.pluginFiles() }),
    SiteSection("near-duplicates", pages: { [$0.duplicatesPage()] }, files: { $0.nearDuplicateFiles() }),
    SiteSection("analytics", pages: { $0.analyticsPages() }, files: { $0.analyticsFiles() }),
    SiteSection("suggestions", pages: { $0.suggestionPages() }, files: { $0.suggestionOutputs() }),
    SiteSection("checks", pages: { [$0.checksPage()] }, files: { $0.reportFiles() }),
    SiteSection("review", pages: { $0.reviewPages() }),
    SiteSection("schemas", files: { $0.schemaFiles().sorted { $0.key < $1.key }.map { .text($0.key, $0.value) } }),
    SiteSection("search", files: { $0.searchIndexFile() }),
    SiteSection("feed", files: { planner in [.page("feed.xml", template: "feed", key: planner.feedDigest) { planner.feed().model }] }),
    SiteSection("not found", pages: { [$0.notFound()] }),
]
