import Diagnostics
import PromptCatalog
import PromptTemplates

/// program-variable (warning), program-duplicate-id, program-missing-path (warning),
/// program-list-rendered (warning), program-spaced-variable (warning). Parse-level program problems (`program-expression`,
/// `program-stage`, `program-match-key`) are reported while loading.
enum ProgramRules {
    static func check(_ context: CheckContext) -> [Diagnostic] {
        let programs = context.catalog.programs
        let contexts = context.catalog.contexts
        return duplicateIDs(programs) + programs.flatMap(unknownVariables)
            + programs.flatMap { missingPaths($0, contexts: contexts) } + programs.flatMap { renderedContainers($0, contexts: contexts) }
            + programs.flatMap(spacedReferences)
    }

    /// A path is known when it (or its root) is one of the program's inputs, when it is one of the
    /// flat keys PixSim7's narrative context holds (`npc.name`, `affinity`, `flags.<name>`…), or
    /// when it is `null` (PixSim7 reads that name, like any path nothing holds, as 0).
    static func isKnown(_ path: VariablePath, in program: PromptProgram) -> Bool {
        let inputs = program.inputs.names
        let root = String(path.description.split(separator: ".", omittingEmptySubsequences: false).first ?? "")
        return inputs.contains(root) || inputs.contains(path.description)
            || ContextSchema.isProgramVariable(path.description) || path.description == "null"
    }

    /// `program-variable`: each unknown path once per program, at its first condition or template.
    static func unknownVariables(_ program: PromptProgram) -> [Diagnostic] {
        var reported = Set<VariablePath>()
        var diagnostics: [Diagnostic] = []
        let candidates = program.inputs.names + ContextSchema.programVariables
        for read in program.pathsRead where !isKnown(read.path, in: program) && reported.insert(read.path).inserted {
            let (path, location, stage) = (read.path, read.location, read.stage)
            let suggestion = closestMatch(to: path.description, in: candidates).map { "did you mean `\($0)`? " } ?? ""
            diagnostics.append(.warning("program-variable",
                                        "stage `\(stage)` of program `\(program.id)` reads `\(path)`, which is neither an input of the program nor a key of PixSim7's narrative context",
                                        at: location, hint: "\(suggestion)list it in `inputs.required` or `inputs.optional`, or use a flat context key such as `npc.name` or `relationship_tier`"))
        }
        return diagnostics
    }

    /// `program-missing-path`: a path the program reads that none of the contexts in `contexts/`
    /// provides (looked up as PixSim7 does: one flat key for templates and selectors, the key or a
    /// walk through nested maps for conditions). Once per path and use; nothing when there are no contexts.
    static func missingPaths(_ program: PromptProgram, contexts: [PreviewContext]) -> [Diagnostic] {
        guard !contexts.isEmpty else { return [] }
        var reported = Set<String>()
        var diagnostics: [Diagnostic] = []
        for read in program.pathsRead where read.path.description != "null"
            && !contexts.contains(where: { $0.provides(read.path, for: read.use) }) && reported.insert("\(read.use)\u{0}\(read.path)").inserted {
            let (path, location, stage, use) = (read.path, read.location, read.stage, read.use)
            let nested = use == .template && contexts.contains { ProgramExpression.lookup(VariablePath(path.description), in: $0.values.root) != nil }
            let hint = nested
                ? "a context holds it as nested maps, but PixSim7 looks `{{\(path)}}` up as one flat key: write `\(path): …` at the top of the context"
                : "add `\(path)` to a context in `contexts/` as a flat key, the way PixSim7's `NarrativeContext.to_template_vars()` passes it"
            diagnostics.append(.warning("program-missing-path",
                                        "stage `\(stage)` of program `\(program.id)` reads `\(path)`, which no context provides; \(use.whenMissing)",
                                        at: location, hint: hint))
        }
        return diagnostics
    }

    /// `program-list-rendered`: a template renders a list or a map, which PixSim7 writes as
    /// Python's repr (`['warm', 'teasing']`). Once per template and key, naming the contexts.
    static func renderedContainers(_ program: PromptProgram, contexts: [PreviewContext]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for stage in program.stages {
            for template in stage.templates {
                let keys = PixSimTemplate.keys(in: template.value.source)
                for key in keys {
                    let holding = contexts.filter { $0.values.root[key]?.isContainer == true }
                    guard let first = holding.first, let value = first.values.root[key] else { continue }
                    diagnostics.append(.warning("program-list-rendered",
                                                "stage `\(stage.id)` of program `\(program.id)` renders `{{\(key)}}`, a \(value.isList ? "list" : "map") in \(holding.map(\.id).joined(separator: ", ")), as Python's repr: \(value.pixSimText)",
                                                at: template.location,
                                                hint: "PixSim7 sends that text as is; give the context a text value (e.g. `\(key): gruff, loyal`) if the prompt should read naturally"))
                }
            }
        }
        return diagnostics
    }

    /// `program-spaced-variable`: `{{ key }}` with spaces inside the braces. PixSim7 looks up
    /// `key` but replaces only `{{key}}`, so the reference stays in the prompt as written.
    static func spacedReferences(_ program: PromptProgram) -> [Diagnostic] {
        program.stages.flatMap { stage in
            stage.templates.flatMap { template in
                var seen = Set<String>()
                return PixSimTemplate.references(in: template.value.source)
                    .filter { $0.written != $0.key && !$0.key.isEmpty && seen.insert($0.written).inserted }
                    .map { reference in
                        Diagnostic.warning("program-spaced-variable",
                                           "stage `\(stage.id)` of program `\(program.id)` writes `{{\(reference.written)}}`; PixSim7 replaces only `{{\(reference.key)}}`, so this stays in the prompt as written",
                                           at: template.location, hint: "remove the spaces: `{{\(reference.key)}}`")
                    }
            }
        }
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
