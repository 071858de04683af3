import Diagnostics
import Foundation
import PromptTemplates

/// A narrative program from `programs/**/*.json` (SPEC §2.5), PixSim7's format read as it is:
/// what was written, with places, and the `NarrativeProgram` that evaluates it.
public struct PromptProgram: Sendable {
    public let id: String
    public let file: String
    public let location: SourceLocation
    public let idLocation: SourceLocation
    public let version: String?
    public let description: String?
    public let inputs: Inputs
    public let stages: [Stage]
    /// The runnable program: stages as loaded, conditions that failed to parse left out.
    public let program: NarrativeProgram
    public let unknownFields: [SourceNode.Member]

    public struct Inputs: Sendable {
        public let required: [Located<String>]
        public let optional: [Located<String>]

        public var names: [String] { (required + optional).map(\.value) }
    }

    public struct Stage: Sendable {
        public let id: String
        public let idLocation: SourceLocation
        /// `type` as written (`template`, `conditional`, `selector`, `formatter`, or anything else).
        public let type: String
        public let location: SourceLocation
        /// `metadata` as written: kept and shown, never interpreted.
        public let metadata: SourceNode?
        public let conditions: [Condition]
        /// Every template of the stage with where its string is written.
        public let templates: [Located<Template>]
        /// The stage ids `combine` formatters read, with where each is written.
        public let combineSources: [Located<String>]
        /// The `match` keys of its selectors, with where each is written.
        public let matchKeys: [Located<String>]
        public let kind: ProgramStage.Kind
        /// What in `metadata` makes PixSim7 raise when it runs the stage.
        public let metadataFailures: [ProgramStage.MetadataFailure]
    }

    /// One `test` of a conditional stage.
    public struct Condition: Sendable {
        public let source: String
        /// Where the `test` string is written.
        public let location: SourceLocation
        public let parsed: Result<ProgramExpression, ExpressionSyntaxError>

        public var expression: ProgramExpression? { try? parsed.get() }
    }

    public func stage(_ id: String) -> Stage? { stages.first { $0.id == id } }
}

/// What one program file holds and the problems found while reading it.
public struct ProgramFile: Sendable {
    public let program: PromptProgram?
    public let diagnostics: [Diagnostic]
}

/// Loads `programs/**/*.json`. Parse-level problems are reported here: `json-syntax`,
/// `invalid-field` (mistyped values), `program-expression` (a condition that does not parse)
/// and `program-stage` (a stage that cannot run as written). Rules over the whole catalog
/// (unknown variables, duplicate program ids) are in Checks.
public enum ProgramLoader {
    static let folder = "programs"
    public static let stageTypes = ["template", "conditional", "selector", "formatter"]
    public static let formatterTypes = ["combine", "append", "prepend"]

    static func load(_ tree: ContentTree) -> (programs: [PromptProgram], diagnostics: [Diagnostic], files: [String]) {
        let found = tree.jsonFiles(under: folder, what: "program")
        let entries = found.entries
        var diagnostics = found.diagnostics
        let loaded = parallelMap(entries) { entry -> ProgramFile in
            // PixSim7 reads the file with `json.load`, which refuses a byte-order mark: it is kept.
            switch SourceFile.read(entry, keepingByteOrderMark: true) {
            case .success(let text): parse(text, file: entry.path)
            case .failure(let diagnostic): ProgramFile(program: nil, diagnostics: [diagnostic])
            }
        }
        diagnostics += loaded.flatMap(\.diagnostics)
        return (loaded.compactMap(\.program), diagnostics, entries.map(\.path))
    }

