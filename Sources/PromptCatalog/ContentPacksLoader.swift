import Diagnostics
import Foundation

// Reads `content-packs/` as PixSim7's `content_pack_loader` (prompt packs) and `primitive_loader`
// (primitive packs) do. Where PixSim7 refuses a whole pack at its first error, this loader reports each
// problem at its line and keeps the rest of the pack: the schema entry, block or template with the
// problem is left out.

enum ContentPackLoader {
    static let folder = "content-packs"

    /// The block fields that must be strings, as the `content-pack-blocks` schema declares them.
    static let blockStringFields = ContentSchemas.packBlockFields.compactMap { field -> String? in
        if case .string = field.shape { field.name } else { nil }
    }

    static func load(_ tree: ContentTree, registry: PackTagRegistry = .pixSim7) -> (packs: ContentPacks, diagnostics: [Diagnostic], files: [String]) {
        var packs: [ContentPack] = []
        var blocks: [PackBlock] = []
        var templates: [PackTemplate] = []
        var diagnostics: [Diagnostic] = []
        var files: [String] = []
        for kind in [PackKind.prompt, .primitives] {
            let kindFolder = "\(folder)/\(kind.rawValue)"
            for entry in tree.entries(in: kindFolder) where entry.isDirectory && !Self.skips(entry.name, kind: kind) {
                var reading = PackReading(tree: tree, folder: entry, kind: kind, registry: registry)
                let manifest = reading.manifest()
                switch kind {
                case .prompt:
                    blocks += reading.promptBlocks()
                    templates += reading.templates()
                case .primitives:
                    blocks += reading.primitiveBlocks()
                }
                packs.append(ContentPack(name: entry.name, kind: kind, folder: entry.path, manifest: manifest))
                diagnostics += reading.diagnostics
                files += reading.files
            }
        }
        return (ContentPacks(packs: packs, blocks: blocks, templates: templates), diagnostics, files)
    }

    /// `discover_content_packs` skips prompt-pack folders named `_…` (`_archived`); `load_all_primitives`
    /// loads every primitive-pack folder. Files named `_…` inside a pack are read (`rglob`/`glob` match them).
    static func skips(_ folderName: String, kind: PackKind) -> Bool {
        kind == .prompt && folderName.hasPrefix("_")
    }
}

/// Reading one pack folder.
private struct PackReading {
    let tree: ContentTree
    let folder: ContentEntry
    let kind: PackKind
    let registry: PackTagRegistry
    var diagnostics: [Diagnostic] = []
    var files: [String] = []

    init(tree: ContentTree, folder: ContentEntry, kind: PackKind, registry: PackTagRegistry) {
        self.tree = tree
        self.folder = folder
        self.kind = kind
        self.registry = registry
    }

    private static let schemaFileNames = ["schema.yaml", "schema.yml", "blocks.schema.yaml", "blocks.schema.yml"]

    // MARK: - Files

    private func file(_ name: String) -> ContentEntry? {
        tree.entries(in: folder.path).first { $0.name == name && !$0.isDirectory }
    }

    /// Every file under a sub-folder, recursively, in path order.
    private func files(under name: String, recursive: Bool = true, where keep: (String) -> Bool) -> [ContentEntry] {
        var found: [ContentEntry] = []
        var folders = ["\(folder.path)/\(name)"]
        while let current = folders.popLast() {
            for entry in tree.entries(in: current) {
                if entry.isDirectory {
                    if recursive { folders.append(entry.path) }
                } else if keep(entry.name) {
                    found.append(entry)
                }
            }
        }
        return found.sorted { Self.pathOrder($0.path, $1.path) }
    }

    /// Python's order of `Path`s (`sorted(rglob(...))`): component by component, each by code points, so
    /// `blocks/a/x` comes before `blocks/a-b/x` (comparing whole strings, `-` sorts before `/`).
    static func pathOrder(_ left: String, _ right: String) -> Bool {
        let leftParts = left.split(separator: "/").map { Array($0.unicodeScalars.map(\.value)) }
        let rightParts = right.split(separator: "/").map { Array($0.unicodeScalars.map(\.value)) }
        for (a, b) in zip(leftParts, rightParts) where a != b { return a.lexicographicallyPrecedes(b) }
        return leftParts.count < rightParts.count
    }

