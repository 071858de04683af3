import Diagnostics
import Foundation

/// `prompts/<slug>/`: family.yaml and the v<N>.prompt files beside it.
enum FamilyLoader {
    struct Result {
        let family: PromptFamily
        let diagnostics: [Diagnostic]
        let files: [String]
    }

    static func load(_ folder: ContentEntry, tree: ContentTree) -> Result {
        let slug = folder.name
        let familyPath = "\(folder.path)/family.yaml"
        var diagnostics: [Diagnostic] = []
        var files: [String] = []
        if !isValidSlug(slug) {
            diagnostics.append(.error("invalid-slug", "family folder name `\(slug)` is not a valid slug",
                                      at: SourceLocation(file: familyPath),
                                      hint: "use lowercase letters, digits and `-`, starting with a letter or digit (at most 100 characters)"))
        }
        var versionEntries: [ContentEntry] = []
        var familyEntry: ContentEntry?
        for entry in tree.entries(in: folder.path) {
            if entry.name == "family.yaml" || entry.name == "family.yml" {
                familyEntry = entry
            } else if !entry.isDirectory, entry.name.hasSuffix(".prompt") {
                versionEntries.append(entry)
            } else if !entry.isDirectory, entry.name.lowercased() == "readme.md" {
                continue
            } else {
                diagnostics.append(.warning("unexpected-file", "`\(entry.name)` is neither family.yaml nor a v<N>.prompt version and is ignored",
                                            at: SourceLocation(file: entry.path), hint: "versions are named v1.prompt, v2.prompt, ..."))
            }
        }

        var fields = FamilyFields(slug: slug)
        if let familyEntry {
            files.append(familyEntry.path)
            switch readYAMLMapping(familyEntry, what: "family.yaml") {
            case .success(let node): fields.read(node, diagnostics: &diagnostics)
            case .failure(let diagnostic): diagnostics.append(diagnostic)
            }
        } else {
            diagnostics.append(.error("invalid-field", "family folder `\(slug)` has no family.yaml", at: SourceLocation(file: familyPath),
                                      hint: "add family.yaml with at least `title:` and `prompt_type:`"))
        }

        var versions: [PromptVersion] = []
        for entry in versionEntries {
            files.append(entry.path)
            guard let number = versionNumber(entry.name) else {
                // v0.prompt, v0001234567890.prompt: the name has the shape, the number does not fit.
                let digits = entry.name.dropFirst().dropLast(".prompt".count)
                let why = entry.name.hasPrefix("v") && entry.name.hasSuffix(".prompt") && !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
                    ? "`\(entry.name)` is not a version: N must be 1 to 999999999" : "`\(entry.name)` is not named v<N>.prompt"
                diagnostics.append(.warning("unexpected-file", "\(why) and is ignored",
                                            at: SourceLocation(file: entry.path), hint: "rename it to v<N>.prompt with N = 1, 2, 3 ..."))
                continue
            }
            let load = { VersionLoader.load(entry, family: slug, number: number) }
            let loaded = tree.memo.map { $0.version(entry, load: load) } ?? load()
            diagnostics += loaded.diagnostics
            if let version = loaded.value { versions.append(version) }
        }
        versions.sort { ($0.number, $0.file) < ($1.number, $1.file) }
        var family = PromptFamily(
            slug: slug, file: familyEntry?.path ?? familyPath, title: fields.title ?? slug, description: fields.description,
            promptType: fields.promptType, category: fields.category, tags: fields.tags, nodeTypes: fields.nodeTypes,
            actionBlock: fields.actionBlock, scene: fields.scene, npc: fields.npc, labels: fields.labels,
            active: fields.active, versions: versions)
        family.actionBlockLocation = fields.actionBlockLocation
        return Result(family: family, diagnostics: diagnostics, files: files)
    }