    /// Reads the text of one program file as Python's `json.load` reads it (`PythonJSON`);
    /// `file` is its content-relative path.
    public static func parse(_ text: String, file: String) -> ProgramFile {
        let root: SourceNode
        var diagnostics: [Diagnostic] = []
        switch PythonJSON.read(text, file: file, what: "the program file") {
        case .failure(let diagnostic): return ProgramFile(program: nil, diagnostics: [diagnostic])
        case .success(let read):
            root = read.node
            diagnostics = read.diagnostics
        }
        guard root.members != nil else {
            return ProgramFile(program: nil, diagnostics: [.error("invalid-field", "a program file must be a JSON object, found \(root.kindName)",
                                                                  at: root.location, hint: shapeHint)])
        }
        var reader = JSONObjectReader(root, schema: ContentSchemas.program, what: "this program")
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let id = reader.string("id")
        if let id, let problem = PublishedName.problem(id.value) {
            reader.report(.warning("long-name", "the id of program `\(id.value.prefix(40))…` \(problem)", at: id.location,
                                   hint: "use a shorter id (at most \(PublishedName.longestSegment) bytes as a file name)"))
        }
        if id == nil, root["id"]?.isNull ?? true {
            reader.report(.error("invalid-field", "the program has no `id`; using the file name `\(stem)`", at: root.location,
                                 hint: "add `\"id\": \"\(stem)\"`"))
        }
        let version = reader.string("version")?.value
        // `version: str` and `inputs: Dict[str, List[str]]` are not Optional: null is refused.
        for key in ["version", "inputs"] where root[key]?.isNull == true {
            diagnostics.append(pixSimRaises("`\(key)` is null", at: root[key]?.location,
                                            hint: key == "version" ? "write `\"version\": \"1.0.0\"` or leave it out" : "write `\"inputs\": {}` or leave it out"))
        }
        let description = reader.string("description")?.value
        var inputs = PromptProgram.Inputs(required: [], optional: [])
        if let node = reader.object("inputs") {
            var inputReader = JSONObjectReader(node, schema: ContentSchemas.programInputs, what: "`inputs`")
            inputs = PromptProgram.Inputs(required: inputReader.strings("required"), optional: inputReader.strings("optional"))
            diagnostics += inputReader.diagnostics
            // PixSim7's `Dict[str, List[str]]`: every other key must hold a list of strings too.
            for member in node.members ?? [] where member.value.isNull || (member.key != "required" && member.key != "optional") {
                guard !(member.value.items?.allSatisfy({ $0.string != nil }) ?? false) else { continue }
                diagnostics.append(pixSimRaises("`inputs.\(member.key)` must be a list of strings", at: member.value.location,
                                                hint: "write `\"\(member.key)\": [\"a\", \"b\"]`, or move it out of `inputs`"))
            }
        }
        var stages: [PromptProgram.Stage] = []
        if let node = reader.value("stages") {
            if let items = node.items {
                stages = items.enumerated().compactMap { index, item in stage(item, number: index + 1, diagnostics: &diagnostics) }
            } else {
                reader.mistyped("stages", node, expected: "an array of stages")
            }
        } else {
            reader.report(.error("program-stage", "the program has no `stages`", at: root.location,
                                 hint: "add `\"stages\": [{\"id\": ..., \"type\": \"template\", \"template\": ...}]`"))
        }
        diagnostics += stageReferenceProblems(stages)
        let programID = id?.value ?? stem
        let program = PromptProgram(
            id: programID, file: file, location: root.location, idLocation: id?.location ?? root.location,
            version: version, description: description, inputs: inputs, stages: stages,
            program: NarrativeProgram(id: programID, stages: stages.map { ProgramStage(id: $0.id, kind: $0.kind, metadataFailures: $0.metadataFailures) }),
            unknownFields: reader.unknownFields)
        return ProgramFile(program: program, diagnostics: reader.diagnostics + diagnostics)
    }

    /// A field PixSim7's pydantic models refuse: `PromptProgram.from_json` raises and the program
    /// gives no prompt at all.
    static func pixSimRaises(_ problem: String, at location: SourceLocation?, hint: String, exception: String = "ValidationError") -> Diagnostic {
        .error("program-stage", "\(problem); PixSim7 raises a \(exception) and loads no program", at: location, hint: hint)
    }

    /// The fields of each stage type: PixSim7 validates all of them on every stage, and a stage's
    /// own fields are checked where they are read.
    static let stageFields = ["template": ["template"], "conditional": ["conditions"], "selector": ["selectors", "default"], "formatter": ["formatters"]]