    /// A YAML file whose top level is a mapping (an empty file is an empty mapping, as `yaml.safe_load` gives None).
    private mutating func read(_ entry: ContentEntry) -> SourceNode? {
        files.append(entry.path)
        let text: String
        switch SourceFile.read(entry) {
        case .success(let read): text = read
        case .failure(let diagnostic): diagnostics.append(diagnostic); return nil
        }
        let start = SourceLocation(file: entry.path, line: 1, column: 1)
        let (parsed, repeats) = YAMLReader.parse(text, file: entry.path, lastKeyWins: true)
        diagnostics += repeats
        switch parsed {
        case .failure(let diagnostic):
            diagnostics.append(diagnostic)
            return nil
        case .success(nil):
            return SourceNode(.mapping([]), at: start)
        case .success(let node?):
            guard node.members != nil else {
                let found = node.items != nil ? "list" : (node.isNull ? "NoneType" : "str")
                diagnostics.append(.error("pack-field", "expected top-level YAML mapping, got \(found)", at: node.location,
                                          hint: "a pack file is a mapping: `blocks:`, `templates:` or manifest fields"))
                return nil
            }
            return node
        }
    }

    private mutating func report(_ code: String, _ message: String, at location: SourceLocation, hint: String? = nil) {
        diagnostics.append(.error(code, message, at: location, hint: hint))
    }

    // MARK: - Manifest

    mutating func manifest() -> PackManifest? {
        guard let entry = file("manifest.yaml") ?? file("manifest.yml"), let node = read(entry) else { return nil }
        func text(_ key: String) -> String? {
            guard let value = node[key], !value.isNull else { return nil }
            return value.string ?? value.scalarText
        }
        var presets: [MatrixPreset] = []
        if let list = node["matrix_presets"], !list.isNull {
            if let items = list.items {
                for (index, item) in items.enumerated() {
                    if let preset = matrixPreset(item, index: index, file: entry.path) { presets.append(preset) }
                }
            } else {
                report("pack-manifest", "matrix_presets must be a list", at: list.location)
            }
        }
        return PackManifest(file: entry.path, id: text("id"), title: text("title"), description: text("description"), version: text("version"),
                            category: text("category"), packageName: text("package_name"), matrixPresets: presets)
    }

    private mutating func matrixPreset(_ node: SourceNode, index: Int, file: String) -> MatrixPreset? {
        let at = "matrix_presets[\(index)]"
        guard node.members != nil else { report("pack-manifest", "\(at) must be an object", at: node.location); return nil }
        guard let label = node["label"]?.nonEmptyString else {
            report("pack-manifest", "\(at).label must be a non-empty string", at: (node["label"] ?? node).location); return nil
        }
        guard let query = node["query"], query.members != nil else {
            report("pack-manifest", "\(at).query must be an object", at: (node["query"] ?? node).location); return nil
        }
        guard let row = query["row_key"]?.nonEmptyString, let column = query["col_key"]?.nonEmptyString else {
            report("pack-manifest", "\(at).query.row_key and col_key must be non-empty strings", at: query.location); return nil
        }
        var tags: [(key: String, value: String)] = []
        if let tagText = query["tags"]?.string {
            for part in tagText.split(separator: ",") {
                let pair = part.split(separator: ":", maxSplits: 1).map { String($0).pythonStripped }
                if pair.count == 2 { tags.append((pair[0], pair[1])) }
            }
        }
        return MatrixPreset(label: label, rowKey: row, columnKey: column, packageName: query["package_name"]?.nonEmptyString, tags: tags,
                            includeEmpty: query["include_empty"]?.bool ?? false, location: node.location)
    }

    // MARK: - Prompt pack blocks

