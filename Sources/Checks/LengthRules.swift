import Diagnostics
import PromptCatalog
import PromptTemplates

/// over-limit (example, worst case, negative prompt), unbounded-length and preview-too-long.
enum LengthRules {
    static func check(_ context: CheckContext) -> [Diagnostic] {
        parallelFlatMap(context.catalog.families.flatMap(\.versions)) { check($0, context: context) }
    }

    static func check(_ version: PromptVersion, context: CheckContext) -> [Diagnostic] {
        // A template with syntax errors has no meaningful length.
        guard version.template.errors.isEmpty else { return [] }
        let lengths = context.lengths(of: version)
        let start = version.location(of: TemplatePosition(line: 1, column: 1))
        var diagnostics: [Diagnostic] = []
        let exampleName = version.examples.first.map { "example `\($0.name)`" } ?? "the default preview"
        if context.project.lengths.of(version, in: context.catalog).previewCut {
            diagnostics.append(.error("preview-too-long", "\(exampleName) renders to more than \(Template.maximumRenderedBytes >> 20) MB; previews and lengths stop there",
                                      at: start, hint: "a long value is repeated many times: shorten the default and example values or the repetitions of their variables"))
        }
        for length in lengths {
            let provider = length.provider
            if let limit = length.limit {
                if length.exampleLength > limit {
                    diagnostics.append(.error("over-limit", "\(exampleName) renders to \(length.exampleLength) characters, \(length.exampleLength - limit) over \(provider.id)'s limit of \(limit)",
                                              at: start, hint: "shorten the template or the example values, or validate against a provider with a larger limit"))
                } else if length.worstCase.length > limit {
                    let qualifier = length.worstCase.isBounded ? "" : "at least "
                    diagnostics.append(.warning("over-limit", "the worst case renders to \(qualifier)\(length.worstCase.length) characters, over \(provider.id)'s limit of \(limit)",
                                                at: start, hint: "lower `max_length` or shorten enum values and pool entries so every value fits"))
                }
            }
            if let negative = length.negativeLength, let limit = provider.negativePromptLimit, negative > limit, let location = version.negative?.location {
                diagnostics.append(.error("over-limit", "the negative prompt is \(negative) characters, \(negative - limit) over \(provider.id)'s negative limit of \(limit)",
                                          at: location, hint: "shorten `negative`"))
            }
        }
        let worst = lengths.first?.worstCase ?? context.catalog.variables(of: version).worstCaseLength()
        if !worst.isBounded, lengths.contains(where: { $0.limit != nil }) {
            let paths = worst.unboundedPaths
            let first = version.template.references.first { $0.path == paths[0] }
            let names = paths.map { "`\($0)`" }.joined(separator: ", ")
            diagnostics.append(.warning("unbounded-length", "the worst-case length is unknown: \(names) \(paths.count == 1 ? "has" : "have") no longest value",
                                        at: first.map { version.location(of: $0.position) } ?? start,
                                        hint: unboundedHint(paths[0], version: version)))
        }
        return diagnostics
    }

    private static func unboundedHint(_ path: VariablePath, version: PromptVersion) -> String {
        guard let spec = version.variable(path) else {
            return "declare `\(path): { type: string, max_length: N, required: false }` under `variables:` to bound it"
        }
        switch spec.type {
        case .float?: return "give `\(path)` both `min` and `max`"
        case nil: return "give `\(path)` a known `type`"
        default: return "give `\(path)` a `max_length`"
        }
    }
}

/// Runs `transform` on all cores and concatenates the results in input order.
func parallelFlatMap<Input: Sendable>(_ inputs: [Input], _ transform: @Sendable (Input) -> [Diagnostic]) -> [Diagnostic] {
    parallelMap(inputs, transform).flatMap { $0 }
}
