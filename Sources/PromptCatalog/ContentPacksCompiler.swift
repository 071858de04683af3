import Diagnostics
import Foundation
import PromptTemplates

// PixSim7's `content_pack_schema_compiler._compile_schema_blocks`, ported: one block per variant of a
// `blocks[].block_schema`, with PixSim7's ids, texts, tags and error messages (less its `{path}: ` prefix,
// which the diagnostic's location replaces). Op signatures (`signature_id`) are not checked against
// PixSim7's signature registry.

/// A value read from a pack file with the place it was written.
struct PackField {
    let value: JSONValue
    let location: SourceLocation
}

/// Something PixSim7's loader rejects; it stops the file's entry it was found in. Several problems of one
/// entry (the fields of a template's slots) are reported together.
struct PackProblem: Error {
    let diagnostics: [Diagnostic]

    init(_ code: String, _ message: String, at location: SourceLocation, hint: String? = nil) {
        diagnostics = [.error(code, message, at: location, hint: hint)]
    }

    init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }
}

/// A block before the loader's pass: its fields merged the way PixSim7 merges dictionaries.
struct RawPackBlock {
    var fields: [String: PackField]
    var location: SourceLocation
    var textLocation: SourceLocation
    var variantKey: String?
}

extension SourceNode {
    /// The node as JSON, keeping the order of mapping keys.
    var json: JSONValue {
        switch kind {
        case .scalar(let value, _):
            switch value {
            case .null: .null
            case .bool(let flag): .bool(flag)
            case .int(let number): .int(number)
            case .double(let number): .double(number)
            case .string(let text): .string(text)
            }
        case .mapping(let members): .object(members.map { ($0.key, $0.value.json) })
        case .sequence(let items): .array(items.map(\.json))
        }
    }

    var field: PackField { PackField(value: json, location: location) }

    /// A non-empty string, trimmed (PixSim7's `isinstance(x, str) and x.strip()`).
    var nonEmptyString: String? {
        guard let string else { return nil }
        let trimmed = string.pythonStripped
        return trimmed.isEmpty ? nil : trimmed
    }
}

enum PackSchemaCompiler {
    static let reservedSchemaKeys: Set<String> = ["id_prefix", "mode", "text_template", "text_synthesis", "descriptors", "tags", "variants", "op"]
    static let reservedVariantKeys: Set<String> = ["key", "id", "block_id", "text", "tags", "op_id", "op_modalities", "op_args",
                                                           "ref_bindings", "descriptors"]
    static let variantOpFields = ["op_id", "op_modalities", "op_args", "ref_bindings"]

