import Diagnostics
import Project

/// `near-duplicate` infos from the project's clusters: at most one per prompt (see `SimilarPrompts.diagnostics`).
enum SimilarityRules {
    static func check(_ context: CheckContext) -> [Diagnostic] {
        context.project.similar.diagnostics()
    }
}
