import Diagnostics
import PromptCatalog
import PromptTemplates

/// include-unresolved, include-cycle, include-depth, include-variable-conflict, include-unpinned:
/// what composing each version (and each action block's prompt) found.
public enum IncludeRules {
    static func check(_ context: CheckContext) -> [Diagnostic] {
        check(context, everyCycleMember: false)
    }

    /// `everyCycleMember`: each version of an include cycle reports it in its own file, as `render`
    /// needs (every member's text leaves the include out); `check` reports a cycle once.
    static func check(_ context: CheckContext, everyCycleMember: Bool) -> [Diagnostic] {
        let catalog = context.catalog
        let versions = catalog.families.flatMap(\.versions).filter(\.template.hasIncludes)
        let blocks = catalog.blocks.filter(\.prompt.hasIncludes)
        return parallelFlatMap(versions) { check($0, catalog: catalog, everyCycleMember: everyCycleMember) } + blocks.flatMap { check($0, catalog: catalog) }
    }

    static func check(_ version: PromptVersion, catalog: Catalog, everyCycleMember: Bool = false) -> [Diagnostic] {
        let composed = catalog.composed(version)
        var diagnostics: [Diagnostic] = []
        for problem in composed.problems {
            switch problem {
            case .unresolved(let reference, let includer, let reason, let suggestion):
                // Reported where it is written, once.
                guard includer == version.id else { continue }
                diagnostics.append(unresolved(reference, reason: reason, suggestion: suggestion, family: catalog.family(reference.family),
                                              at: version.location(of: reference.position)))
            case .cycle(let ids, let entry):
                // Every member of the cycle finds it; the smallest id reports it (each member, for `render`).
                guard ids.first == version.id, everyCycleMember || version.id == ids.dropLast().min() else { continue }
                diagnostics.append(.error("include-cycle", "includes form a cycle: \(ids.joined(separator: " → "))",
                                          at: version.location(of: entry.position),
                                          hint: "a prompt cannot include itself, directly or through others; remove one include of the cycle"))
            case .tooDeep(let ids, let entry):
                diagnostics.append(.error("include-depth", "includes nest \(ids.count - 1) deep, more than \(maximumIncludeDepth): \(ids.joined(separator: " → "))",
                                          at: version.location(of: entry.position),
                                          hint: "flatten the chain: include the deeper snippets directly, or merge some of them"))
            case .tooMany(let entry):
                diagnostics.append(.error("include-depth", "includes expand to more than \(maximumIncludedTexts) included texts; the rest are left out",
                                          at: version.location(of: entry.position),
                                          hint: "a snippet that includes another several times multiplies at every level; include each piece once"))
            case .tooLarge(let entry):
                diagnostics.append(.error("include-depth", "includes expand to more than \(maximumComposedBytes >> 20) MB of text; the includes past it are left out",
                                          at: version.location(of: entry.position),
                                          hint: "a long snippet included several times multiplies at every level; include each piece once"))
            }
        }
        for conflict in composed.conflicts {
            let ownDeclaration = conflict.keptBy == version.id
            diagnostics.append(.error("include-variable-conflict",
                                      "`\(conflict.path)` is \(article(conflict.kept.type)) in \(conflict.keptBy) but \(article(conflict.other.type)) in \(conflict.otherBy), which \(version.id) includes",
                                      at: ownDeclaration ? conflict.kept.location : version.location(of: conflict.entry.position),
                                      hint: "declare `\(conflict.path)` with the same type on both sides, or rename one of them"))
        }
        if let family = catalog.family(version.family), family.label("production")?.version == version.number {
            var reported = Set<TemplatePosition>()
            for include in composed.includes where include.reference.selector == .latest && reported.insert(include.entry.position).inserted {
                let through = include.depth == 1 ? "" : " (through \(include.entry.target))"
                diagnostics.append(.warning("include-unpinned",
                                            "production version \(version.id) includes `\(include.reference.family)` by its latest version (now \(include.version.id))\(through): its text changes when that family gets a new version",
                                            at: version.location(of: include.entry.position),
                                            hint: "pin it: `{{> \(include.reference.family)@production}}` or `{{> \(include.version.id)}}`"))
            }
        }
        return diagnostics
    }

    /// An action block's prompt: only what is written there (cycles are reported on the versions).
    static func check(_ block: ActionBlock, catalog: Catalog) -> [Diagnostic] {
        let at = block.promptLocation ?? block.idLocation
        return catalog.composed(block.prompt).problems.compactMap { problem in
            switch problem {
            case .unresolved(let reference, nil, let reason, let suggestion):
                let found = unresolved(reference, reason: reason, suggestion: suggestion, family: catalog.family(reference.family), at: at)
                return Diagnostic(found.level, found.code, "in the prompt of block `\(block.id)`: \(found.message)", at: at, hint: found.hint)
            case .tooDeep(let ids, _):
                return .error("include-depth", "in the prompt of block `\(block.id)`: includes nest \(ids.count) deep, more than \(maximumIncludeDepth): \(ids.joined(separator: " → "))",
                              at: at, hint: "flatten the chain: include the deeper snippets directly, or merge some of them")
            default:
                return nil
            }
        }
    }

    /// The rules `render` runs for the text it prints: templates and includes, with every member of
    /// an include cycle reporting it (reported only on the smallest, `render` of the others exited 0).
    public static let renderRules: [CheckRule] = [
        CheckRule(name: "templates", run: TemplateRules.check),
        CheckRule(name: "includes", run: { check($0, everyCycleMember: true) }),
    ]

    private static func unresolved(_ reference: IncludeReference, reason: String, suggestion: String?, family: PromptFamily?, at location: SourceLocation) -> Diagnostic {
        let hint: String
        if let suggestion {
            hint = "did you mean `{{> \(suggestion)}}`?"
        } else if let family, case .label = reference.selector {
            hint = family.labels.isEmpty ? "`\(family.slug)` has no labels; include a version number, e.g. `{{> \(family.slug)@1}}`"
                : "labels of `\(family.slug)`: \(family.labels.map(\.name).joined(separator: ", "))"
        } else if family != nil {
            hint = "include an existing version, or its latest with `{{> \(reference.family)}}`"
        } else {
            hint = "an include names a family (a folder under prompts/): `{{> family}}`, `{{> family@label}}` or `{{> family@N}}`"
        }
        return .error("include-unresolved", "`\(reference.source)` includes nothing: \(reason)", at: location, hint: hint)
    }

    private static func article(_ type: VariableType?) -> String {
        guard let type else { return "untyped" }
        return (type == .int || type == .enum ? "an " : "a ") + type.rawValue
    }
}
