import Diagnostics
import Foundation

/// `plugins/<id>/plugin.yaml` and the README it names. Every problem points at the manifest
/// line: an unknown rule key, a regular expression that does not compile, a rule without
/// an id, a level that is not error/warning/info.
enum PluginLoader {
    static let folder = "plugins"
    /// The keys that make a validator what it is; exactly one per validator.
    static let ruleKeys = ["forbid", "forbid_regex", "max_length", "require_variables"]
    static let changeKeys = ["prepend", "append", "replace"]

    static func load(_ tree: ContentTree) -> (plugins: [Plugin], diagnostics: [Diagnostic], files: [String]) {
        var plugins: [Plugin] = []
        var diagnostics: [Diagnostic] = []
        var files: [String] = []
        for entry in tree.entries(in: folder) {
            guard entry.isDirectory else {
                if !entry.name.hasSuffix(".md") {
                    diagnostics.append(.warning("unexpected-file", "`\(entry.name)` is not inside a plugin folder and is ignored",
                                                at: SourceLocation(file: entry.path), hint: "plugins are read from `plugins/<id>/plugin.yaml`"))
                }
                continue
            }
            guard let manifest = tree.entries(in: entry.path).first(where: { $0.name == "plugin.yaml" || $0.name == "plugin.yml" }) else {
                diagnostics.append(.error("invalid-field", "plugin folder `\(entry.name)` has no plugin.yaml", at: SourceLocation(file: entry.path),
                                          hint: "add plugins/\(entry.name)/plugin.yaml with at least `id` and `name`"))
                continue
            }
            files.append(manifest.path)
            let loaded = load(manifest, folder: entry, tree: tree)
            diagnostics += loaded.diagnostics
            if let plugin = loaded.value {
                plugins.append(plugin)
                if let readme = plugin.readmeFile { files.append(readme) }
            }
        }
        return (plugins, diagnostics, files)
    }

    static func load(_ manifest: ContentEntry, folder: ContentEntry, tree: ContentTree) -> Loaded<Plugin> {
        let node: SourceNode
        switch readYAMLMapping(manifest, what: "plugin \(folder.name)") {
        case .success(let read): node = read
        case .failure(let diagnostic): return Loaded(value: nil, diagnostics: [diagnostic])
        }
        var reader = FieldReader(node, schema: ContentSchemas.plugin, what: "plugin \(folder.name)")
        let id = reader.string("id") ?? folder.name
        if id != folder.name, let idNode = node["id"] {
            reader.report(.error("invalid-field", "plugin id `\(id)` does not match its folder `plugins/\(folder.name)`", at: idNode.location,
                                 hint: "rename the folder to \(id) or set `id: \(folder.name)`"))
        }
        let name = reader.string("name") ?? id
        let version = reader.string("version")
        let description = reader.string("description")
        var diagnostics: [Diagnostic] = []
        var scope: String?
        var variables: [VariableSpec] = []
        if let source = reader.mapping("variables") {
            var sourceReader = FieldReader(source, schema: ContentSchemas.pluginVariables, what: "the variables of plugin \(id)")
            scope = sourceReader.string("scope", required: true)
            if let vars = sourceReader.mapping("vars") {
                variables = VariableSpecReader.read(vars, code: "invalid-field", prefix: scope.map { "\($0)." } ?? "", examples: true,
                                                    diagnostics: &diagnostics)
            }
            sourceReader.reportUnknownFields()
            diagnostics += sourceReader.diagnostics
        }
        let validators = list("validators", &reader).compactMap { validator($0, plugin: id, diagnostics: &diagnostics) }
        let transformers = list("transformers", &reader).compactMap { transformer($0, plugin: id, diagnostics: &diagnostics) }
        let nodeTypes = reader.strings("node_types")
        var readme: String?
        var readmeFile: String?
        let docsName = reader.string("docs") ?? (tree.entries(in: folder.path).contains { $0.name == "README.md" } ? "README.md" : nil)
        if let docsName {
            let path = "\(folder.path)/\(docsName)"
            if docsName.contains(".."), let docsNode = node["docs"] {
                reader.report(.error("invalid-field", "`docs` must name a file inside the plugin folder", at: docsNode.location))
            } else if let entry = tree.entries(in: folder.path).first(where: { $0.name == docsName }) {
                switch SourceFile.read(entry, relativePath: path) {
                case .success(let text):
                    readme = text
                    readmeFile = path
                case .failure(let diagnostic): diagnostics.append(diagnostic)
                }
            } else if let docsNode = node["docs"] {
                reader.report(.error("invalid-field", "`docs` names `\(docsName)`, which is not in plugins/\(folder.name)/", at: docsNode.location,
                                     hint: "add the file or remove `docs`"))
            }
        }
        reader.reportUnknownFields()
        let plugin = Plugin(id: id, file: manifest.path, location: node.location, name: name, version: version, description: description,
                            scope: scope, variables: variables, validators: validators, transformers: transformers, nodeTypes: nodeTypes,
                            readme: readme, readmeFile: readmeFile)
        return Loaded(value: plugin, diagnostics: reader.diagnostics + diagnostics)
    }

