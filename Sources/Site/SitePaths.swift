import PromptCatalog

/// Where every page lives in the output, as `/`-separated paths relative to the site root.
/// Links are always relative (`../../prompts/a/index.html`) so the site works from
/// `file://` and under any base path; they name `index.html` explicitly for `file://`.
public enum SitePaths {
    public static let dashboard = "index.html"
    public static let catalog = "prompts/index.html"
    public static let providers = "providers/index.html"
    public static let checks = "checks/index.html"
    public static let docsIndex = "docs/index.html"
    public static let notFound = "404.html"
    public static let blocks = "action-blocks/index.html"
    public static let blocksAPI = "api/v1/blocks.json"
    public static let programs = "programs/index.html"
    public static let programsAPI = "api/v1/programs.json"
    public static let analytics = "analytics/index.html"
    public static let analyticsProviders = "analytics/providers/index.html"
    public static let analyticsCost = "analytics/cost/index.html"
    public static let analyticsNodes = "analytics/nodes/index.html"
    public static let experiments = "analytics/experiments/index.html"
    public static let plugins = "plugins/index.html"
    public static let nodeTypes = "node-types/index.html"
    public static let scenes = "scenes/index.html"
    public static let duplicates = "checks/duplicates/index.html"
    public static let pluginGuide = "docs/plugin-guide.html"
    public static let scenesAPI = "api/v1/scenes.json"
    public static let pluginsAPI = "api/v1/plugins.json"
    public static let nodeTypesAPI = "api/v1/node-types.json"
    public static let nearDuplicatesAPI = "api/v1/near-duplicates.json"

    /// Family and provider names go through `pathSegment`: a valid slug is unchanged, an invalid
    /// one is never published raw.
    public static func family(_ slug: String) -> String { "prompts/\(pathSegment(slug))/index.html" }
    public static func version(_ slug: String, _ number: Int) -> String { "prompts/\(pathSegment(slug))/v\(number)/index.html" }
    public static func provider(_ id: String) -> String { "providers/\(pathSegment(id))/index.html" }
    public static func familyAPI(_ slug: String) -> String { "api/v1/families/\(pathSegment(slug)).json" }
    /// An experiment's page from its path segment (`ExperimentAddresses` makes segments unique).
    public static func experiment(segment: String) -> String { "analytics/experiments/\(segment)/index.html" }
    /// `api/v1/analytics/<name>.json`.
    public static func analyticsAPI(_ name: String) -> String { "api/v1/analytics/\(name).json" }

    /// A plugin's page, from its folder name (`plugins/<folder>/plugin.yaml`).
    public static func plugin(folder: String) -> String { "plugins/\(pathSegment(folder))/index.html" }
    /// A node type's or scene's page, from its file's name without `.yaml`.
    public static func nodeType(stem: String) -> String { "node-types/\(pathSegment(stem))/index.html" }
    public static func scene(stem: String) -> String { "scenes/\(pathSegment(stem))/index.html" }
    public static func sceneAPI(stem: String) -> String { "api/v1/scenes/\(pathSegment(stem)).json" }

    /// A block's page from its path segment (`BlockAddresses` makes segments unique).
    /// A program's page from its path segment (`ProgramAddresses` makes segments unique).
    public static func program(segment: String) -> String { "programs/\(segment)/index.html" }

    public static func block(segment: String) -> String { "action-blocks/block/\(segment)/index.html" }

    /// The page of an action-block file (a package or a library), from the file's path alone:
    /// `action-blocks/bench_park.json` → `action-blocks/bench_park/index.html`; sub-folders are kept.
    public static func blockFile(_ contentFile: String) -> String {
        var parts = contentFile.split(separator: "/", omittingEmptySubsequences: false).map(String.init).dropFirst()
        if let last = parts.last, last.hasSuffix(".json") { parts[parts.endIndex - 1] = String(last.dropLast(5)) }
        var segments = parts.map(pathSegment)
        // `action-blocks/block/` holds block pages: a top folder or file named `block` moves aside.
        if segments.first == "block" { segments[segments.startIndex] = "~62lock" }
        return "action-blocks/" + segments.joined(separator: "/") + "/index.html"
    }

