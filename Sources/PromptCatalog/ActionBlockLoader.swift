import Diagnostics
import Foundation
import PromptTemplates

/// What one action-block file holds: its blocks, the package when the file is one,
/// and the problems found while reading it.
public struct ActionBlockFile: Sendable {
    public let blocks: [ActionBlock]
    public let package: ActionBlockPackage?
    public let diagnostics: [Diagnostic]
}

/// Loads `action-blocks/**/*.json` (SPEC §2.4), PixSim7's format read as it is:
/// a JSON array of blocks (a library) or an object with `action_blocks` (a package).
/// Mistyped values are `invalid-field` errors at the value and the rest of the block
/// still loads; unknown fields are kept on the values, never reported.
public enum ActionBlockLoader {
    static let folder = "action-blocks"

    /// Every `.json` file under `action-blocks/`, recursively, in path order.
    static func load(_ tree: ContentTree) -> (blocks: [ActionBlock], packages: [ActionBlockPackage], diagnostics: [Diagnostic], files: [String]) {
        let found = tree.jsonFiles(under: folder, what: "action-block")
        let entries = found.entries
        var diagnostics = found.diagnostics
        let loaded = parallelMap(entries) { entry -> ActionBlockFile in
            switch SourceFile.read(entry) {
            case .success(let text): parse(text, file: entry.path)
            case .failure(let diagnostic): ActionBlockFile(blocks: [], package: nil, diagnostics: [diagnostic])
            }
        }
        let blocks = loaded.flatMap(\.blocks)
        diagnostics += loaded.flatMap(\.diagnostics)
        diagnostics += duplicateBlockIDs(blocks)
        return (blocks, loaded.compactMap(\.package), diagnostics, entries.map(\.path))
    }

    /// Reads the text of one action-block file; `file` is its content-relative path.
    public static func parse(_ text: String, file: String) -> ActionBlockFile {
        let start = SourceLocation(file: file, line: 1, column: 1)
        func failure(_ diagnostic: Diagnostic) -> ActionBlockFile { ActionBlockFile(blocks: [], package: nil, diagnostics: [diagnostic]) }
        if text.allSatisfy(\.isWhitespace) {
            return failure(.error("invalid-field", "the action-block file is empty", at: start, hint: Self.shapesHint))
        }
        if let problem = JSONSyntax.firstProblem(in: text, file: file) { return failure(problem) }
        let root: SourceNode
        switch YAMLReader.parse(yamlCompatible(text), file: file) {
        case .failure(let diagnostic):
            // Valid JSON that the YAML reader still refuses (a duplicate key): report it as JSON.
            let message = diagnostic.message.replacingOccurrences(of: "invalid YAML: ", with: "cannot read the JSON: ")
            let hint = diagnostic.message.hasPrefix("duplicate key") ? "a key may appear once in an object: remove or rename one of them" : diagnostic.hint
            return failure(.error("json-syntax", message, at: diagnostic.location, hint: hint))
        case .success(let node):
            guard let node else { return failure(.error("invalid-field", "the action-block file is empty", at: start, hint: Self.shapesHint)) }
            root = node
        }
        var diagnostics: [Diagnostic] = []
        if let items = root.items {
            let blocks = Self.blocks(items, file: file, package: nil, diagnostics: &diagnostics)
            return ActionBlockFile(blocks: blocks, package: nil, diagnostics: diagnostics)
        }
        guard root.members != nil, root["action_blocks"] != nil else {
            let found = root.members != nil ? "an object without `action_blocks`" : root.kindName
            let looksLikeBlock = root["id"] != nil && root["prompt"] != nil
            return failure(.error("invalid-field", "an action-block file must be a JSON array of blocks (a library) or an object with "
                                  + "`action_blocks` (a package), found \(found)", at: root.location,
                                  hint: looksLikeBlock ? "wrap a single block in `[ ]` to make it a library" : Self.shapesHint))
        }
        var reader = JSONObjectReader(root, schema: ContentSchemas.actionBlockPackage, what: "this package")
        let info = reader.object("package_info").map { packageInfo($0, diagnostics: &diagnostics) }
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let name = info?.name ?? stem
        let creatures = reader.object("creatures")
        let templates = reader.object("templates").map { Self.templates($0, diagnostics: &diagnostics) } ?? []
        var blocks: [ActionBlock] = []
        if let value = reader.value("action_blocks") {
            if let items = value.items {
                blocks = Self.blocks(items, file: file, package: name, diagnostics: &diagnostics)
            } else {
                reader.mistyped("action_blocks", value, expected: "a JSON array of blocks")
            }
        }
        let package = ActionBlockPackage(file: file, location: root.location, name: name, info: info, creatures: creatures,
                                         templates: templates, blockIDs: blocks.map(\.id), unknownFields: reader.unknownFields)
        return ActionBlockFile(blocks: blocks, package: package, diagnostics: reader.diagnostics + diagnostics)
    }