    static func compile(_ schema: SourceNode, registry: PackTagRegistry) throws(PackProblem) -> [RawPackBlock] {
        func fail(_ message: String, _ node: SourceNode?) -> PackProblem {
            PackProblem("pack-schema", message, at: (node ?? schema).location, hint: "see PixSim7's content-pack schema format in the README")
        }
        guard schema.members != nil else { throw fail("block_schema must be an object", schema) }
        guard let idPrefixRaw = schema["id_prefix"]?.nonEmptyString else { throw fail("block_schema.id_prefix must be a non-empty string", schema["id_prefix"]) }
        var idPrefix = idPrefixRaw
        while idPrefix.hasSuffix(".") { idPrefix.removeLast() }
        guard !idPrefix.isEmpty else { throw fail("block_schema.id_prefix must not be empty", schema["id_prefix"]) }
        let textTemplateNode = schema["text_template"].flatMap { $0.isNull ? nil : $0 }
        if let node = textTemplateNode, node.string == nil { throw fail("block_schema.text_template must be a string", node) }
        let synthesisNode = schema["text_synthesis"].flatMap { $0.isNull ? nil : $0 }
        if let node = synthesisNode, node.members == nil { throw fail("block_schema.text_synthesis must be an object", node) }
        let baseDescriptors = try descriptors(schema["descriptors"], field: "block_schema.descriptors", fail: fail)
        var baseTags: [(String, JSONValue)] = []
        if let node = schema["tags"], !node.isNull {
            guard let members = node.members else { throw fail("block_schema.tags must be an object", node) }
            baseTags = members.map { ($0.key, $0.value.json) }
        }
        guard let variants = schema["variants"]?.items, !variants.isEmpty else {
            throw fail("block_schema.variants must be a non-empty list", schema["variants"])
        }
        let op = try PackOp.read(schema["op"], fail: fail)
        var mode: String
        if let node = schema["mode"], !node.isNull {
            guard let text = node.nonEmptyString?.lowercased(), ["surface", "hybrid", "op"].contains(text) else {
                throw fail("block_schema.mode must be one of: surface, hybrid, op", node)
            }
            mode = text
        } else {
            let declaresOps = op != nil || variants.contains { variant in variantOpFields.contains { variant[$0] != nil } }
            if declaresOps {
                let hasVariantText = variants.contains { $0["text"]?.nonEmptyString != nil }
                mode = textTemplateNode != nil || hasVariantText ? "hybrid" : "op"
            } else {
                mode = "surface"
            }
        }
        var baseFields: [String: PackField] = [:]
        for member in schema.members! where !reservedSchemaKeys.contains(member.key) { baseFields[member.key] = member.value.field }

        var compiled: [RawPackBlock] = []
        for (index, variant) in variants.enumerated() {
            let at = "block_schema.variants[\(index)]"
            guard variant.members != nil else { throw fail("\(at) must be an object", variant) }
            guard let key = (variant["key"] ?? variant["id"])?.nonEmptyString else {
                throw fail("\(at).key is required and must be a non-empty string", variant["key"] ?? variant)
            }
            var blockID = "\(idPrefix).\(key)"
            if let node = variant["block_id"], !node.isNull {
                guard let explicit = node.nonEmptyString else { throw fail("\(at).block_id must be a non-empty string when provided", node) }
                blockID = explicit
            }
            var variantTags: [(String, JSONValue)] = []
            if let node = variant["tags"], !node.isNull {
                guard let members = node.members else { throw fail("\(at).tags must be an object", node) }
                variantTags = members.map { ($0.key, $0.value.json) }
            }
            let variantDescriptors = try descriptors(variant["descriptors"], field: "\(at).descriptors", fail: fail)

            var text: String?
            var textLocation = variant.location
            if let node = variant["text"], !node.isNull {
                guard let string = node.string else { throw fail("\(at).text must be a string", node) }
                text = string
                textLocation = node.location
            }
            let variantArgs = try opArgs(variant["op_args"], at: at, fail: fail)
            var effectiveArgs = op?.defaultArgs ?? []
            for (argKey, value) in variantArgs { upsert(&effectiveArgs, argKey, value) }
            if text == nil, let synthesisNode {
                text = try synthesize(synthesisNode, variantKey: key, args: effectiveArgs, fail: fail)
                textLocation = synthesisNode.location
            }
            if text == nil, let textTemplateNode, let template = textTemplateNode.string {
                switch PythonFormat.format(template, values: ["variant": key], missingIsEmpty: false) {
                case .success(let rendered): text = rendered
                case .failure(let error): throw fail("block_schema.text_template failed for variant '\(key)': \(error.message)", textTemplateNode)
                }
                textLocation = textTemplateNode.location
            }
            var variantOpID: String?
            if let node = variant["op_id"], !node.isNull {
                guard let value = node.nonEmptyString else { throw fail("\(at).op_id must be a non-empty string", node) }
                variantOpID = value
            }
            if let node = variant["ref_bindings"], !node.isNull {
                guard let members = node.members else { throw fail("\(at).ref_bindings must be an object", node) }
                for member in members {
                    let refKey = member.key.pythonStripped
                    guard !refKey.isEmpty else { throw fail("\(at).ref_bindings keys must be non-empty strings", member.value) }
                    guard member.value.nonEmptyString != nil else { throw fail("\(at).ref_bindings.\(refKey) must be a non-empty string", member.value) }
                }
            }
            let variantModalities = try PackOp.modalities(variant["op_modalities"], field: "\(at).op_modalities", fail: fail)

            var fields = baseFields
            for member in variant.members! where !reservedVariantKeys.contains(member.key) { fields[member.key] = member.value.field }
            var tags = baseTags
            for (tagKey, value) in variantTags { upsert(&tags, tagKey, value) }
            setDefault(&tags, "variant", .string(key))

            var opID = variantOpID
            if opID == nil, let op {
                if let template = op.idTemplate {
                    switch PythonFormat.format(template, values: ["variant": key], missingIsEmpty: false) {
                    case .success(let rendered): opID = rendered
                    case .failure(let error): throw fail("block_schema.op.op_id_template failed for variant '\(key)': \(error.message)", schema["op"])
                    }
                } else {
                    opID = op.id
                }
            }
            if opID == nil, variantOpFields.contains(where: { variant[$0] != nil }) {
                throw fail("\(at) defines op fields but no op_id could be resolved", variant)
            }
            let hasText = !(text ?? "").pythonStripped.isEmpty
            let hasOp = !(opID ?? "").pythonStripped.isEmpty
            if mode == "surface", !hasText { throw fail("\(at) mode=surface requires text or text_template output", variant) }
            if mode == "hybrid", !hasText { throw fail("\(at) mode=hybrid requires text or text_template output", variant) }
            if mode == "hybrid", !hasOp { throw fail("\(at) mode=hybrid requires op_id resolution", variant) }
            if mode == "op", !hasOp { throw fail("\(at) mode=op requires op_id resolution", variant) }
            let surfaceHint = ["image_surface", "video_surface"].contains { surfaceKey in
                if case .string(let value)? = tags.first(where: { $0.0 == surfaceKey })?.1 { return !value.pythonStripped.isEmpty }
                return false
            }
            if mode != "surface", !(hasText || surfaceHint) {
                throw fail("\(at) mode=\(mode) requires text or image_surface/video_surface tags", variant)
            }
            let modalities = variantModalities.isEmpty ? (op?.modalities ?? []) : variantModalities

            let derived = try derivedTags(params: op?.params ?? [], args: effectiveArgs, variantIndex: index, registry: registry, fail: fail)
            for (tagKey, value) in derived {
                if let existing = tags.first(where: { $0.0 == tagKey })?.1, normalized(existing, key: tagKey, registry) != value {
                    throw fail("\(at).tags.\(tagKey) conflicts with op_args-derived value", variant["tags"]?[tagKey] ?? variant)
                }
                upsert(&tags, tagKey, value)
            }
            if let node = fields["block_metadata"], node.value != .null {
                guard case .object = node.value else { throw fail("\(at).block_metadata must be an object", variant["block_metadata"] ?? variant) }
            }
            _ = baseDescriptors + variantDescriptors

            if let opID {
                setDefault(&tags, "op_id", .string(opID))
                let namespace = String(opID.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0]).pythonStripped
                if !namespace.isEmpty { setDefault(&tags, "op_namespace", .string(namespace)) }
                if !modalities.isEmpty {
                    setDefault(&tags, "op_modalities", .string(modalities.joined(separator: ",")))
                    let support = modalities.contains("image") && modalities.contains("video") ? "both" : (modalities.contains("image") ? "image" : "video")
                    setDefault(&tags, "modality_support", .string(support))
                }
                let refCapabilities = op?.refCapabilities ?? []
                if !refCapabilities.isEmpty { setDefault(&tags, "op_ref_capabilities", .string(refCapabilities.joined(separator: ","))) }
            }
            fields["block_id"] = PackField(value: .string(blockID), location: variant["block_id"]?.location ?? variant.location)
            setDefault(&tags, "block_mode", .string(mode))
            fields["tags"] = PackField(value: .object(tags), location: variant["tags"]?.location ?? variant.location)
            if let text { fields["text"] = PackField(value: .string(text), location: textLocation) }
            compiled.append(RawPackBlock(fields: fields, location: variant.location, textLocation: textLocation, variantKey: key))
        }
        return compiled
    }

    // MARK: - Parts

    private static func descriptors(_ node: SourceNode?, field: String, fail: (String, SourceNode?) -> PackProblem) throws(PackProblem) -> [String] {
        guard let node, !node.isNull else { return [] }
        guard let members = node.members else { throw fail("\(field) must be an object", node) }
        for member in members where member.key.pythonStripped.isEmpty {
            throw fail("\(field) keys must be non-empty strings", member.value)
        }
        return members.map(\.key)
    }

    private static func opArgs(_ node: SourceNode?, at: String, fail: (String, SourceNode?) -> PackProblem) throws(PackProblem) -> [(String, JSONValue)] {
        guard let node, !node.isNull else { return [] }
        guard let members = node.members else { throw fail("\(at).op_args must be an object", node) }
        var args: [(String, JSONValue)] = []
        for member in members {
            let key = member.key.pythonStripped
            guard !key.isEmpty else { throw fail("\(at).op_args keys must be non-empty strings", member.value) }
            upsert(&args, key, member.value.json)
        }
        return args
    }

    /// `_derive_variant_tags_from_op_args`: a param becomes a tag through its `tag_key`, or its own key when
    /// that key is a registered tag key; its value (schema `default_args` ← variant `op_args`) normalised by aliases.
    private static func derivedTags(params: [PackOp.Param], args: [(String, JSONValue)], variantIndex: Int, registry: PackTagRegistry,
                                     fail: (String, SourceNode?) -> PackProblem) throws(PackProblem) -> [(String, JSONValue)] {
        var derived: [(String, JSONValue)] = []
        for param in params {
            let tagKey: String
            if let explicit = param.tagKey {
                tagKey = explicit
            } else if registry.keys.isEmpty || registry.keys.contains(param.key) {
                tagKey = param.key
            } else {
                continue
            }
            guard !tagKey.isEmpty else { continue }
            if param.tagKey != nil, !registry.keys.isEmpty, !registry.keys.contains(tagKey) {
                throw fail("block_schema.op.params key '\(param.key)' references unknown tag_key '\(tagKey)' (not registered in prompt_block_tags)",
                           param.node)
            }
            guard let value = args.first(where: { $0.0 == param.key })?.1, value != .null else { continue }
            if case .object = value {
                throw fail("block_schema.variants[\(variantIndex)].op_args.\(param.key) cannot map to tags because value type 'dict' is unsupported", param.node)
            }
            if case .array(let items) = value {
                for (itemIndex, item) in items.enumerated() {
                    if case .object = item {
                        throw fail("block_schema.variants[\(variantIndex)].op_args.\(param.key)[\(itemIndex)] cannot map to tags because value type 'dict' is unsupported",
                                   param.node)
                    }
                }
            }
            upsert(&derived, tagKey, normalized(value, key: tagKey, registry))
        }
        return derived
    }

    /// `_normalize_tag_value_with_aliases`: string values (and strings in lists) through the key's value aliases.
    static func normalized(_ value: JSONValue, key: String, _ registry: PackTagRegistry) -> JSONValue {
        guard let aliases = registry.valueAliases[key], !aliases.isEmpty else { return value }
        switch value {
        case .string(let text): return .string(aliases[text] ?? text)
        case .array(let items): return .array(items.map { item in
            if case .string(let text) = item { return .string(aliases[text] ?? text) }
            return item
        })
        default: return value
        }
    }

    /// `_render_text_synthesis`: the template filled with the word tables' prose for each argument.
    private static func synthesize(_ node: SourceNode, variantKey: String, args: [(String, JSONValue)],
                                   fail: (String, SourceNode?) -> PackProblem) throws(PackProblem) -> String {
        guard let template = node["template"]?.string, !template.pythonStripped.isEmpty else {
            throw fail("block_schema.text_synthesis.template must be a non-empty string", node["template"] ?? node)
        }
        var tables: [SourceNode.Member] = []
        if let tablesNode = node["word_tables"], !tablesNode.isNull {
            guard let members = tablesNode.members else { throw fail("block_schema.text_synthesis.word_tables must be an object", tablesNode) }
            tables = members
        }
        var values = ["variant": variantKey]
        // `table.get(str(value), value)`: only string keys can match (PyYAML reads `1:` as an int key).
        func lookUp(_ key: String, in members: [SourceNode.Member]) -> SourceNode? { members.first { $0.key == key && $0.keyIsString }?.value }
        for (param, raw) in args {
            let value = raw.pythonText
            if let table = lookUp(param, in: tables), let words = table.members {
                values[param] = lookUp(value, in: words).map { $0.json.pythonText } ?? value
            } else {
                values[param] = value
            }
        }
        var rendered: String
        switch PythonFormat.format(template, values: values, missingIsEmpty: true) {
        case .success(let text): rendered = text
        case .failure(let error): throw fail("block_schema.text_synthesis.template failed for variant '\(variantKey)': \(error.message)", node["template"])
        }
        rendered = rendered.replacing(/\s+/, with: " ").pythonStripped
        rendered = rendered.replacing(/\s+([.,;:!?])/) { String($0.output.1) }
        if let first = rendered.first { rendered = first.uppercased() + rendered.dropFirst() }
        return rendered
    }
}