    /// What PixSim7's `PromptProgram.from_json` refuses in the fields a stage's type does not use
    /// (`PromptStage` validates every field whatever `type` says): `template` not a string,
    /// `default` not an object of strings, and `conditions`, `selectors` or `formatters` that are
    /// null or not a list (iterated first: a TypeError), or whose items are not valid models.
    static func otherFieldProblems(_ node: SourceNode, stage: String, type: String?) -> [Diagnostic] {
        let own = type.flatMap { stageFields[$0] } ?? []
        var problems: [Diagnostic] = []
        if !own.contains("template"), let value = node["template"], !value.isNull, value.string == nil {
            problems.append(pixSimRaises("`template` of stage `\(stage)` must be a string, found \(value.kindName)", at: value.location,
                                         hint: "quote it, or leave it out: a \(type ?? "") stage does not read it"))
        }
        let models: [(key: String, fields: [(String, PydanticField)])] = [
            ("conditions", [("test", .string), ("template", .string)]),
            ("selectors", [("match", .object), ("template", .string)]),
            ("formatters", formatterFields),
        ]
        for (key, fields) in models where !own.contains(key) {
            guard let value = node[key] else { continue }
            let what = "`\(key)` of stage `\(stage)`"
            switch value.kind {
            case .scalar(.string(let text), _) where text.isEmpty: continue
            case .mapping(let members) where members.isEmpty: continue
            case .scalar(.string, _), .mapping:
                // Iterated as characters or keys: items that are not objects.
                problems.append(pixSimRaises("\(what) must be a list of objects, found \(value.kindName)", at: value.location,
                                             hint: "write `[]`, or leave it out: a \(type ?? "") stage does not read it"))
            case .scalar:
                problems.append(pixSimRaises("\(what) is \(value.kindName), which PixSim7 iterates", at: value.location,
                                             hint: "write `[]`, or leave it out: a \(type ?? "") stage does not read it", exception: "TypeError"))
            case .sequence(let items):
                for (index, item) in items.enumerated() {
                    problems += modelProblems(item, fields: fields, what: "item \(index + 1) of \(what)")
                }
            }
        }
        if !own.contains("default"), let value = node["default"], !value.isNull {
            if let members = value.members {
                for member in members where member.value.string == nil {
                    problems.append(pixSimRaises("`default.\(member.key)` of stage `\(stage)` must be a string", at: member.value.location,
                                                 hint: "quote it, or leave `default` out: a \(type ?? "") stage does not read it"))
                }
            } else {
                problems.append(pixSimRaises("`default` of stage `\(stage)` must be an object of strings, found \(value.kindName)", at: value.location,
                                             hint: "leave it out: a \(type ?? "") stage does not read it"))
            }
        }
        return problems
    }

    /// A field of one of PixSim7's pydantic models, as its annotation types it.
    enum PydanticField {
        /// `str`: required, a string.
        case string
        /// `Optional[str]`
        case optionalString
        /// `Optional[List[str]]`
        case optionalStrings
        /// `Dict[str, Any]`: required, an object.
        case object
    }

    static let formatterFields: [(String, PydanticField)] = [("type", .string), ("template", .optionalString), ("separator", .optionalString), ("sources", .optionalStrings)]

    /// Where pydantic refuses `item` as the model with these fields (each problem at its place).
    static func modelProblems(_ item: SourceNode, fields: [(String, PydanticField)], what: String) -> [Diagnostic] {
        guard item.members != nil else {
            return [pixSimRaises("\(what) must be an object, found \(item.kindName)", at: item.location, hint: "write `{...}` or remove it")]
        }
        var problems: [Diagnostic] = []
        for (key, field) in fields {
            let value = item[key]
            let refused: String?
            switch field {
            case .string: refused = value == nil ? "has no `\(key)`" : value?.string == nil ? "has `\(key)` that is not a string" : nil
            case .optionalString: refused = value.map { $0.isNull || $0.string != nil } == false ? "has `\(key)` that is not a string" : nil
            case .optionalStrings:
                refused = value.map { $0.isNull || ($0.items?.allSatisfy { $0.string != nil } ?? false) } == false ? "has `\(key)` that is not a list of strings" : nil
            case .object: refused = value == nil ? "has no `\(key)`" : value?.members == nil ? "has `\(key)` that is not an object" : nil
            }
            if let refused {
                problems.append(pixSimRaises("\(what) \(refused)", at: value?.location ?? item.location, hint: "PixSim7 validates every field it knows, whatever the type"))
            }
        }
        return problems
    }

    /// PixSim7's `StageMetadata`: an object whose `suggested_intents` is a list of objects and whose
    /// `visual_prompt` and `expression_hint` are objects (each may be null or absent).
    static func metadataProblems(_ metadata: SourceNode, stage: String) -> [Diagnostic] {
        guard !metadata.isNull else { return [] }
        guard let members = metadata.members else {
            return [pixSimRaises("`metadata` of stage `\(stage)` must be an object", at: metadata.location,
                                 hint: "write `{\"visual_prompt\": {...}, \"expression_hint\": {...}, \"suggested_intents\": [{...}]}`")]
        }
        var problems: [Diagnostic] = []
        for member in members where !member.value.isNull {
            switch member.key {
            case "suggested_intents" where !(member.value.items?.allSatisfy { $0.members != nil } ?? false):
                problems.append(pixSimRaises("`metadata.suggested_intents` of stage `\(stage)` must be a list of objects", at: member.value.location,
                                             hint: "write `[{\"intent\": ...}]`"))
            case "visual_prompt" where member.value.members == nil, "expression_hint" where member.value.members == nil:
                problems.append(pixSimRaises("`metadata.\(member.key)` of stage `\(stage)` must be an object", at: member.value.location,
                                             hint: "write `{...}`"))
            default:
                break
            }
        }
        return problems
    }