    static let shapesHint = "write a JSON array of blocks `[{\"id\": ..., \"kind\": ..., \"prompt\": ...}]`, "
        + "or a package object `{\"package_info\": {...}, \"action_blocks\": [...]}`"

    // MARK: Blocks

    /// The blocks of a list; the problems of the first `FieldShape.itemsListed` blocks that have any
    /// are reported, the other such blocks counted (a list of a million non-blocks is one count).
    private static func blocks(_ items: [SourceNode], file: String, package: String?, diagnostics: inout [Diagnostic]) -> [ActionBlock] {
        var withProblems = 0
        var blocks: [ActionBlock] = []
        for (index, item) in items.enumerated() {
            var found: [Diagnostic] = []
            if let block = block(item, number: index + 1, file: file, package: package, diagnostics: &found) { blocks.append(block) }
            guard !found.isEmpty else { continue }
            withProblems += 1
            if withProblems <= FieldShape.itemsListed { diagnostics += found }
        }
        if withProblems > FieldShape.itemsListed, let first = items.first {
            let more = withProblems - FieldShape.itemsListed
            diagnostics.append(.error("invalid-field", "\(more) more block\(more == 1 ? " has" : "s have") problems, not listed", at: first.location,
                                      hint: "fix the blocks listed, then check again"))
        }
        return blocks
    }

    private static func block(_ node: SourceNode, number: Int, file: String, package: String?, diagnostics: inout [Diagnostic]) -> ActionBlock? {
        guard node.members != nil else {
            diagnostics.append(.error("invalid-field", "block \(number) must be an object `{\"id\": ..., \"kind\": ..., \"prompt\": ...}`, found \(node.kindName)",
                                      at: node.location, hint: "remove it or write it as a block object"))
            return nil
        }
        var reader = JSONObjectReader(node, schema: ContentSchemas.actionBlock, what: "block \(number)")
        defer { diagnostics += reader.diagnostics }
        guard let id = reader.string("id") else {
            if node["id"]?.isNull ?? true {
                reader.report(.error("invalid-field", "block \(number) has no `id`", at: node.location,
                                     hint: "add `\"id\": \"a_unique_name\"`; other blocks refer to it in compatibleNext/compatiblePrev"))
            }
            return nil
        }
        guard !id.value.trimmingCharacters(in: .whitespaces).isEmpty else {
            reader.report(.error("invalid-field", "block \(number) has an empty `id`", at: id.location, hint: "give the block a unique name"))
            return nil
        }
        reader.what = "block `\(id.value)`"
        if let problem = PublishedName.problem(id.value) {
            reader.report(.warning("long-name", "the id of block `\(id.value.prefix(40))…` \(problem)", at: id.location,
                                   hint: "use a shorter id (at most \(PublishedName.longestSegment) bytes as a file name)"))
        }
        let kind: Choice<BlockKind>? = reader.choice("kind")
        if kind == nil, node["kind"]?.isNull ?? true {
            reader.report(.error("invalid-field", "block `\(id.value)` has no `kind`", at: id.location,
                                 hint: "add `\"kind\": \"single_state\"` or `\"kind\": \"transition\"`"))
        }
        let tags = reader.object("tags").map { self.tags($0, block: id.value, diagnostics: &diagnostics) } ?? BlockTags()
        let promptText = reader.string("prompt")
        if promptText == nil, node["prompt"]?.isNull ?? true {
            reader.report(.error("invalid-field", "block `\(id.value)` has no `prompt`", at: id.location,
                                 hint: "add `\"prompt\": \"...\"`, the text sent to the provider"))
        }
        let negativePrompt = reader.string("negativePrompt")
        let style = reader.string("style")
        let duration = reader.double("durationSec")
        let next = reader.strings("compatibleNext")
        let previous = reader.strings("compatiblePrev")
        let referenceImage = reader.object("referenceImage")
        let imageToVideo = reader.bool("isImageToVideo")
        let startPose = reader.string("startPose")
        let endPose = reader.string("endPose")
        let from = reader.object("from").map { endpoint($0, what: "`from` of block `\(id.value)`", diagnostics: &diagnostics) }
        let to = reader.object("to").map { endpoint($0, what: "`to` of block `\(id.value)`", diagnostics: &diagnostics) }
        let camera = reader.object("cameraMovement").map { cameraMovement($0, block: id.value, diagnostics: &diagnostics) }
        let consistency = reader.object("consistency").map { self.consistency($0, what: "`consistency` of block `\(id.value)`", diagnostics: &diagnostics) }
        let intensity = reader.object("intensityProgression").map { intensityProgression($0, block: id.value, diagnostics: &diagnostics) }
        return ActionBlock(id: id.value, file: file, location: node.location, idLocation: id.location, package: package, kind: kind, tags: tags,
                           prompt: Template(parsing: promptText?.value ?? ""), promptLocation: promptText?.location,
                           negativePrompt: negativePrompt, style: style, durationSec: duration, compatibleNext: next, compatiblePrev: previous,
                           referenceImage: referenceImage, isImageToVideo: imageToVideo, startPose: startPose, endPose: endPose,
                           from: from, to: to, cameraMovement: camera, consistency: consistency, intensityProgression: intensity,
                           unknownFields: reader.unknownFields)
    }