    private static func list(_ key: String, _ reader: inout FieldReader) -> [SourceNode] {
        guard let node = reader.field(key) else { return [] }
        guard let items = node.items else {
            reader.mistyped(key, node, expected: "a list of `{ ... }` entries")
            return []
        }
        return items
    }

    static func validator(_ node: SourceNode, plugin: String, diagnostics: inout [Diagnostic]) -> PluginValidator? {
        guard node.members != nil else {
            diagnostics.append(.error("invalid-field", "a validator of plugin \(plugin) must be a mapping `{ id, level, <rule> }`, found \(node.kindName)", at: node.location))
            return nil
        }
        var reader = FieldReader(node, schema: ContentSchemas.pluginValidator, what: "a validator of plugin \(plugin)")
        defer { diagnostics += reader.diagnostics }
        let id = reader.string("id", required: true) ?? "rule"
        var level = Severity.error
        if let text = reader.string("level") {
            if let parsed = Severity(rawValue: text) {
                level = parsed
            } else {
                reader.report(.error("invalid-field", "validator `\(id)` has level `\(text)`", at: node["level"]?.location,
                                     hint: "use error, warning or info"))
            }
        }
        let scope = appliesTo(&reader, owner: "validator `\(id)`")
        let present = ruleKeys.filter { node[$0] != nil }
        var rule: PluginValidator.Rule?
        switch present.first {
        case "forbid":
            let words = reader.strings("forbid").map(\.value)
            if words.isEmpty { reader.report(.error("invalid-field", "`forbid` of validator `\(id)` lists no words", at: node["forbid"]?.location)) }
            rule = .forbid(words)
        case "forbid_regex":
            if let pattern = reader.string("forbid_regex") {
                if let problem = regexProblem(pattern) {
                    reader.report(.error("invalid-field", "`forbid_regex` of validator `\(id)` \(problem)",
                                         at: node["forbid_regex"]?.location, hint: "ICU syntax; in YAML double quotes write `\\\\b` for `\\b`"))
                } else {
                    rule = .forbidRegex(pattern)
                }
            }
        case "max_length":
            if let limit = reader.int("max_length") {
                if limit > 0 { rule = .maxLength(limit) } else {
                    reader.report(.error("invalid-field", "`max_length` of validator `\(id)` must be positive", at: node["max_length"]?.location))
                }
            }
        case "require_variables":
            rule = .requireVariables(reader.strings("require_variables").map(\.value))
        default:
            let unknown = (node.members ?? []).map(\.key).filter { !["id", "level", "applies_to"].contains($0) }
            let hint = unknown.first.flatMap { closestMatch(to: $0, in: ruleKeys) }.map { "did you mean `\($0)`?" }
                ?? "a validator has one of: \(ruleKeys.joined(separator: ", "))"
            let what = unknown.isEmpty ? "has no rule" : "has no known rule (found \(unknown.map { "`\($0)`" }.joined(separator: ", ")))"
            reader.report(.error("invalid-field", "validator `\(id)` of plugin \(plugin) \(what)",
                                 at: unknown.first.flatMap { key in node.members?.first { $0.key == key }?.keyLocation } ?? node.location, hint: hint))
            return nil
        }
        if present.count > 1 {
            reader.report(.error("invalid-field", "validator `\(id)` has several rules (\(present.joined(separator: ", ")))", at: node.location,
                                 hint: "give each rule its own validator entry"))
        }
        // Only the unknown keys that are not rules are reported as unknown fields.
        for key in ruleKeys { _ = reader.field(key) }
        reader.reportUnknownFields()
        return rule.map { PluginValidator(id: id, level: level, rule: $0, scope: scope, location: node.location) }
    }