/// `block_schema.op`, checked the way `_normalize_schema_op` checks it.
struct PackOp {
    struct Param {
        let key: String
        let tagKey: String?
        let node: SourceNode
    }

    let id: String?
    let idTemplate: String?
    let params: [Param]
    let defaultArgs: [(String, JSONValue)]
    let modalities: [String]
    let refCapabilities: [String]

    static func read(_ node: SourceNode?, fail: (String, SourceNode?) -> PackProblem) throws(PackProblem) -> PackOp? {
        guard let node, !node.isNull else { return nil }
        guard node.members != nil else { throw fail("block_schema.op must be an object", node) }
        func optionalString(_ key: String) throws(PackProblem) -> String? {
            guard let value = node[key], !value.isNull else { return nil }
            guard let text = value.nonEmptyString else { throw fail("block_schema.op.\(key) must be a non-empty string", value) }
            return text
        }
        let id = try optionalString("op_id")
        let idTemplate = try optionalString("op_id_template")
        if (id == nil) == (idTemplate == nil) { throw fail("block_schema.op requires exactly one of op_id or op_id_template", node) }
        _ = try optionalString("signature_id")
        var refCapabilities: [String] = []
        if let refs = node["refs"], !refs.isNull {
            guard let items = refs.items else { throw fail("block_schema.op.refs must be a list", refs) }
            for (index, ref) in items.enumerated() {
                let at = "block_schema.op.refs[\(index)]"
                guard ref.members != nil else { throw fail("\(at) must be an object", ref) }
                guard ref["key"]?.nonEmptyString != nil else { throw fail("\(at).key must be a non-empty string", ref["key"] ?? ref) }
                guard let capability = ref["capability"]?.nonEmptyString else { throw fail("\(at).capability must be a non-empty string", ref["capability"] ?? ref) }
                for flag in ["required", "many"] {
                    if let value = ref[flag], value.bool == nil { throw fail("\(at).\(flag) must be a boolean", value) }
                }
                if let value = ref["description"], !value.isNull, value.string == nil { throw fail("\(at).description must be a string", value) }
                refCapabilities.append(capability)
            }
        }
        var params: [Param] = []
        if let list = node["params"], !list.isNull {
            guard let items = list.items else { throw fail("block_schema.op.params must be a list", list) }
            for (index, param) in items.enumerated() {
                params.append(try readParam(param, index: index, fail: fail))
            }
        }
        var defaultArgs: [(String, JSONValue)] = []
        if let args = node["default_args"], !args.isNull {
            guard let members = args.members else { throw fail("block_schema.op.default_args must be an object", args) }
            for member in members {
                let key = member.key.pythonStripped
                guard !key.isEmpty else { throw fail("block_schema.op.default_args keys must be non-empty strings", member.value) }
                defaultArgs.append((key, member.value.json))
            }
        }
        let modalities = try modalities(node["modalities"], field: "block_schema.op.modalities", fail: fail)
        return PackOp(id: id, idTemplate: idTemplate, params: params, defaultArgs: defaultArgs, modalities: modalities, refCapabilities: refCapabilities)
    }