    private static func tags(_ node: SourceNode, block: String, diagnostics: inout [Diagnostic]) -> BlockTags {
        var reader = JSONObjectReader(node, schema: ContentSchemas.blockTags, what: "`tags` of block `\(block)`")
        defer { diagnostics += reader.diagnostics }
        return BlockTags(location: reader.string("location"), pose: reader.string("pose"), intimacyLevel: reader.string("intimacy_level"),
                         mood: reader.string("mood"), contentRating: reader.string("content_rating"), timeOfDay: reader.string("time_of_day"),
                         indoors: reader.bool("indoors"), branchType: reader.string("branch_type"), intensity: reader.int("intensity"),
                         custom: reader.strings("custom"), unknownFields: reader.unknownFields)
    }

    private static func endpoint(_ node: SourceNode, what: String, diagnostics: inout [Diagnostic]) -> BlockEndpoint {
        var reader = JSONObjectReader(node, schema: ContentSchemas.blockEndpoint, what: what)
        defer { diagnostics += reader.diagnostics }
        return BlockEndpoint(location: node.location, pose: reader.string("pose"), referenceImage: reader.object("referenceImage"),
                             unknownFields: reader.unknownFields)
    }

    private static func cameraMovement(_ node: SourceNode, block: String, diagnostics: inout [Diagnostic]) -> CameraMovement {
        var reader = JSONObjectReader(node, schema: ContentSchemas.cameraMovement, what: "`cameraMovement` of block `\(block)`")
        defer { diagnostics += reader.diagnostics }
        return CameraMovement(location: node.location, type: reader.choice("type"), speed: reader.choice("speed"), path: reader.choice("path"),
                              focus: reader.string("focus"), unknownFields: reader.unknownFields)
    }

    private static func consistency(_ node: SourceNode, what: String, diagnostics: inout [Diagnostic]) -> Consistency {
        var reader = JSONObjectReader(node, schema: ContentSchemas.consistency, what: what)
        defer { diagnostics += reader.diagnostics }
        return Consistency(location: node.location, maintainPose: reader.bool("maintainPose")?.value,
                           preserveLighting: reader.bool("preserveLighting")?.value, preserveClothing: reader.bool("preserveClothing")?.value,
                           preservePosition: reader.bool("preservePosition")?.value, unknownFields: reader.unknownFields)
    }

    private static func intensityProgression(_ node: SourceNode, block: String, diagnostics: inout [Diagnostic]) -> IntensityProgression {
        var reader = JSONObjectReader(node, schema: ContentSchemas.intensityProgression, what: "`intensityProgression` of block `\(block)`")
        defer { diagnostics += reader.diagnostics }
        return IntensityProgression(location: node.location, start: reader.int("start"), peak: reader.int("peak"), end: reader.int("end"),
                                    pattern: reader.choice("pattern"), unknownFields: reader.unknownFields)
    }

    // MARK: Packages