    /// PixSim7's `_process_metadata`, which runs after each stage with metadata: what raises there,
    /// each reported (`program-stage` error) and kept for the run. A `condition` that is not a
    /// string is a ValidationError (`ConditionExpression(expression=…)`); `intents` that Python
    /// cannot iterate (`intents.extend(5)`) and a truthy `visual_prompt.template` that is not a
    /// string (`re.findall` on it) are TypeErrors, raised only when their condition holds.
    static func runFailures(metadata: SourceNode, stage: String, diagnostics: inout [Diagnostic]) -> [ProgramStage.MetadataFailure] {
        var failures: [ProgramStage.MetadataFailure] = []
        func raise(_ exception: String, _ problem: String, at node: SourceNode, condition: ProgramExpression?, hint: String) {
            let when = condition == nil ? "" : " and its `condition` holds"
            diagnostics.append(.error("program-stage", "\(problem); PixSim7 fails with a \(exception) when it runs stage `\(stage)`\(when), sending no prompt",
                                      at: node.location, hint: hint))
            failures.append(ProgramStage.MetadataFailure(condition: condition, failure: ProgramFailure(exception: exception, message: "\(problem) (stage metadata)")))
        }
        /// The `condition` of an entry: `.some(nil)` when there is none, nil when it never holds
        /// (PixSim7 treats a condition that does not parse as false) or raises.
        func condition(of entry: SourceNode, _ what: String) -> ProgramExpression?? {
            guard let written = entry["condition"] else { return .some(nil) }
            guard let text = written.string else {
                raise("ValidationError", "`\(what).condition` of stage `\(stage)` must be a string, found \(written.kindName)", at: written,
                      condition: nil, hint: "write the condition as text, e.g. `\"affinity >= 50\"`")
                return nil
            }
            guard let parsed = try? ProgramExpression.parse(text).get() else { return nil }
            return .some(parsed)
        }
        guard let members = metadata.members else { return [] }
        if let intents = metadata["suggested_intents"]?.items {
            for (index, entry) in intents.enumerated() where entry.members != nil {
                let what = "metadata.suggested_intents[\(index)]"
                guard case .some(let holds) = condition(of: entry, what) else { continue }
                if let listed = entry["intents"], listed.scalar.map({ if case .string = $0 { false } else { true } }) == true {
                    raise("TypeError", "`\(what).intents` of stage `\(stage)` is \(listed.kindName), not a list", at: listed, condition: holds,
                          hint: "write a list: `\"intents\": [\"flirt\"]`")
                }
            }
        }
        for key in ["visual_prompt", "expression_hint"] {
            guard let entry = members.first(where: { $0.key == key })?.value, !(entry.members?.isEmpty ?? true) else { continue }
            guard case .some(let holds) = condition(of: entry, "metadata.\(key)"), key == "visual_prompt",
                  let template = entry["template"], template.string == nil, template.templateValue.pythonTruth else { continue }
            raise("TypeError", "`metadata.visual_prompt.template` of stage `\(stage)` is \(template.kindName), not a string", at: template, condition: holds,
                  hint: "quote it: PixSim7 substitutes `{{variables}}` in it as text")
        }
        return failures
    }

    static let shapeHint = "write `{\"id\": ..., \"inputs\": {...}, \"stages\": [...]}` as in PixSim7's programs"

    // MARK: Stages