    /// `parse_blocks`: schema sources (`schema.yaml`, `blocks.schema.yaml`, `blocks/**/*.schema.yaml`), legacy sources refused.
    mutating func promptBlocks() -> [PackBlock] {
        let isSchema = { (name: String) in name.hasSuffix(".schema.yaml") || name.hasSuffix(".schema.yml") }
        var legacy = ["blocks.yaml", "blocks.yml"].compactMap { file($0) }
        legacy += files(under: "blocks") { name in (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) && !isSchema(name) }
        for entry in legacy {
            report("pack-legacy-source", "found unsupported legacy block source(s): \(entry.name). Use schema.yaml, blocks.schema.yaml, or blocks/**/*.schema.yaml.",
                   at: SourceLocation(file: entry.path), hint: "move the blocks into a schema file, or into primitives/<pack>/ as a primitive pack")
        }
        var sources = Self.schemaFileNames.compactMap { file($0) }
        sources += files(under: "blocks", where: isSchema)
        let documents = sources.compactMap { entry in read(entry).map { (entry, $0) } }

        var packDefaults: [String: PackField] = [:]
        var packageName: (name: String, file: String)?
        var defaultsTaken = false
        for (entry, node) in documents {
            if let value = node["package_name"], !value.isNull {
                if let name = value.string {
                    if let first = packageName, first.name != name {
                        report("pack-field", "package_name '\(name)' conflicts with '\(first.name)' from \(first.file)", at: value.location)
                    } else if packageName == nil {
                        packageName = (name, entry.path)
                    }
                } else {
                    report("pack-field", "package_name must be a string", at: value.location)
                }
            }
            if !defaultsTaken, Self.schemaFileNames.contains(entry.name), entry.path == "\(folder.path)/\(entry.name)" {
                defaultsTaken = true
                packDefaults = fields(of: node["defaults"], what: "defaults")
            }
        }
        var blocks: [PackBlock] = []
        var seen: [String: String] = [:]
        for (entry, node) in documents {
            if let value = node["block_schema"], !value.isNull {
                report("pack-schema", "top-level block_schema is no longer supported; use blocks[].block_schema", at: value.location)
            }
            let fileDefaults = fields(of: node["defaults"], what: "defaults")
            guard let list = node["blocks"], !list.isNull else { continue }
            guard let items = list.items else { report("pack-field", "blocks must be a list", at: list.location); continue }
            var expanded: [RawPackBlock] = []
            for (index, item) in items.enumerated() {
                guard let members = item.members else { report("pack-field", "blocks[\(index)] must be an object", at: item.location); continue }
                guard item["block_schema"] != nil else {
                    var fields: [String: PackField] = [:]
                    for member in members { fields[member.key] = member.value.field }
                    expanded.append(RawPackBlock(fields: fields, location: item.location, textLocation: item["text"]?.location ?? item.location))
                    continue
                }
                do throws(PackProblem) {
                    expanded += try schemaEntry(item, index: index)
                } catch {
                    diagnostics += error.diagnostics
                }
            }
            var effectiveDefaults = packDefaults
            for (key, value) in fileDefaults { effectiveDefaults[key] = value }
            for (index, raw) in expanded.enumerated() {
                if let block = finish(raw, index: index, defaults: effectiveDefaults, packageName: packageName?.name, file: entry.path, seen: &seen) {
                    blocks.append(block)
                }
            }
        }
        return blocks
    }

    private mutating func fields(of node: SourceNode?, what: String) -> [String: PackField] {
        guard let node, !node.isNull else { return [:] }
        guard let members = node.members else { report("pack-field", "\(what) must be an object", at: node.location); return [:] }
        var fields: [String: PackField] = [:]
        for member in members { fields[member.key] = member.value.field }
        return fields
    }

    /// One `blocks[]` entry with a `block_schema`: its variants, with the entry's `defaults` and other keys underneath.
    private mutating func schemaEntry(_ item: SourceNode, index: Int) throws(PackProblem) -> [RawPackBlock] {
        let at = "blocks[\(index)]"
        var schemaID: String?
        if let node = item["id"], !node.isNull {
            guard let text = node.nonEmptyString else { throw PackProblem("pack-field", "\(at).id must be a non-empty string", at: node.location) }
            schemaID = text
        }
        var group: String?
        if let node = item["group"], !node.isNull {
            guard let text = node.nonEmptyString else { throw PackProblem("pack-field", "\(at).group must be a non-empty string", at: node.location) }
            group = text
        }
        var defaults: [String: PackField] = [:]
        if let node = item["defaults"], !node.isNull {
            guard let members = node.members else { throw PackProblem("pack-field", "\(at).defaults must be an object", at: node.location) }
            for member in members { defaults[member.key] = member.value.field }
        }
        guard let schema = item["block_schema"], schema.members != nil else {
            throw PackProblem("pack-field", "\(at).block_schema must be an object", at: (item["block_schema"] ?? item).location)
        }
        var overrides: [String: PackField] = [:]
        for member in item.members! where !["id", "group", "defaults", "block_schema"].contains(member.key) { overrides[member.key] = member.value.field }
        return try PackSchemaCompiler.compile(schema, registry: registry).map { compiled in
            var block = compiled
            var fields = defaults
            for (key, value) in overrides { fields[key] = value }
            for (key, value) in compiled.fields { fields[key] = value }
            if let group, case .object(var tags)? = fields["tags"]?.value {
                setDefault(&tags, "schema_group", .string(group))
                fields["tags"] = PackField(value: .object(tags), location: fields["tags"]!.location)
            }
            if let schemaID { fields["schema_id"] = PackField(value: .string(schemaID), location: item.location) }
            block.fields = fields
            return block
        }
    }