    private static func packageInfo(_ node: SourceNode, diagnostics: inout [Diagnostic]) -> PackageInfo {
        var reader = JSONObjectReader(node, schema: ContentSchemas.blockPackageInfo, what: "`package_info`")
        defer { diagnostics += reader.diagnostics }
        return PackageInfo(location: node.location, name: reader.string("name")?.value, version: reader.string("version")?.value,
                           author: reader.string("author")?.value, description: reader.string("description")?.value,
                           contentRatingMax: reader.string("content_rating_max")?.value, createdDate: reader.string("created_date")?.value,
                           unknownFields: reader.unknownFields)
    }

    private static func templates(_ node: SourceNode, diagnostics: inout [Diagnostic]) -> [BlockTemplate] {
        (node.members ?? []).compactMap { member in
            guard member.value.members != nil else {
                diagnostics.append(.error("invalid-field", "template `\(member.key)` must be an object `{\"name\": ..., \"template\": ...}`, found \(member.value.kindName)",
                                          at: member.value.location))
                return nil
            }
            var reader = JSONObjectReader(member.value, schema: ContentSchemas.blockTemplate, what: "template `\(member.key)`")
            defer { diagnostics += reader.diagnostics }
            let defaults = reader.object("consistency_defaults").map {
                consistency($0, what: "`consistency_defaults` of template `\(member.key)`", diagnostics: &diagnostics)
            }
            return BlockTemplate(key: member.key, location: member.value.location, name: reader.string("name")?.value,
                                 template: reader.string("template").map { Template(parsing: $0.value) },
                                 requiredParams: reader.strings("required_params"), optionalParams: reader.strings("optional_params"),
                                 cameraTemplate: reader.string("camera_template").map { Template(parsing: $0.value) },
                                 consistencyDefaults: defaults, unknownFields: reader.unknownFields)
        }
    }

    // MARK: JSON as YAML

    /// Valid JSON that libyaml would still refuse, made acceptable without moving lines:
    /// tabs (only ever whitespace between tokens in valid JSON) become spaces, and
    /// `\uD83D\uDE00` surrogate-pair escapes become the character they encode.
    static func yamlCompatible(_ json: String) -> String {
        var text = json.contains("\t") ? json.replacingOccurrences(of: "\t", with: " ") : json
        guard text.range(of: "\\ud", options: .caseInsensitive) != nil else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        func hex(at start: Int) -> UInt32? {
            guard start + 4 <= scalars.count else { return nil }
            return UInt32(String(String.UnicodeScalarView(scalars[start..<start + 4])), radix: 16)
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\", index + 1 < scalars.count {
                if scalars[index + 1] == "u", let high = hex(at: index + 2), (0xD800...0xDBFF).contains(high),
                   index + 11 < scalars.count, scalars[index + 6] == "\\", scalars[index + 7] == "u",
                   let low = hex(at: index + 8), (0xDC00...0xDFFF).contains(low),
                   let combined = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) {
                    result.append(combined)
                    index += 12
                } else {
                    // Any other escape (including `\\`) is copied whole, so its second character is never re-read.
                    result.append(scalar)
                    result.append(scalars[index + 1])
                    index += 2
                }
                continue
            }
            result.append(scalar)
            index += 1
        }
        text = String(result)
        return text
    }
}

/// `block-duplicate-id`: one error for each block whose id an earlier block
/// (in file order, then position) already has, naming both places.
public func duplicateBlockIDs(_ blocks: [ActionBlock]) -> [Diagnostic] {
    var first: [String: ActionBlock] = [:]
    var diagnostics: [Diagnostic] = []
    let ordered = blocks.sorted { $0.idLocation < $1.idLocation }
    for block in ordered {
        if let earlier = first[block.id] {
            diagnostics.append(.error("block-duplicate-id",
                                      "block id `\(block.id)` is defined twice: at \(earlier.idLocation) and at \(block.idLocation)",
                                      at: block.idLocation, hint: "rename one of them; ids must be unique across all action-block files"))
        } else {
            first[block.id] = block
        }
    }
    return diagnostics
}

/// Reads the fields of one JSON object with JSON's exact types (a number is not
/// text), reporting each mistyped value where it is. `null` counts as absent.
///
/// It reads through the object's `ObjectSchema` (`ContentSchemas`, published by `promptsite schema`):
/// a field read that the schema does not declare, or declares as another shape, is a `schema-drift`
/// error (a promptsite bug, which the tests catch). Fields the schema does not declare stay allowed
/// in files, as PixSim7 keeps them (`unknownFields`).
struct JSONObjectReader {
    let node: SourceNode
    var what: String
    let schema: ObjectSchema
    private(set) var diagnostics: [Diagnostic] = []
    private var read: Set<String> = []