    private static func readParam(_ param: SourceNode, index: Int, fail: (String, SourceNode?) -> PackProblem) throws(PackProblem) -> Param {
        let at = "block_schema.op.params[\(index)]"
        guard param.members != nil else { throw fail("\(at) must be an object", param) }
        guard let key = param["key"]?.nonEmptyString else { throw fail("\(at).key must be a non-empty string", param["key"] ?? param) }
        guard let rawType = param["type"]?.nonEmptyString else { throw fail("\(at).type must be a non-empty string", param["type"] ?? param) }
        let type = rawType.lowercased()
        guard ["string", "number", "integer", "boolean", "enum", "ref"].contains(type) else {
            throw fail("\(at).type must be one of: string, number, integer, boolean, enum, ref", param["type"])
        }
        if let value = param["required"], !value.isNull, value.bool == nil { throw fail("\(at).required must be a boolean", value) }
        if let value = param["description"], !value.isNull, value.string == nil { throw fail("\(at).description must be a string", value) }
        var tagKey: String?
        if let value = param["tag_key"], !value.isNull {
            guard let text = value.nonEmptyString else { throw fail("\(at).tag_key must be a non-empty string when provided", value) }
            tagKey = text
        }
        if let values = param["enum"], !values.isNull {
            guard let items = values.items, !items.isEmpty else { throw fail("\(at).enum must be a non-empty list", values) }
            for (enumIndex, item) in items.enumerated() where item.nonEmptyString == nil {
                throw fail("\(at).enum[\(enumIndex)] must be a non-empty string", item)
            }
        } else if type == "enum" {
            throw fail("\(at) type=enum requires enum values", param)
        }
        let capability = param["ref_capability"]
        if type == "ref", capability?.nonEmptyString == nil { throw fail("\(at) type=ref requires ref_capability", capability ?? param) }
        if type != "ref", let capability, !capability.isNull, capability.string == nil { throw fail("\(at).ref_capability must be a string", capability) }
        for bound in ["minimum", "maximum"] {
            if let value = param[bound], !value.isNull, value.double == nil || value.bool != nil { throw fail("\(at).\(bound) must be a number", value) }
        }
        return Param(key: key, tagKey: tagKey, node: param)
    }