    private static func stage(_ node: SourceNode, number: Int, diagnostics: inout [Diagnostic]) -> PromptProgram.Stage? {
        guard node.members != nil else {
            diagnostics.append(.error("program-stage", "stage \(number) must be an object `{\"id\": ..., \"type\": ...}`, found \(node.kindName)",
                                      at: node.location))
            return nil
        }
        var reader = JSONObjectReader(node, schema: ContentSchemas.programStage, what: "stage \(number)")
        defer { diagnostics += reader.diagnostics }
        let id = reader.string("id")
        if id == nil, node["id"]?.isNull ?? true {
            reader.report(.error("program-stage", "stage \(number) has no `id`", at: node.location,
                                 hint: "add `\"id\": \"a_unique_name\"`; formatters refer to stages by id"))
        }
        let stageID = id?.value ?? "stage-\(number)"
        reader.what = "stage `\(stageID)`"
        let type = reader.string("type")
        if type == nil, node["type"]?.isNull ?? true {
            reader.report(.error("program-stage", "stage `\(stageID)` has no `type`", at: id?.location ?? node.location,
                                 hint: "add `\"type\"`: one of \(stageTypes.joined(separator: ", "))"))
        }
        let metadata = reader.value("metadata")
        var metadataFailures: [ProgramStage.MetadataFailure] = []
        if let metadata {
            diagnostics += metadataProblems(metadata, stage: stageID)
            metadataFailures = runFailures(metadata: metadata, stage: stageID, diagnostics: &diagnostics)
        }
        if let description = node["description"], !description.isNull, description.string == nil {
            diagnostics.append(pixSimRaises("`description` of stage `\(stageID)` must be a string", at: description.location, hint: "quote it"))
        }
        diagnostics += otherFieldProblems(node, stage: stageID, type: type?.value)
        var conditions: [PromptProgram.Condition] = []
        var templates: [Located<Template>] = []
        var sources: [Located<String>] = []
        var matchKeys: [Located<String>] = []

        func template(_ reader: inout JSONObjectReader, required: Bool, within: SourceNode) -> Template? {
            guard let text = reader.string("template") else {
                if required, within["template"]?.isNull ?? true {
                    reader.report(.error("program-stage", "\(reader.what) has no `template`", at: within.location,
                                         hint: "add `\"template\": \"text with {{paths}}\"`"))
                }
                return nil
            }
            let parsed = Template(parsing: text.value)
            templates.append(Located(parsed, at: text.location))
            for error in parsed.errors {
                reader.report(.error("template-syntax", "in \(reader.what): \(error.message)", at: text.location, hint: error.hint))
            }
            return parsed
        }

        func objects(_ key: String, item: String) -> [(number: Int, node: SourceNode)] {
            guard let value = reader.value(key) else {
                reader.report(.error("program-stage", "stage `\(stageID)` has no `\(key)`", at: type?.location ?? node.location,
                                     hint: "a \(type?.value ?? "") stage lists its \(key) as an array of objects"))
                return []
            }
            guard let items = value.items else {
                reader.mistyped(key, value, expected: "an array of \(item) objects")
                return []
            }
            return items.enumerated().compactMap { index, item in
                if item.members != nil { return (index + 1, item) }
                reader.report(.error("invalid-field", "`\(key)` of stage `\(stageID)` must list objects, found \(item.kindName)", at: item.location))
                return nil
            }
        }

        let kind: ProgramStage.Kind
        switch type?.value {
        case "template":
            kind = .template(template(&reader, required: true, within: node) ?? Template(parsing: ""))
        case "conditional":
            var runnable: [(test: ProgramExpression, template: Template)] = []
            for (index, item) in objects("conditions", item: "`{\"test\": ..., \"template\": ...}`") {
                var itemReader = JSONObjectReader(item, schema: ContentSchemas.programCondition, what: "condition \(index) of stage `\(stageID)`")
                let body = template(&itemReader, required: true, within: item)
                if let test = itemReader.string("test") {
                    let condition = PromptProgram.Condition(source: test.value, location: test.location, parsed: ProgramExpression.parse(test.value))
                    conditions.append(condition)
                    switch condition.parsed {
                    case .success(let expression):
                        if let body { runnable.append((expression, body)) }
                    case .failure(let error):
                        itemReader.report(.error("program-expression", "condition \(index) of stage `\(stageID)`: \(error.message) at character \(error.offset + 1) of `\(test.value)`",
                                                 at: test.location, hint: error.hint))
                    }
                } else if item["test"]?.isNull ?? true {
                    itemReader.report(.error("program-expression", "condition \(index) of stage `\(stageID)` has no `test`", at: item.location,
                                             hint: "add `\"test\": \"relationship.affinity >= 50\"`"))
                }
                reader.report(contentsOf: itemReader.diagnostics)
            }
            kind = .conditional(runnable)
        case "selector":
            var selectors: [(match: [VariablePath: ProgramStage.MatchRule], template: Template)] = []
            let listed = node["selectors"] != nil
            for (index, item) in listed ? objects("selectors", item: "`{\"match\": {...}, \"template\": ...}`") : [] {
                var itemReader = JSONObjectReader(item, schema: ContentSchemas.typedSelector, what: "selector \(index) of stage `\(stageID)`")
                let body = template(&itemReader, required: true, within: item)
                var rules: [VariablePath: ProgramStage.MatchRule] = [:]
                if let match = itemReader.object("match") {
                    for member in match.members ?? [] {
                        matchKeys.append(Located(member.key, at: member.keyLocation))
                        if let rule = matchRule(member, what: itemReader.what, diagnostics: &diagnostics) {
                            rules[VariablePath(member.key)] = rule
                        }
                    }
                } else if item["match"]?.isNull ?? true {
                    itemReader.report(.error("program-stage", "selector \(index) of stage `\(stageID)` has no `match`", at: item.location,
                                             hint: "add `\"match\": {\"relationship_tier\": \"friend\"}`"))
                }
                if let body { selectors.append((rules, body)) }
                reader.report(contentsOf: itemReader.diagnostics)
            }
            var defaultTemplate: Template?
            if let fallback = reader.object("default") {
                // PixSim7's `Dict[str, str]`: every value a string, not only `template`.
                for member in fallback.members ?? [] where member.value.string == nil {
                    diagnostics.append(pixSimRaises("`default.\(member.key)` of stage `\(stageID)` must be a string", at: member.value.location,
                                                    hint: "quote it, or leave it out: PixSim7 reads only `template`"))
                }
                var defaultReader = JSONObjectReader(fallback, schema: ContentSchemas.programDefault, what: "`default` of stage `\(stageID)`")
                defaultTemplate = template(&defaultReader, required: true, within: fallback)
                reader.report(contentsOf: defaultReader.diagnostics)
            } else if !listed || (node["selectors"]?.items?.isEmpty ?? false) {
                reader.report(.error("program-stage", "selector stage `\(stageID)` has no selectors and no `default`, so it never produces text",
                                     at: type?.location ?? node.location,
                                     hint: "add `\"selectors\": [{\"match\": {...}, \"template\": ...}]` or `\"default\": {\"template\": ...}`"))
            }
            kind = .selector(selectors: selectors, defaultTemplate: defaultTemplate)
        case "formatter":
            var formatters: [ProgramStage.Formatter] = []
            for (index, item) in objects("formatters", item: "`{\"type\": ...}`") {
                var itemReader = JSONObjectReader(item, schema: ContentSchemas.programFormatter, what: "formatter \(index) of stage `\(stageID)`")
                let formatterType = itemReader.string("type")
                // PixSim7's `Formatter` validates every field whatever `type` says.
                let used: [String] = switch formatterType?.value {
                case "combine": ["type", "sources", "separator"]
                case "append", "prepend": ["type", "template"]
                default: ["type"]
                }
                diagnostics += modelProblems(item, fields: formatterFields.filter { !used.contains($0.0) }, what: "formatter \(index) of stage `\(stageID)`")
                switch formatterType?.value {
                case "combine":
                    let named = itemReader.strings("sources")
                    sources += named
                    formatters.append(.combine(sources: named.map(\.value), separator: itemReader.string("separator")?.value ?? "\n"))
                case "append":
                    if let body = template(&itemReader, required: true, within: item) { formatters.append(.append(body)) }
                case "prepend":
                    if let body = template(&itemReader, required: true, within: item) { formatters.append(.prepend(body)) }
                case let other:
                    let written = other.map { "unknown formatter type `\($0)`" } ?? "no `type`"
                    let suggestion = other.flatMap { closestMatch(to: $0, in: formatterTypes) }.map { "did you mean `\($0)`? " } ?? ""
                    itemReader.report(.error("program-stage", "formatter \(index) of stage `\(stageID)` has \(written)",
                                             at: formatterType?.location ?? item.location,
                                             hint: "\(suggestion)formatter types are: \(formatterTypes.joined(separator: ", "))"))
                }
                reader.report(contentsOf: itemReader.diagnostics)
            }
            kind = .formatter(formatters)
        case let other?:
            let suggestion = closestMatch(to: other, in: stageTypes).map { "did you mean `\($0)`? " } ?? ""
            reader.report(.error("program-stage", "stage `\(stageID)` has unknown type `\(other)`; it will produce no output",
                                 at: type?.location ?? node.location, hint: "\(suggestion)stage types are: \(stageTypes.joined(separator: ", "))"))
            kind = .unknown(other)
        case nil:
            kind = .unknown("")
        }
        return PromptProgram.Stage(id: stageID, idLocation: id?.location ?? node.location, type: type?.value ?? "", location: node.location,
                                   metadata: metadata, conditions: conditions, templates: templates, combineSources: sources, matchKeys: matchKeys, kind: kind,
                                   metadataFailures: metadataFailures)
    }