    init(_ node: SourceNode, schema: ObjectSchema, what: String) {
        self.node = node
        self.schema = schema
        self.what = what
    }

    mutating func report(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    /// The value of a field, marking it as known; nil when absent or null. `shape`: the shape family
    /// the caller reads (nil: any), checked against the schema's.
    mutating func value(_ key: String, shape: String? = nil) -> SourceNode? {
        if read.insert(key).inserted { checkDeclared(key, shape: shape) }
        guard let value = node[key], !value.isNull else { return nil }
        return value
    }

    private mutating func checkDeclared(_ key: String, shape: String?) {
        let problem: String
        if let declared = schema.lookup(key) {
            // In JSON, text is a string: an enum (`text`) is read as a string or a choice.
            let family = declared.family == "text" ? "string" : declared.family
            guard let shape, family != "any", family != shape else { return }
            problem = "`\(key)` is read as \(shape) but declared as \(declared.family)"
        } else {
            problem = "`\(key)` is read but not declared"
        }
        report(.error("schema-drift", "the loader and the schema of \(schema.title) disagree: \(problem)", at: node.location,
                      hint: "this is a promptsite bug: declare the field in ContentSchemas as the loader reads it"))
    }

    mutating func string(_ key: String) -> Located<String>? {
        guard let value = value(key, shape: "string") else { return nil }
        if let string = value.string { return Located(string, at: value.location) }
        mistyped(key, value, expected: "a string")
        return nil
    }

    mutating func int(_ key: String) -> Located<Int>? {
        guard let value = value(key, shape: "integer") else { return nil }
        if let int = value.int { return Located(int, at: value.location) }
        mistyped(key, value, expected: "a whole number")
        return nil
    }

    mutating func double(_ key: String) -> Located<Double>? {
        guard let value = value(key, shape: "number") else { return nil }
        if let double = value.double { return Located(double, at: value.location) }
        mistyped(key, value, expected: "a number")
        return nil
    }

    mutating func bool(_ key: String) -> Located<Bool>? {
        guard let value = value(key, shape: "boolean") else { return nil }
        if let bool = value.bool { return Located(bool, at: value.location) }
        mistyped(key, value, expected: "true or false")
        return nil
    }

    mutating func choice<Value: CaseIterable>(_ key: String) -> Choice<Value>? {
        guard let value = value(key, shape: "string") else { return nil }
        if let string = value.string { return Choice(string, at: value.location) }
        let names = Value.allCases.map { "\"\($0.rawValue)\"" }
        mistyped(key, value, expected: "a string, one of \(names.joined(separator: ", "))")
        return nil
    }

    mutating func object(_ key: String) -> SourceNode? {
        guard let value = value(key, shape: "mapping") else { return nil }
        if value.members != nil { return value }
        mistyped(key, value, expected: "an object `{...}`")
        return nil
    }

    /// An array of strings; each item of another type is reported and left out.
    mutating func strings(_ key: String) -> [Located<String>] {
        guard let value = value(key, shape: "list") else { return [] }
        guard let items = value.items else {
            mistyped(key, value, expected: "an array of strings")
            return []
        }
        var wrong = 0
        let strings = items.compactMap { item -> Located<String>? in
            if let string = item.string { return Located(string, at: item.location) }
            wrong += 1
            if wrong <= FieldShape.itemsListed {
                report(.error("invalid-field", "`\(key)` of \(what) must list strings, found \(item.kindName)", at: item.location,
                              hint: "write each entry in double quotes"))
            }
            return nil
        }
        if wrong > FieldShape.itemsListed {
            report(.error("invalid-field", "`\(key)` of \(what) lists \(wrong - FieldShape.itemsListed) more values that are not strings, not listed", at: value.location,
                          hint: "write each entry in double quotes"))
        }
        return strings
    }

    mutating func mistyped(_ key: String, _ value: SourceNode, expected: String) {
        report(.error("invalid-field", "`\(key)` of \(what) must be \(expected), found \(value.kindName)", at: value.location))
    }

    /// The fields no reader asked for, in file order.
    var unknownFields: [SourceNode.Member] {
        (node.members ?? []).filter { !read.contains($0.key) }
    }
}