    /// `image`, `video` or `both` (which is both), without repeats.
    static func modalities(_ node: SourceNode?, field: String, fail: (String, SourceNode?) -> PackProblem) throws(PackProblem) -> [String] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.items, !items.isEmpty else { throw fail("\(field) must be a non-empty list", node) }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard let token = item.nonEmptyString?.lowercased() else { throw fail("\(field)[\(index)] must be a non-empty string", item) }
            guard ["image", "video", "both"].contains(token) else { throw fail("\(field)[\(index)] must be one of: image, video, both", item) }
            for expanded in token == "both" ? ["image", "video"] : [token] where !result.contains(expanded) { result.append(expanded) }
        }
        return result
    }
}

/// Python's `str.format` (`format_map` when `missingIsEmpty`) over text values, as PixSim7's
/// templates use it: `{name}`, `{{`/`}}`, an index into the text (`{variant[0]}`), a conversion
/// (`!r`, `!s`, `!a`) and a string format spec (`{variant:>6}`, `{variant:.3}`, nested fields in
/// the spec), each failing with Python's message where Python raises.
enum PythonFormat {
    struct Failure: Error {
        let message: String
    }

    /// `missingIsEmpty`: `format_map` over a dict that gives "" for unknown names (positional fields
    /// are refused); otherwise `format(**values)`, where an unknown name fails as Python's
    /// `KeyError` does (`'name'`) and a positional field as its `IndexError`.
    static func format(_ template: String, values: [String: String], missingIsEmpty: Bool) -> Result<String, Failure> {
        do {
            return .success(try render(Array(template.unicodeScalars)[...], values: values, missingIsEmpty: missingIsEmpty, depth: 0))
        } catch {
            return .failure(error)
        }
    }