    /// `^[a-z0-9][a-z0-9-]{0,99}$`, by hand for ASCII names (a regex literal is compiled anew on
    /// every call, once per family); other names go through the regex.
    static func isValidSlug(_ slug: String) -> Bool {
        let bytes = slug.utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return (try? /^[a-z0-9][a-z0-9-]{0,99}$/.wholeMatch(in: slug)) != nil }
        func isLowerOrDigit(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
        guard let first = bytes.first, isLowerOrDigit(first), bytes.count <= 100 else { return false }
        return bytes.dropFirst().allSatisfy { isLowerOrDigit($0) || $0 == UInt8(ascii: "-") }
    }

    /// N from `v<N>.prompt` (N ≥ 1), or nil for any other name.
    /// `v<N>.prompt` → N (1 to 9 digits, N ≥ 1), by hand: a regex literal is compiled anew on every
    /// call, once per version file.
    static func versionNumber(_ name: String) -> Int? {
        let bytes = Array(name.utf8)
        let suffix = Array(".prompt".utf8)
        guard bytes.count > 1 + suffix.count, bytes[0] == UInt8(ascii: "v"), bytes.suffix(suffix.count).elementsEqual(suffix) else { return nil }
        let digits = bytes[1..<(bytes.count - suffix.count)]
        guard (1...9).contains(digits.count), digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let number = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return number >= 1 ? number : nil
    }
}

/// The fields of family.yaml.
private struct FamilyFields {
    let slug: String
    var title: String?
    var description: String?
    var promptType: PromptType?
    var category: String?
    var tags: [String] = []
    var nodeTypes: [String] = []
    var actionBlock: String?
    var actionBlockLocation: SourceLocation?
    var scene: String?
    var npc: String?
    var labels: [FamilyLabel] = []
    var active = true

    init(slug: String) { self.slug = slug }

    mutating func read(_ node: SourceNode, diagnostics: inout [Diagnostic]) {
        var reader = FieldReader(node, schema: ContentSchemas.family, what: "family.yaml of \(slug)")
        title = reader.string("title", required: true)
        description = reader.string("description")
        if let typeText = reader.string("prompt_type", required: true) {
            promptType = PromptType(rawValue: typeText)
            if promptType == nil {
                reader.report(.error("invalid-field", "unknown prompt_type `\(typeText)`", at: node["prompt_type"]?.location,
                                     hint: "use one of: visual, narrative, hybrid, snippet"))
            }
        }
        category = reader.string("category")
        tags = reader.strings("tags").map(\.value)
        nodeTypes = reader.strings("node_types").map(\.value)
        actionBlock = reader.string("action_block")
        actionBlockLocation = actionBlock == nil ? nil : node["action_block"]?.location
        scene = reader.string("scene")
        npc = reader.string("npc")
        active = reader.bool("active") ?? true
        if let labelsNode = reader.mapping("labels") {
            for member in labelsNode.members ?? [] {
                if let problem = Self.labelNameProblem(member.key) {
                    reader.report(.error("label-name", "label `\(member.key)` \(problem)", at: member.keyLocation,
                                         hint: "name it with letters, digits, `-`, `_` or `.`, not `latest` nor a version number such as `2` or `v2` (`production`, `ab-test.b`)"))
                } else if let number = member.value.int {
                    labels.append(FamilyLabel(name: member.key, version: number, location: member.value.location))
                } else {
                    reader.report(.error("label-target", "label `\(member.key)` must name a version number, found \(member.value.kindName)",
                                         at: member.value.location, hint: "write `\(member.key): 3` to point the label at v3"))
                }
            }
        }
        reader.reportUnknownFields()
        diagnostics += reader.diagnostics
    }

    /// Why a label could never be named in a reference (`family@<label>`), or nil: `latest` and
    /// version numbers (`2`, `v2`, as `VersionReference` reads them) are read before labels, so
    /// `family@latest` and `family@v2` never reached such a label; nothing follows an empty `@`,
    /// and a control character cannot be typed in one.
    static func labelNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "is empty: `family@` names no label" }
        if name == "latest" { return "can never be used: `family@latest` is always the latest version" }
        if let number = Int(name.hasPrefix("v") ? String(name.dropFirst()) : name) {
            return "can never be used: `family@\(name)` is always version \(number)"
        }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "holds a control character: it cannot be written after `@`"
        }
        return nil
    }
}
