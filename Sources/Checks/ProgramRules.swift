import Diagnostics
import PromptCatalog
import PromptTemplates

/// program-variable (warning), program-duplicate-id. Parse-level program problems
/// (`program-expression`, `program-stage`) are reported while loading.
enum ProgramRules {
    static func check(_ context: CheckContext) -> [Diagnostic] {
        duplicateIDs(context.catalog.programs) + context.catalog.programs.flatMap(unknownVariables)
    }

    /// A path is known when its root (or the whole dotted path) is one of the program's
    /// inputs, or when it belongs to a built-in context scope (SPEC §2.9).
    static func isKnown(_ path: VariablePath, in program: PromptProgram) -> Bool {
        let inputs = program.inputs.names
        return inputs.contains(path.root) || inputs.contains(path.description)
            || ContextSchema.field(path) != nil
            || (!path.isDotted && ContextSchema.scopes.contains(path.root))
    }

    /// `program-variable`: each unknown path once per program, at its first condition or template.
    static func unknownVariables(_ program: PromptProgram) -> [Diagnostic] {
        var reported = Set<VariablePath>()
        var diagnostics: [Diagnostic] = []
        let candidates = program.inputs.names + ContextSchema.fixedPaths
        func visit(_ path: VariablePath, at location: SourceLocation, in stage: String) {
            guard !isKnown(path, in: program), reported.insert(path).inserted else { return }
            let suggestion = closestMatch(to: path.description, in: candidates).map { "did you mean `\($0)`? " } ?? ""
            diagnostics.append(.warning("program-variable",
                                        "stage `\(stage)` of program `\(program.id)` reads `\(path)`, which is neither an input of the program nor a context path",
                                        at: location, hint: "\(suggestion)list it in `inputs.required` or `inputs.optional`, or use a context scope such as `npc.name`"))
        }
        for stage in program.stages {
            for condition in stage.conditions {
                for path in condition.expression?.paths ?? [] { visit(path, at: condition.location, in: stage.id) }
            }
            for template in stage.templates {
                for path in template.value.variablePaths { visit(path, at: template.location, in: stage.id) }
            }
        }
        return diagnostics
    }

    /// `program-duplicate-id`: a program whose id an earlier file already uses.
    static func duplicateIDs(_ programs: [PromptProgram]) -> [Diagnostic] {
        var first: [String: PromptProgram] = [:]
        var diagnostics: [Diagnostic] = []
        for program in programs {
            if let earlier = first[program.id] {
                diagnostics.append(.error("program-duplicate-id", "program id `\(program.id)` is also used by \(earlier.file)",
                                          at: program.idLocation, hint: "give each program a unique `id`"))
            } else {
                first[program.id] = program
            }
        }
        return diagnostics
    }
}