    private static func render(_ text: ArraySlice<Unicode.Scalar>, values: [String: String], missingIsEmpty: Bool, depth: Int) throws(Failure) -> String {
        var out = String.UnicodeScalarView()
        var index = text.startIndex
        while index < text.endIndex {
            let scalar = text[index]
            if scalar == "{" {
                if index + 1 < text.endIndex, text[index + 1] == "{" { out.append("{"); index += 2; continue }
                // The field runs to the `}` that balances it (a spec may hold `{nested}` fields).
                var level = 1, close = index + 1
                while close < text.endIndex {
                    if text[close] == "[" && level == 1 {
                        // An index runs to its `]` whatever it holds.
                        while close < text.endIndex, text[close] != "]" { close += 1 }
                        if close == text.endIndex { throw Failure(message: "expected '}' before end of string") }
                    } else if text[close] == "{" {
                        level += 1
                    } else if text[close] == "}" {
                        level -= 1
                        if level == 0 { break }
                    }
                    close += 1
                }
                guard close < text.endIndex else { throw Failure(message: depth == 0 ? "expected '}' before end of string" : "unmatched '{' in format spec") }
                out.append(contentsOf: try field(text[(index + 1)..<close], values: values, missingIsEmpty: missingIsEmpty, depth: depth).unicodeScalars)
                index = close + 1
            } else if scalar == "}" {
                guard index + 1 < text.endIndex, text[index + 1] == "}" else { throw Failure(message: "Single '}' encountered in format string") }
                out.append("}")
                index += 2
            } else {
                out.append(scalar)
                index += 1
            }
        }
        return String(out)
    }

