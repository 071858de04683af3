import Checks
import Diagnostics
import Foundation
import Project
import PromptCatalog
import TestSupport

/// Runs every rule on a catalog loaded in memory from `files` (no disk, no log reading), plus a
/// provider `p` (prompt limit 1000, negative 200) unless the files define providers themselves.
func check(_ files: [String: String], defaultProviders: [String] = ["p"], policy: CheckPolicy = CheckPolicy(),
           pluginCodePatterns: [(key: String, pattern: Located<String>)] = []) throws -> [Diagnostic] {
    var files = files
    if !files.keys.contains(where: { $0.hasPrefix("providers/") }) { files["providers/p.yaml"] = Fixture.provider("p") }
    var config = SiteConfig(root: URL(fileURLWithPath: "/in-memory-project"))
    config.defaultProviders = defaultProviders
    config.checks = policy
    config.pluginCodePatterns = pluginCodePatterns
    let project = Project(config: config, loaded: CatalogLoader.load(files: files))
    return runChecks(project).diagnostics
}

/// One family `a` with the given versions (front matter, body) and optional family.yaml extras.
func family(_ versions: [(String, String)], familyExtra: String = "") -> [String: String] {
    var files = ["prompts/a/family.yaml": Fixture.family(extra: familyExtra)]
    for (index, version) in versions.enumerated() {
        files["prompts/a/v\(index + 1).prompt"] = Fixture.version(version.0, version.1)
    }
    return files
}

extension Array where Element == Diagnostic {
    func codes(_ code: String) -> [Diagnostic] { filter { $0.code == code } }
    var codeList: [String] { map(\.code) }
}