    /// The loader's pass over every block of a file: defaults, `block_id`, field types, derived tags.
    private mutating func finish(_ raw: RawPackBlock, index: Int, defaults: [String: PackField], packageName: String?, file: String,
                                 seen: inout [String: String]) -> PackBlock? {
        var fields = defaults
        for (key, value) in raw.fields { fields[key] = value }
        guard case .string(let rawID)? = fields["block_id"]?.value, !rawID.pythonStripped.isEmpty else {
            report("pack-field", "blocks[\(index)].block_id is required and must be a non-empty string", at: fields["block_id"]?.location ?? raw.location)
            return nil
        }
        let id = rawID.pythonStripped
        if let earlier = seen[id] {
            report("pack-duplicate-block", "duplicate block_id '\(id)' in blocks[\(index)] (already defined in \(earlier))", at: raw.location,
                   hint: "block ids are unique across a pack's schema files")
            return nil
        }
        seen[id] = file
        if let packageName, raw.fields["package_name"] == nil { fields["package_name"] = PackField(value: .string(packageName), location: raw.location) }
        for name in ContentPackLoader.blockStringFields {
            guard let field = fields[name] else { continue }
            switch field.value {
            case .null, .string: continue
            default:
                report("pack-field", "blocks[\(index)].\(name) must be a string", at: field.location)
                return nil
            }
        }
        if let field = fields["capabilities"] {
            switch field.value {
            case .null, .string, .array: break
            default: report("pack-field", "blocks[\(index)].capabilities must be a string or list", at: field.location); return nil
            }
        }
        var tags: [(String, JSONValue)] = []
        switch fields["tags"]?.value {
        case nil, .null?: break
        case .object(let members)?: tags = members
        case _?: report("pack-field", "blocks[\(index)].tags must be an object", at: fields["tags"]!.location); return nil
        }
        func string(_ name: String) -> String? {
            guard case .string(let text)? = fields[name]?.value else { return nil }
            let trimmed = text.pythonStripped
            return trimmed.isEmpty ? nil : trimmed
        }
        if let role = string("role") { setDefault(&tags, "role", .string(role)) }
        if let category = string("category") { setDefault(&tags, "legacy_category", .string(category)) }
        setDefault(&tags, "source_pack", .string(string("package_name") ?? folder.name))
        if let duration = fields["duration_sec"]?.value, duration != .null { setDefault(&tags, "duration_sec", duration) }
        upsert(&tags, "content_pack", .string(folder.name))
        switch fields["block_metadata"]?.value {
        case nil, .null?, .object?: break
        case _?: report("pack-field", "blocks[\(index)].block_metadata must be an object", at: fields["block_metadata"]!.location); return nil
        }
        var text = ""
        switch fields["text"]?.value {
        case nil, .null?: break
        case .string(let value)?: text = value
        case _?: report("pack-field", "blocks[\(index)].text must be a string", at: fields["text"]!.location); return nil
        }
        var schemaID: String?
        if case .string(let value)? = fields["schema_id"]?.value { schemaID = value }
        // `content_pack_projection.project_block_to_primitive` stores this category, and slots select on it.
        let category = string("category") ?? string("role") ?? "uncategorized"
        return PackBlock(id: id, pack: folder.name, kind: kind, category: category, text: text, tags: tags.map { (key: $0.0, value: $0.1) },
                         packageName: string("package_name"), schemaID: schemaID, variantKey: raw.variantKey, location: raw.location,
                         textLocation: raw.textLocation)
    }

    // MARK: - Templates