    /// One replacement field, without its braces: `name[0]!r:>6`.
    private static func field(_ body: ArraySlice<Unicode.Scalar>, values: [String: String], missingIsEmpty: Bool, depth: Int) throws(Failure) -> String {
        // The field name runs to `!` or `:` outside an index.
        var end = body.startIndex
        while end < body.endIndex, body[end] != "!", body[end] != ":" {
            if body[end] == "[" { while end < body.endIndex, body[end] != "]" { end += 1 } }
            if end < body.endIndex { end += 1 }
        }
        let name = body[body.startIndex..<end]
        var conversion: Unicode.Scalar?
        var specStart = end
        if end < body.endIndex, body[end] == "!" {
            guard end + 1 < body.endIndex else { throw Failure(message: "end of string while looking for conversion specifier") }
            conversion = body[end + 1]
            specStart = end + 2
            if specStart < body.endIndex, body[specStart] != ":" { throw Failure(message: "expected ':' after conversion specifier") }
        }
        let spec = specStart < body.endIndex ? body[(specStart + 1)...] : body[body.endIndex...]
        var value = try lookUp(name, values: values, missingIsEmpty: missingIsEmpty)
        switch conversion {
        case nil, "s": break
        case "r": value = TemplateValue.pythonStringRepr(value)
        case "a": value = asciiRepr(value)
        case let other?: throw Failure(message: "Unknown conversion specifier \(Character(other))")
        }
        guard !spec.isEmpty else { return value }
        if depth >= 1, spec.contains("{") { throw Failure(message: "Max string recursion exceeded") }
        let expanded = try render(spec, values: values, missingIsEmpty: missingIsEmpty, depth: depth + 1)
        return try applying(Array(expanded.unicodeScalars), to: value)
    }

