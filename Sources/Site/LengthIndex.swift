import Project
import PromptCatalog

/// Every version's lengths per provider, as the project model computed them once; read by the
/// version pages, the provider pages and the JSON API.
struct LengthIndex: Sendable {
    let project: Project

    init(_ project: Project) {
        self.project = project
    }

    func of(_ version: PromptVersion) -> [ProviderLength] { project.lengths(of: version) }
}