    /// Text as one path segment (`PublishedName.segment`): reversible for ordinary names, a stable
    /// short form for names too long or reserved.
    public static func pathSegment(_ text: String) -> String { PublishedName.segment(text) }

    /// `docs/guide/intro.md` → `docs/guide/intro.html`. A name with anything but ASCII letters,
    /// digits, `-`, `_` and `.` (a space, `#`, `?`, `%`, a line break), a name too long for the file
    /// system, and a folder named like a page (`a.html/`, beside `a.md`) are published as
    /// `PublishedName` writes them, so every link and the sitemap hold plain URLs.
    public static func doc(_ contentPath: String) -> String {
        let parts = String(contentPath.dropLast(3)).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        return parts.enumerated().map { docSegment($1, isFolder: $0 < parts.count - 1) }.joined(separator: "/") + ".html"
    }

    /// Where an image beside the docs is published: at its place, each name as a doc's is written
    /// (`docs/img/flow.png` stays `docs/img/flow.png`).
    public static func docImage(_ contentPath: String) -> String {
        let parts = contentPath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        return parts.enumerated().map { docSegment($1, isFolder: $0 < parts.count - 1) }.joined(separator: "/")
    }

    /// One folder or file name of a doc's path, as published: as `PublishedName` writes any name,
    /// and a folder ending in `.html` with that dot escaped too.
    static func docSegment(_ name: String, isFolder: Bool) -> String {
        let published = PublishedName.segment(name)
        guard published == name, isFolder, name.hasSuffix(".html") else { return published }
        return PublishedName.segment(String(name.dropLast(5))) + "~2Ehtml"
    }

    /// The prefix that leads from a page back to the site root (`../../` for `a/b/index.html`).
    public static func root(from page: String) -> String {
        // Its non-empty components, counted on the bytes (a page links out many times).
        var components = 0, inComponent = false
        for byte in page.utf8 {
            if byte == UInt8(ascii: "/") { inComponent = false } else if !inComponent { inComponent = true; components += 1 }
        }
        return String(repeating: "../", count: max(0, components - 1))
    }

    /// A link from one page to another.
    public static func link(from page: String, to target: String) -> String {
        root(from: page) + target
    }

    /// The page that would show a content file, from its name alone (`FilePages` keeps only the
    /// pages a build publishes).
    public static func page(for contentFile: String) -> String? {
        let parts = contentFile.split(separator: "/").map(String.init)
        if parts.count == 3, parts[0] == "prompts" {
            if parts[2] == "family.yaml" || parts[2] == "family.yml" { return family(parts[1]) }
            if let number = versionNumber(parts[2]) { return version(parts[1], number) }
        }
        if parts.count == 2, parts[0] == "providers", isYAML(parts[1]) { return provider(yamlStem(parts[1])) }
        if parts.first == "docs", contentFile.hasSuffix(".md") { return doc(contentFile) }
        if parts.count >= 3, parts[0] == "plugins" { return plugin(folder: parts[1]) }
        if parts.count == 2, parts[0] == "node-types", isYAML(parts[1]) { return nodeType(stem: yamlStem(parts[1])) }
        if parts.count == 2, parts[0] == "scenes", isYAML(parts[1]) { return scene(stem: yamlStem(parts[1])) }
        if parts.count >= 2, parts[0] == "action-blocks", contentFile.hasSuffix(".json") { return blockFile(contentFile) }
        if parts.count >= 4, parts[0] == "content-packs", let kind = PackKind(rawValue: parts[1]) { return contentPack(parts[2], kind: kind) }
        // A program's page is named by its id, not its file: the index lists every file's program.
        if parts.count >= 2, parts[0] == "programs" || parts[0] == "contexts" { return programs }
        return nil
    }

    private static func isYAML(_ name: String) -> Bool { name.hasSuffix(".yaml") || name.hasSuffix(".yml") }

    /// `harbor-evening.yaml` → `harbor-evening`.
    static func yamlStem(_ name: String) -> String {
        name.hasSuffix(".yaml") ? String(name.dropLast(5)) : (name.hasSuffix(".yml") ? String(name.dropLast(4)) : name)
    }

    private static func versionNumber(_ name: String) -> Int? {
        guard name.hasPrefix("v"), name.hasSuffix(".prompt") else { return nil }
        return Int(name.dropFirst().dropLast(7))
    }
}