    /// The value a field name names: a name (or a positional index, refused), then `[N]` indexes.
    private static func lookUp(_ name: ArraySlice<Unicode.Scalar>, values: [String: String], missingIsEmpty: Bool) throws(Failure) -> String {
        var end = name.startIndex
        while end < name.endIndex, name[end] != "[", name[end] != "." { end += 1 }
        let argument = String(String.UnicodeScalarView(name[name.startIndex..<end]))
        if argument.isEmpty || argument.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
            if missingIsEmpty { throw Failure(message: "Format string contains positional fields") }
            throw Failure(message: "Replacement index \(Int(argument) ?? 0) out of range for positional args tuple")
        }
        var value: String
        if let found = values[argument] { value = found } else if missingIsEmpty { value = "" } else { throw Failure(message: "'\(argument)'") }
        var index = end
        while index < name.endIndex {
            if name[index] == "." {
                var next = index + 1
                while next < name.endIndex, name[next] != "[", name[next] != "." { next += 1 }
                let attribute = String(String.UnicodeScalarView(name[(index + 1)..<next]))
                throw Failure(message: attribute.isEmpty ? "Empty attribute in format string" : "'str' object has no attribute '\(attribute)'")
            }
            // `[key]`: an integer indexes the text; anything else is a str key, which a str refuses.
            guard let close = name[index...].firstIndex(of: "]") else { throw Failure(message: "Missing ']' in format string") }
            let key = String(String.UnicodeScalarView(name[(index + 1)..<close]))
            guard !key.isEmpty else { throw Failure(message: "Empty attribute in format string") }
            guard key.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }), let position = Int(key) else {
                throw Failure(message: "string indices must be integers, not 'str'")
            }
            let scalars = Array(value.unicodeScalars)
            guard position < scalars.count else { throw Failure(message: "string index out of range") }
            value = String(Character(scalars[position]))
            index = close + 1
            if index < name.endIndex, name[index] != "[", name[index] != "." { throw Failure(message: "Only '.' or '[' may follow ']' in format field specifier") }
        }
        return value
    }

    /// `ascii()`: `repr()` with every non-ASCII character escaped.
    private static func asciiRepr(_ text: String) -> String {
        var out = ""
        for scalar in TemplateValue.pythonStringRepr(text).unicodeScalars {
            if scalar.isASCII { out.unicodeScalars.append(scalar); continue }
            let hex = String(scalar.value, radix: 16)
            out += scalar.value < 0x100 ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                : scalar.value < 0x10000 ? "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                : "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
        }
        return out
    }

    /// A string format spec, `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`, as
    /// `format(str, spec)` applies it: widths and precisions count code points.
    private static func applying(_ spec: [Unicode.Scalar], to value: String) throws(Failure) -> String {
        var index = 0
        var fill: Unicode.Scalar = " ", align: Unicode.Scalar?
        func isAlign(_ scalar: Unicode.Scalar) -> Bool { "<>=^".unicodeScalars.contains(scalar) }
        if spec.count >= 2, isAlign(spec[1]) { fill = spec[0]; align = spec[1]; index = 2 } else if !spec.isEmpty, isAlign(spec[0]) { align = spec[0]; index = 1 }
        if index < spec.count, "+- ".unicodeScalars.contains(spec[index]) { throw Failure(message: "Sign not allowed in string format specifier") }
        if index < spec.count, spec[index] == "z" { throw Failure(message: "Negative zero coercion (z) not allowed in string format specifier") }
        if index < spec.count, spec[index] == "#" { throw Failure(message: "Alternate form (#) not allowed in string format specifier") }
        if index < spec.count, spec[index] == "0" {
            if align == nil { fill = "0"; align = "<" }
            index += 1
        }
        func number() throws(Failure) -> Int? {
            var digits = ""
            while index < spec.count, ("0"..."9").contains(spec[index]) { digits.unicodeScalars.append(spec[index]); index += 1 }
            guard !digits.isEmpty else { return nil }
            guard let value = Int(digits), value < 1 << 31 else { throw Failure(message: "Too many decimal digits in format string") }
            return value
        }
        let width = try number() ?? 0
        if index < spec.count, spec[index] == "," || spec[index] == "_" { throw Failure(message: "Cannot specify '\(Character(spec[index]))' with 's'.") }
        var precision: Int?
        if index < spec.count, spec[index] == "." {
            index += 1
            guard let value = try number() else { throw Failure(message: "Format specifier missing precision") }
            precision = value
        }
        if index < spec.count {
            let type = spec[index]
            guard index == spec.count - 1 else { throw Failure(message: "Invalid format specifier '\(String(String.UnicodeScalarView(spec)))' for object of type 'str'") }
            guard type == "s" else { throw Failure(message: "Unknown format code '\(Character(type))' for object of type 'str'") }
        }
        if align == "=" { throw Failure(message: "'=' alignment not allowed in string format specifier") }
        var scalars = Array(value.unicodeScalars)
        if let precision, scalars.count > precision { scalars = Array(scalars[..<precision]) }
        let padding = max(0, width - scalars.count)
        let (before, after): (Int, Int) = switch align {
        case ">": (padding, 0)
        case "^": (padding / 2, padding - padding / 2)
        default: (0, padding)
        }
        return String(String.UnicodeScalarView(Array(repeating: fill, count: before) + scalars + Array(repeating: fill, count: after)))
    }
}

/// Sets a key in an ordered list of pairs (replacing in place, or appending).
func upsert(_ pairs: inout [(String, JSONValue)], _ key: String, _ value: JSONValue) {
    if let index = pairs.firstIndex(where: { $0.0 == key }) { pairs[index].1 = value } else { pairs.append((key, value)) }
}

/// Python's `dict.setdefault` on an ordered list of pairs.
func setDefault(_ pairs: inout [(String, JSONValue)], _ key: String, _ value: JSONValue) {
    if !pairs.contains(where: { $0.0 == key }) { pairs.append((key, value)) }
}
