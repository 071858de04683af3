import Diagnostics

// PixSim7's `template_slots.normalize_template_slots`, ported: a template's slots migrated from the template's
// `template_metadata.slot_schema_version`, `{preset: name}` entries placed, each slot validated with
// `TemplateSlotSpec`, its tag query normalised, and the slots sorted by `slot_index` (the composition order).
// PixSim7 stops at the first problem and refuses the templates file; here every problem of the template is
// reported and the template is left out.

enum PackSlotNormalizer {
    /// `TEMPLATE_SLOT_SCHEMA_VERSION`.
    static let currentSchemaVersion = 4

    /// `SLOT_PRESETS`: each preset's number of slots. The presets are not expanded (a `pack-slot-preset` warning),
    /// but their slots take places, which the fallback `slot_index` of the slots after them counts.
    static let presetSlotCounts = ["subject_preservation": 3, "three_layer_composition": 1, "two_layer_composition": 1,
                                   "pose_lock_graduated": 1, "camera_stability": 1, "wardrobe_allure_modifier": 1]

    /// The slots of `templates[index]` in composition order, and the warnings for presets left out.
    static func slots(_ list: [SourceNode], metadata: SourceNode?, at: String) throws(PackProblem) -> (slots: [PackSlot], warnings: [Diagnostic]) {
        let prefix = "\(at).slots invalid: "
        var problems: [Diagnostic] = []
        func refuse(_ message: String, at location: SourceLocation, hint: String? = nil) {
            problems.append(.error("pack-template", prefix + message, at: location, hint: hint))
        }
        let versionNode = metadata?["slot_schema_version"]
        let version: Int
        switch schemaVersion(versionNode) {
        case .success(let value): version = value
        case .failure(let refusal): throw PackProblem("pack-template", prefix + refusal.message, at: (versionNode ?? metadata)!.location,
                                                      hint: "slot_schema_version is a whole number from 1 to \(currentSchemaVersion)")
        }

        // `migrate_template_slots`: below version 2 a slot's `tags` (or else its legacy `tag_constraints`, as an
        // `all` group) are normalised before validation; from version 2 on `tag_constraints` is validated, then dropped.
        var migratedQueries: [PackTagQuery?] = []
        var unmigrated: Set<Int> = []  // PixSim7 stops at these; their fields are not validated
        for slot in list {
            guard version < 2, slot.members != nil else { migratedQueries.append(nil); continue }
            do throws(TemplateSlotSpec.Refusal) {
                if let tags = slot["tags"] {
                    migratedQueries.append(try tagQuery(tags))
                } else if let legacy = slot["tag_constraints"], !legacy.isNull {
                    migratedQueries.append(PackTagQuery(all: try group(legacy)))
                } else {
                    migratedQueries.append(nil)
                }
            } catch {
                refuse(error.message, at: (slot["tags"] ?? slot["tag_constraints"] ?? slot).location)
                unmigrated.insert(migratedQueries.count)
                migratedQueries.append(nil)
            }
        }
        // Fields migrations remove before validation: `tag_constraints` (version 1), `block_source` (versions 1 and 2).
        let migratedAway = Set((version < 2 ? ["tag_constraints"] : []) + (version < 3 ? ["block_source"] : []))

        var placed: [(index: Int, slot: PackSlot)] = []
        var warnings: [Diagnostic] = []
        var position = 0
        for (written, slot) in list.enumerated() {
            if let members = slot.members, members.count == 1, members[0].key == "preset" {
                let name = members[0].value
                guard let count = name.string.flatMap({ presetSlotCounts[$0] }) else {
                    refuse("unknown slot preset: \(name.json.pythonRepr)", at: name.location,
                           hint: "PixSim7's slot presets: " + presetSlotCounts.keys.sorted().joined(separator: ", "))
                    continue
                }
                warnings.append(.warning("pack-slot-preset", "\(at).slots[\(written)] uses slot preset `\(name.string!)`, which is not expanded here: "
                                         + "the slot is left out of candidates and combinations", at: slot.location,
                                         hint: "write the preset's slots out in the template to have them checked"))
                position += count
                continue
            }
            defer { position += 1 }
            guard !unmigrated.contains(written) else { continue }
            let slotPrefix = "slot[\(position)] invalid: "
            guard slot.members != nil else { refuse(slotPrefix + "template slot must be an object", at: slot.location); continue }
            let fieldProblems = TemplateSlotSpec.problems(slot).filter { !migratedAway.contains($0.path) }
            for problem in fieldProblems {
                refuse(slotPrefix + "\(problem.path): \(problem.message)", at: problem.location,
                       hint: "PixSim7 validates every slot with TemplateSlotSpec (no other fields) and refuses the whole templates file")
            }
            guard fieldProblems.isEmpty else { continue }
            var query = migratedQueries[written] ?? PackTagQuery()
            if version >= 2, let tags = slot["tags"] {
                do throws(TemplateSlotSpec.Refusal) { query = try tagQuery(tags) } catch {
                    refuse(slotPrefix + error.message, at: tags.location)
                    continue
                }
            }
            placed.append((slotIndex(slot) ?? position, readSlot(slot, query: query)))
        }
        guard problems.isEmpty else { throw PackProblem(problems) }
        // `normalized.sort(key=slot_index)`: a stable sort, so equal indexes keep their written order.
        let ordered = placed.enumerated().sorted { ($0.element.index, $0.offset) < ($1.element.index, $1.offset) }.map(\.element.slot)
        return (ordered, warnings)
    }