    /// PixSim7's `MatchCriteria`: `"relationship_tier": "friend"` and `intimacy_level` compare text,
    /// `"chemistry": {"min": 70, "max": 100}` (also `affinity`, `trust`, `tension`) is an inclusive range.
    /// Both read the flat top-level variable of that name. Any other key is ignored by PixSim7
    /// (`program-match-key` warning); a rule of the wrong kind makes PixSim7 raise (error).
    /// A value as pydantic's lax `float` takes it: a number, a boolean (1.0, 0.0), or a string
    /// pydantic-core reads (`"50"`, `" 1e2 "`, `"-inf"`, `"nan"`, `"1_000"`); nil for anything else.
    static func pydanticFloat(_ node: SourceNode) -> Double? {
        switch node.templateValue {
        case .int(let number): return Double(number)
        case .double(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        case .string(let text): return pydanticFloat(text)
        default: return nil
        }
    }

    /// pydantic-core's `str_as_float`: the text with Unicode whitespace trimmed, read as Rust's
    /// `f64::from_str`; failing that, the untrimmed text with its underscores removed, when it
    /// has some, none at either end and never two together (`"1_.5"`, `"1_e10"` and `"in_f"` are
    /// numbers; `" 1_0 "` is not). Unlike Python's `float()`, only ASCII digits count.
    static func pydanticFloat(_ text: String) -> Double? {
        let scalars = Array(text.unicodeScalars)
        let isSpace = { (scalar: Unicode.Scalar) in scalar.properties.isWhitespace }
        if let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }),
           let number = rustFloat(scalars[first...last]) {
            return number
        }
        guard scalars.contains("_"), scalars.first != "_", scalars.last != "_",
              !zip(scalars, scalars.dropFirst()).contains(where: { $0 == "_" && $1 == "_" }) else { return nil }
        return rustFloat(scalars.filter { $0 != "_" }[...])
    }

    /// Rust's `f64::from_str`: `[+-]?` then `inf`, `infinity` or `nan` (any case), or ASCII digits
    /// with at most one point and at least one digit, then an optional `[eE][+-]?digits`.
    static func rustFloat(_ scalars: ArraySlice<Unicode.Scalar>) -> Double? {
        guard scalars.allSatisfy(\.isASCII), !scalars.isEmpty else { return nil }
        var body = scalars
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        var word = String.UnicodeScalarView()
        word.append(contentsOf: body)
        switch String(word).lowercased() {
        case "inf", "infinity": return negative ? -.infinity : .infinity
        case "nan": return .nan
        default: break
        }
        func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
        var rest = body[...]
        let whole = rest.prefix(while: isDigit)
        rest = rest.dropFirst(whole.count)
        var fraction = rest.prefix(0)
        let hasPoint = rest.first == "."
        if hasPoint {
            rest = rest.dropFirst()
            fraction = rest.prefix(while: isDigit)
            rest = rest.dropFirst(fraction.count)
        }
        guard !whole.isEmpty || !fraction.isEmpty else { return nil }
        if let e = rest.first, e == "e" || e == "E" {
            rest = rest.dropFirst()
            if let sign = rest.first, sign == "+" || sign == "-" { rest = rest.dropFirst() }
            let exponent = rest.prefix(while: isDigit)
            guard !exponent.isEmpty else { return nil }
            rest = rest.dropFirst(exponent.count)
        }
        guard rest.isEmpty else { return nil }
        var number = String.UnicodeScalarView()
        // Written out in full for Swift's reader: `1.` and `.5` become `01.0` and `0.50`.
        number.append(contentsOf: "0".unicodeScalars)
        number.append(contentsOf: whole)
        number.append(".")
        number.append(contentsOf: fraction)
        number.append("0")
        number.append(contentsOf: body.dropFirst(whole.count + (hasPoint ? 1 + fraction.count : 0)))
        guard let value = Double(String(number)) else { return nil }
        return negative ? -value : value
    }

    private static func matchRule(_ member: SourceNode.Member, what: String, diagnostics: inout [Diagnostic]) -> ProgramStage.MatchRule? {
        let key = member.key
        let value = member.value
        let known = ProgramStage.textMatchKeys + ProgramStage.rangeMatchKeys
        if !known.contains(key) {
            let suggestion = closestMatch(to: key, in: known).map { "did you mean `\($0)`? " } ?? ""
            diagnostics.append(.warning("program-match-key", "PixSim7 ignores `match` key `\(key)` of \(what), so this rule always holds",
                                        at: member.keyLocation,
                                        hint: "\(suggestion)PixSim7's selectors read only \(known.map { "`\($0)`" }.joined(separator: ", ")), as flat variables"))
        }
        if let members = value.members {
            // PixSim7's `Dict[str, float]`: pydantic makes every value a float (numbers, booleans,
            // numeric strings such as "50", "1e2" or "-inf") and raises on anything else.
            var bounds: [String: Double] = [:]
            if ProgramStage.rangeMatchKeys.contains(key) {
                var valid = true
                for bound in members {
                    guard let number = pydanticFloat(bound.value) else {
                        diagnostics.append(.error("program-stage", "`match.\(key).\(bound.key)` of \(what) is not a number; PixSim7 raises a ValidationError",
                                                  at: bound.value.location, hint: "every value of a range is a number, e.g. `{\"min\": 50}`"))
                        valid = false
                        continue
                    }
                    bounds[bound.key] = number
                }
                // Kept as written: evaluating it raises the ValidationError PixSim7 raises.
                if !valid { return .equals(value.templateValue) }
            }
            let min = bounds["min"], max = bounds["max"]
            if ProgramStage.textMatchKeys.contains(key) {
                diagnostics.append(.error("program-stage", "`match.\(key)` of \(what) must be a string; PixSim7 raises a ValidationError", at: value.location,
                                          hint: "write the \(key) to compare with, e.g. `\"friend\"`"))
                return .equals(value.templateValue)
            }
            if min == nil, max == nil {
                diagnostics.append(.warning("program-stage", "`match.\(key)` of \(what) is an object without `min` or `max`, so it always holds",
                                            at: value.location, hint: "write `{\"min\": 50, \"max\": 100}`"))
                return nil
            }
            if let min, let max, min > max {
                diagnostics.append(.error("program-stage", "`match.\(key)` of \(what) has `min` \(TemplateValue.format(min)) above `max` \(TemplateValue.format(max)), so it never matches",
                                          at: value.location, hint: "swap the bounds"))
            }
            return .range(min: min, max: max)
        }
        let templateValue = value.templateValue
        if ProgramStage.rangeMatchKeys.contains(key), templateValue != .null {
            diagnostics.append(.error("program-stage", "`match.\(key)` of \(what) must be `{\"min\": …, \"max\": …}`; PixSim7 raises a ValidationError",
                                      at: value.location, hint: "write a range, e.g. `{\"min\": \(templateValue.renderedText)}`"))
        } else if ProgramStage.textMatchKeys.contains(key), !(templateValue == .null || { if case .string = templateValue { true } else { false } }()) {
            diagnostics.append(.error("program-stage", "`match.\(key)` of \(what) must be a string; PixSim7 raises a ValidationError", at: value.location,
                                      hint: "quote it: `\"\(templateValue.renderedText)\"`"))
        }
        return .equals(templateValue)
    }

    /// Duplicate stage ids, and `combine` sources that name no stage of the program.
    private static func stageReferenceProblems(_ stages: [PromptProgram.Stage]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var first: [String: SourceLocation] = [:]
        for stage in stages {
            if let earlier = first[stage.id] {
                diagnostics.append(.error("program-stage", "stage id `\(stage.id)` is used twice: at \(earlier) and at \(stage.idLocation)",
                                          at: stage.idLocation, hint: "rename one of them; formatters pick stages by id"))
            } else {
                first[stage.id] = stage.idLocation
            }
        }
        let ids = stages.map(\.id)
        // A set: a `combine` of 100,000 sources looked each up in the list.
        let known = Set(ids)
        let listed = ids.prefix(20).joined(separator: ", ") + (ids.count > 20 ? " and \(ids.count - 20) more" : "")
        for stage in stages {
            for source in stage.combineSources where !known.contains(source.value) {
                let suggestion = closestMatch(to: source.value, in: ids).map { "did you mean `\($0)`? " } ?? ""
                diagnostics.append(.error("program-stage", "`combine` in stage `\(stage.id)` names `\(source.value)`, which is no stage of this program",
                                          at: source.location, hint: "\(suggestion)stages: \(listed)"))
            }
        }
        return diagnostics
    }
}