    /// `parse_templates`: `templates.yaml` (or `.yml`) and `templates/**/*.yaml`.
    mutating func templates() -> [PackTemplate] {
        var sources: [ContentEntry] = []
        if let single = file("templates.yaml") ?? file("templates.yml") { sources.append(single) }
        sources += files(under: "templates") { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        var templates: [PackTemplate] = []
        var seen: [String: String] = [:]
        for entry in sources {
            guard let node = read(entry), let list = node["templates"], !list.isNull else { continue }
            guard let items = list.items else { report("pack-field", "templates must be a list", at: list.location); continue }
            for (index, item) in items.enumerated() {
                do throws(PackProblem) {
                    var warnings: [Diagnostic] = []
                    let template = try readTemplate(item, index: index, warnings: &warnings)
                    diagnostics += warnings
                    if let earlier = seen[template.slug] {
                        report("pack-duplicate-slug", "duplicate slug '\(template.slug)' in templates[\(index)] (already defined in \(earlier))",
                               at: item["slug"]?.location ?? item.location)
                        continue
                    }
                    seen[template.slug] = entry.path
                    templates.append(template)
                } catch {
                    diagnostics += error.diagnostics
                }
            }
        }
        return templates
    }

    private func readTemplate(_ item: SourceNode, index: Int, warnings: inout [Diagnostic]) throws(PackProblem) -> PackTemplate {
        let at = "templates[\(index)]"
        guard item.members != nil else { throw PackProblem("pack-field", "\(at) must be an object", at: item.location) }
        guard let slug = item["slug"]?.nonEmptyString else {
            throw PackProblem("pack-field", "\(at).slug is required and must be a non-empty string", at: (item["slug"] ?? item).location)
        }
        for name in ["name", "description", "composition_strategy", "package_name"] {
            if let value = item[name], !value.isNull, value.string == nil { throw PackProblem("pack-field", "\(at).\(name) must be a string", at: value.location) }
        }
        var slots: [PackSlot] = []
        var metadata: SourceNode?
        if let node = item["template_metadata"], !node.isNull {
            guard node.members != nil else { throw PackProblem("pack-field", "\(at).template_metadata must be an object", at: node.location) }
            metadata = node
        }
        if let list = item["slots"], !list.isNull {
            guard let items = list.items else { throw PackProblem("pack-field", "\(at).slots must be a list", at: list.location) }
            let normalized = try PackSlotNormalizer.slots(items, metadata: metadata, at: at)
            slots = normalized.slots
            warnings += normalized.warnings
        }
        return PackTemplate(slug: slug, name: item["name"]?.string ?? "", description: item["description"]?.string, pack: folder.name, kind: kind,
                            packageName: item["package_name"]?.string, compositionStrategy: item["composition_strategy"]?.string ?? "sequential",
                            slots: slots, location: item.location)
    }

    // MARK: - Primitive packs

    /// `primitive_loader._collect_pack_primitives`: `blocks.yaml`, then `blocks/*.yaml`, then `blocks/*.yml`.
    mutating func primitiveBlocks() -> [PackBlock] {
        var sources = file("blocks.yaml").map { [$0] } ?? []
        sources += files(under: "blocks", recursive: false) { $0.hasSuffix(".yaml") }
        sources += files(under: "blocks", recursive: false) { $0.hasSuffix(".yml") }
        var blocks: [PackBlock] = []
        var seen: Set<String> = []
        for entry in sources {
            guard let node = read(entry) else { continue }
            guard let items = node["blocks"]?.items else {
                report("pack-field", "Expected 'blocks' list in \(entry.path)", at: (node["blocks"] ?? node).location); continue
            }
            for (index, item) in items.enumerated() {
                do throws(PackProblem) {
                    let block = try primitive(item, index: index, file: entry.path)
                    guard seen.insert(block.id).inserted else {
                        report("pack-duplicate-block", "Duplicate block_id '\(block.id)' in \(entry.path) (already defined in another file in \(folder.name))",
                               at: item["block_id"]?.location ?? item.location)
                        continue
                    }
                    blocks.append(block)
                } catch {
                    diagnostics += error.diagnostics
                }
            }
        }
        return blocks
    }

    private func primitive(_ item: SourceNode, index: Int, file: String) throws(PackProblem) -> PackBlock {
        guard item.members != nil else { throw PackProblem("pack-field", "Block #\(index) in \(file) is not a mapping", at: item.location) }
        guard let id = item["block_id"]?.string, !id.isEmpty else {
            throw PackProblem("pack-field", "Block #\(index) in \(file) missing or invalid 'block_id'", at: (item["block_id"] ?? item).location)
        }
        guard let category = item["category"]?.string, !category.isEmpty else {
            throw PackProblem("pack-field", "Block '\(id)' missing or invalid 'category'", at: (item["category"] ?? item).location)
        }
        guard let text = item["text"]?.string, !text.isEmpty else {
            throw PackProblem("pack-field", "Block '\(id)' missing or invalid 'text'", at: (item["text"] ?? item).location)
        }
        var tags: [(key: String, value: JSONValue)] = []
        if let node = item["tags"] {
            guard let members = node.members else {
                throw PackProblem("pack-field", "Block '\(id)' has invalid 'tags' (expected mapping)", at: node.location)
            }
            // Scalars become text (YAML may read them as numbers or booleans); lists stay lists.
            tags = members.map { member in
                let value = member.value.json
                if case .array = value { return (member.key, value) }
                return (member.key, .string(value.pythonText))
            }
        }
        return PackBlock(id: id, pack: folder.name, kind: .primitives, category: category, text: text, tags: tags, packageName: nil, schemaID: nil,
                         variantKey: nil, location: item.location, textLocation: item["text"]!.location)
    }
}