    /// `_coerce_schema_version`: Python's `int()` of the value; none is 1, below 1 is 1, above the current version is refused.
    static func schemaVersion(_ node: SourceNode?) -> Result<Int, TemplateSlotSpec.Refusal> {
        guard let node, !node.isNull else { return .success(1) }
        let version: Int?
        switch node.scalar {
        case .int(let number)?: version = number
        case .bool(let flag)?: version = flag ? 1 : 0
        case .double(let number)? where number.isFinite && abs(number) < 9.2e18: version = Int(number)
        case .string(let text)?: version = Int(TemplateSlotSpec.numeral(text))
        default: version = nil
        }
        guard let version else { return .failure(.init(message: "invalid slot schema version: \(node.json.pythonRepr)")) }
        guard version <= currentSchemaVersion else {
            return .failure(.init(message: "unsupported slot schema version \(version); max supported is \(currentSchemaVersion)"))
        }
        return .success(max(version, 1))
    }

    /// An explicit `slot_index` (already validated), else nil: the slot's place is used.
    private static func slotIndex(_ slot: SourceNode) -> Int? {
        guard let node = slot["slot_index"], !node.isNull, case .success(let index) = TemplateSlotSpec.laxInteger(node) else { return nil }
        return index
    }

    /// A validated slot, as `normalize_template_slot` and the block query read it: `key` and `label` stripped,
    /// `category` as written (an empty one selects nothing), `package_name` stripped, `optional` as pydantic reads it.
    private static func readSlot(_ slot: SourceNode, query: PackTagQuery) -> PackSlot {
        func text(_ key: String) -> String? { slot[key]?.string }
        func stripped(_ key: String) -> String? { text(key).map(\.pythonStripped).flatMap { $0.isEmpty ? nil : $0 } }
        var optional = false
        if let node = slot["optional"], case .success(let flag) = TemplateSlotSpec.laxBool(node) { optional = flag }
        return PackSlot(key: stripped("key"), label: stripped("label") ?? "", role: text("role"), category: text("category").flatMap { $0.isEmpty ? nil : $0 },
                        packageName: stripped("package_name"), query: query, optional: optional, reinforcementText: text("reinforcement_text"),
                        fallbackText: text("fallback_text"), location: slot.location)
    }

    // MARK: - Tag query

    private static let groupAliases = [("all", "all"), ("all_of", "all"), ("any", "any"), ("any_of", "any"), ("not", "not"), ("none_of", "not")]

    /// `normalize_slot_tag_query`, then `normalize_tag_query`'s `str()` of each value: groups merged in the fixed
    /// order `all`, `all_of`, `any`, `any_of`, `not`, `none_of` (a later alias's keys win, wherever it is written);
    /// a map without group keys is an `all` group.
    static func tagQuery(_ node: SourceNode) throws(TemplateSlotSpec.Refusal) -> PackTagQuery {
        if node.isNull { return PackTagQuery() }
        guard let members = node.members else { throw .init(message: "slot.tags must be an object") }
        guard members.contains(where: { member in groupAliases.contains { $0.0 == member.key } }) else { return PackTagQuery(all: try group(node)) }
        var groups: [String: SourceNode] = [:]  // Python's `groups_raw`: the groups that are not None
        var merged: [String: [SourceNode.Member]] = [:]
        for (alias, canonical) in groupAliases {
            guard let value = members.last(where: { $0.key == alias })?.value else { continue }
            guard let existing = groups[canonical] else {
                if !value.isNull { groups[canonical] = value }
                continue
            }
            guard let earlier = merged[canonical] ?? existing.members, let added = value.members else {
                throw .init(message: "slot.tags group '\(canonical)' must be an object when combining aliases")
            }
            merged[canonical] = earlier + added
        }
        func normalized(_ canonical: String) throws(TemplateSlotSpec.Refusal) -> [(key: String, values: [String])] {
            if let members = merged[canonical] { return conditions(members) }
            guard let node = groups[canonical] else { return [] }
            return try group(node)
        }
        return PackTagQuery(all: try normalized("all"), any: try normalized("any"), not: try normalized("not"))
    }

    /// `_normalize_tag_group`: null is no group; null values are dropped, null items of a list too, and a list left empty.
    static func group(_ node: SourceNode) throws(TemplateSlotSpec.Refusal) -> [(key: String, values: [String])] {
        if node.isNull { return [] }
        guard let members = node.members else { throw .init(message: "tag group must be an object") }
        return conditions(members)
    }

    private static func conditions(_ members: [SourceNode.Member]) -> [(key: String, values: [String])] {
        var conditions: [(key: String, values: [String])] = []
        for member in members {
            let values: [String]?
            switch member.value.json {
            case .null: values = nil
            case .array(let items):
                let kept = items.filter { $0 != .null }.map(\.pythonText)
                values = kept.isEmpty ? nil : kept
            case let value: values = [value.pythonText]
            }
            // A key written twice keeps its first place and its last value (a dict's update); null removes it.
            if let index = conditions.firstIndex(where: { $0.key == member.key }) {
                if let values { conditions[index].values = values } else { conditions.remove(at: index) }
            } else if let values {
                conditions.append((member.key, values))
            }
        }
        return conditions
    }
}
