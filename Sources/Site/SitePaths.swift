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

    public static func family(_ slug: String) -> String { "prompts/\(slug)/index.html" }
    public static func version(_ slug: String, _ number: Int) -> String { "prompts/\(slug)/v\(number)/index.html" }
    public static func provider(_ id: String) -> String { "providers/\(id)/index.html" }
    public static func familyAPI(_ slug: String) -> String { "api/v1/families/\(slug).json" }

    /// `docs/guide/intro.md` → `docs/guide/intro.html`.
    public static func doc(_ contentPath: String) -> String {
        String(contentPath.dropLast(3)) + ".html"
    }

    /// The prefix that leads from a page back to the site root (`../../` for `a/b/index.html`).
    public static func root(from page: String) -> String {
        String(repeating: "../", count: page.split(separator: "/").count - 1)
    }

    /// A link from one page to another.
    public static func link(from page: String, to target: String) -> String {
        root(from: page) + target
    }

    /// The page that shows a content file, for linking diagnostics to where they apply.
    public static func page(for contentFile: String) -> String? {
        let parts = contentFile.split(separator: "/").map(String.init)
        if parts.count == 3, parts[0] == "prompts" {
            if parts[2] == "family.yaml" || parts[2] == "family.yml" { return family(parts[1]) }
            if let number = versionNumber(parts[2]) { return version(parts[1], number) }
        }
        if parts.count == 2, parts[0] == "providers" {
            let id = parts[1].split(separator: ".").first.map(String.init) ?? parts[1]
            return provider(id)
        }
        if parts.first == "docs", contentFile.hasSuffix(".md") { return doc(contentFile) }
        return nil
    }

    private static func versionNumber(_ name: String) -> Int? {
        guard name.hasPrefix("v"), name.hasSuffix(".prompt") else { return nil }
        return Int(name.dropFirst().dropLast(7))
    }
}