    static func transformer(_ node: SourceNode, plugin: String, diagnostics: inout [Diagnostic]) -> PluginTransformer? {
        guard node.members != nil else {
            diagnostics.append(.error("invalid-field", "a transformer of plugin \(plugin) must be a mapping such as `{ append: \" …\" }`, found \(node.kindName)", at: node.location))
            return nil
        }
        var reader = FieldReader(node, schema: ContentSchemas.pluginTransformer, what: "a transformer of plugin \(plugin)")
        defer { diagnostics += reader.diagnostics }
        let scope = appliesTo(&reader, owner: "a transformer")
        var change: PluginTransformer.Change?
        if let text = reader.string("prepend") {
            change = .prepend(text)
        } else if let text = reader.string("append") {
            change = .append(text)
        } else if let pattern = reader.string("replace") {
            let replacement = reader.string("with", required: true) ?? ""
            if let problem = regexProblem(pattern) {
                reader.report(.error("invalid-field", "`replace` of a transformer of plugin \(plugin) \(problem)",
                                     at: node["replace"]?.location, hint: "ICU syntax; in YAML double quotes write `\\\\s` for `\\s`"))
            } else if let problem = replacementProblem(replacement, pattern: pattern) {
                reader.report(.error("invalid-field", "`with` of a transformer of plugin \(plugin) \(problem)",
                                     at: node["with"]?.location, hint: "`$0` is the whole match, `$1`… a group, `${name}` a named group; write `\\$` for a dollar sign"))
            } else {
                change = .replace(pattern: pattern, with: replacement)
            }
        } else {
            let unknown = (node.members ?? []).map(\.key).filter { $0 != "applies_to" }
            let hint = unknown.first.flatMap { closestMatch(to: $0, in: changeKeys) }.map { "did you mean `\($0)`?" }
                ?? "a transformer has one of: prepend, append, replace (+ with)"
            reader.report(.error("invalid-field", "a transformer of plugin \(plugin) has no known change", at: node.location, hint: hint))
            for key in changeKeys + ["with"] { _ = reader.field(key) }
            return nil
        }
        for key in changeKeys + ["with"] { _ = reader.field(key) }
        reader.reportUnknownFields()
        return change.map { PluginTransformer(change: $0, scope: scope, location: node.location) }
    }

    private static func appliesTo(_ reader: inout FieldReader, owner: String) -> PluginScope {
        guard let node = reader.mapping("applies_to") else { return PluginScope() }
        var scope = FieldReader(node, schema: ContentSchemas.pluginScope, what: "applies_to of \(owner)")
        defer { scope.diagnostics.forEach { reader.report($0) } }
        let result = PluginScope(promptTypes: scope.strings("prompt_type").map(\.value), nodeTypes: scope.strings("node_types").map(\.value),
                                 families: scope.strings("families").map(\.value), tags: scope.strings("tags").map(\.value))
        for type in result.promptTypes where PromptType(rawValue: type) == nil {
            scope.report(.error("invalid-field", "applies_to of \(owner) names prompt_type `\(type)`", at: node["prompt_type"]?.location,
                                hint: "use visual, narrative or hybrid"))
        }
        scope.reportUnknownFields()
        return result
    }

    /// Why `pattern` cannot be used (it does not compile, or it can backtrack exponentially), or nil.
    /// Why ICU would refuse `template` as the replacement for `pattern` (and the transformer would
    /// change nothing): `$` must be followed by a group's number or `{name}`, a group the pattern
    /// has; a `\\` must escape something.
    static func replacementProblem(_ template: String, pattern: String) -> String? {
        let groups = (try? NSRegularExpression(pattern: pattern).numberOfCaptureGroups) ?? 0
        let names = Set(pattern.matches(of: /\(\?<([A-Za-z][A-Za-z0-9]*)>/).map { String($0.1) })
        var characters = template.makeIterator()
        while let character = characters.next() {
            if character == "\\" {
                guard characters.next() != nil else { return "ends with a lone `\\`" }
            } else if character == "$" {
                switch characters.next() {
                case let digit? where digit.isASCII && digit.isNumber:
                    // ICU reads one digit, then more while they still name a group.
                    let group = Int(String(digit))!
                    if group > groups {
                        return "uses `$\(group)`, but the pattern has \(groups == 0 ? "no groups" : groups == 1 ? "1 group" : "\(groups) groups")"
                    }
                case "{"?:
                    var name = ""
                    while let next = characters.next(), next != "}" { name.append(next) }
                    guard names.contains(name) else { return "uses `${\(name)}`, but the pattern has no group named `\(name)`" }
                default:
                    return "has a `$` that names no group"
                }
            }
        }
        return nil
    }

    static func regexProblem(_ pattern: String) -> String? {
        do {
            _ = try NSRegularExpression(pattern: pattern)
            if let fragment = RegexSafety.catastrophicFragment(in: pattern) {
                return fragment.hasPrefix("\\")
                    ? "cannot be used: the backreference `\(fragment)` can take exponential time on some prompts; write the text out instead"
                    : "cannot be used: `\(fragment)` nests quantifiers, which can take exponential time on some prompts; quantify the group or its inside, not both"
            }
            return nil
        } catch {
            // Foundation on Linux says only "The operation could not be completed"; name the usual causes instead.
            return "is not a valid regular expression: ICU cannot compile it (an unbalanced parenthesis or bracket, a dangling `\\`, or a quantifier with nothing before it?)"
        }
    }
}