extension JSONObjectReader {
    mutating func report(contentsOf diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics { report(diagnostic) }
    }
}

/// Reads a JSON document with positions (SPEC's JSON files): the first syntax problem as
/// `json-syntax`, otherwise the root node. Valid JSON the YAML reader still refuses (a duplicate
/// key) is reported as JSON too.
func readJSONDocument(_ text: String, file: String, what: String) -> Result<SourceNode, Diagnostic> {
    let start = SourceLocation(file: file, line: 1, column: 1)
    if text.allSatisfy(\.isWhitespace) {
        return .failure(.error("invalid-field", "\(what) is empty", at: start))
    }
    if let problem = JSONSyntax.firstProblem(in: text, file: file) { return .failure(problem) }
    switch YAMLReader.parse(ActionBlockLoader.yamlCompatible(text), file: file) {
    case .failure(let diagnostic):
        let message = diagnostic.message.replacingOccurrences(of: "invalid YAML: ", with: "cannot read the JSON: ")
        let hint = diagnostic.message.hasPrefix("duplicate key") ? "a key may appear once in an object: remove or rename one of them" : diagnostic.hint
        return .failure(.error("json-syntax", message, at: diagnostic.location, hint: hint))
    case .success(let node):
        guard let node else { return .failure(.error("invalid-field", "\(what) is empty", at: start)) }
        return .success(node)
    }
}
