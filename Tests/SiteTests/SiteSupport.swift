import Checks
import Foundation
import PromptCatalog
import Site
import TestSupport

/// Builds a content folder into a temporary output folder and reads the result.
struct BuiltSite {
    let output: URL
    let result: BuildResult

    static func build(content: URL, project: URL? = nil, templates: URL? = nil, output: URL? = nil, strict: Bool = false,
                      incremental: Bool = true, clockOffset: Double = 0, verifyPageKeys: Bool = true,
                      configure: (inout SiteConfig) -> Void = { _ in }) throws -> BuiltSite {
        let root = project ?? ScratchFolder.name("promptsite-site")
        var config = SiteConfig(root: root)
        config.contentDirectory = content
        config.templatesDirectory = templates ?? root.appendingPathComponent("Templates")
        config.outputDirectory = output ?? root.appendingPathComponent("Output")
        config.defaultProviders = ["inkwell"]
        config.title = "Lanternfall prompt catalog"
        configure(&config)
        var request = BuildRequest(config: config, strict: strict, project: root, incremental: incremental)
        // Test builds check that a page whose key matched the last build's is the same page
        // (unless a test builds as a user's build does, with keyed files fingerprinted by their keys).
        request.verifyPageKeys = verifyPageKeys
        if clockOffset != 0 { request.wallClock = { Date().timeIntervalSince1970 + clockOffset } }
        let result = try buildSite(request)
        return BuiltSite(output: config.outputDirectory, result: result)
    }

    /// The sample content, built once per test process and shared by every suite that only reads it.
    static func sample() throws -> BuiltSite { try sharedSample.get() }

    private static let sharedSample = Result<BuiltSite, any Error> { try build(content: Repository.sampleContent) }

    func text(_ path: String) throws -> String {
        try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
    }

    func json(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent(path)))
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: output.appendingPathComponent(path).path)
    }

    /// Every file of the output, relative, sorted.
    func files() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: output.path)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: output.appendingPathComponent(path).path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }
}

extension BuiltSite {
    /// Checks every `href`/`src` of the pages: no absolute or network URLs, every relative
    /// file exists, and every `#anchor` names an element of its page. Returns the links checked
    /// and the problems found.
    func linkProblems(in pages: [String]? = nil) throws -> (checked: Int, problems: [String]) {
        var checked = 0
        var problems: [String] = []
        for page in pages ?? files().filter({ $0.hasSuffix(".html") && $0 != "404.html" }) {
            let html = try text(page)
            let ids = Set(html.matches(of: /id="([^"]*)"/).map { String($0.1) })
            let base = output.appendingPathComponent(page).deletingLastPathComponent()
            for match in html.matches(of: /(?:href|src)="([^"]*)"/) {
                let target = String(match.1).replacingOccurrences(of: "&amp;", with: "&")
                checked += 1
                if target.isEmpty || target.hasPrefix("/") || target.contains("://") {
                    problems.append("\(page): absolute, empty or network link `\(target)`")
                } else if target.hasPrefix("#") {
                    if !ids.contains(String(target.dropFirst())) { problems.append("\(page): missing anchor \(target)") }
                } else {
                    let file = String(target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
                    if !FileManager.default.fileExists(atPath: base.appendingPathComponent(file).standardizedFileURL.path) {
                        problems.append("\(page): missing \(target)")
                    }
                }
            }
        }
        return (checked, problems)
    }
}

func count(_ needle: String, in haystack: String) -> Int {
    haystack.components(separatedBy: needle).count - 1
}
