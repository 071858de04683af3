/// A front-matter field that differs between two versions, e.g. `variables.time` added.
public struct FieldChange: Hashable, Sendable {
    public enum Kind: String, Sendable { case added, removed, changed }
    public let path: String
    public let kind: Kind
    public let old: String?
    public let new: String?
}

extension PromptVersion {
    /// The front-matter fields that changed from `base` to this version, recursing into
    /// mappings (`variables.time`); `version` and `parent` are left out as they always change.
    public func fieldChanges(from base: PromptVersion) -> [FieldChange] {
        FieldChanges.compare(base.frontMatter, frontMatter, path: "").filter { $0.path != "version" && $0.path != "parent" }
    }
}

enum FieldChanges {
    static func compare(_ old: SourceNode?, _ new: SourceNode?, path: String) -> [FieldChange] {
        switch (old, new) {
        case (nil, nil): return []
        case (nil, let new?): return [FieldChange(path: path, kind: .added, old: nil, new: text(new))]
        case (let old?, nil): return [FieldChange(path: path, kind: .removed, old: text(old), new: nil)]
        case (let old?, let new?):
            if let oldMembers = old.members, let newMembers = new.members {
                // Mostly the same keys in the same order: compared pair by pair, without a search per key.
                if oldMembers.count == newMembers.count, oldMembers.count <= 32, oldMembers.indices.allSatisfy({ oldMembers[$0].key == newMembers[$0].key }),
                   !oldMembers.indices.contains(where: { index in oldMembers[..<index].contains { $0.key == oldMembers[index].key } }) {
                    var changes: [FieldChange] = []
                    for index in oldMembers.indices where !rendersAlike(oldMembers[index].value, newMembers[index].value) {
                        let key = oldMembers[index].key
                        changes += compare(oldMembers[index].value, newMembers[index].value, path: path.isEmpty ? key : "\(path).\(key)")
                    }
                    return changes
                }
                // Each key once, in the order first met.
                var keys: [String] = [], seen = Set<String>()
                for key in oldMembers.map(\.key) + newMembers.map(\.key) where seen.insert(key).inserted { keys.append(key) }
                // A repeated key is read as its first, by a lookup made once per mapping.
                let oldValues = Dictionary(oldMembers.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
                let newValues = Dictionary(newMembers.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
                return keys.flatMap { key -> [FieldChange] in
                    let before = oldValues[key], after = newValues[key]
                    // Most fields are unchanged: they are passed over without building their path.
                    if let before, let after, rendersAlike(before, after) { return [] }
                    return compare(before, after, path: path.isEmpty ? key : "\(path).\(key)")
                }
            }
            if rendersAlike(old, new) { return [] }
            let before = text(old), after = text(new)
            return before == after ? [] : [FieldChange(path: path, kind: .changed, old: before, new: after)]
        }
    }

    /// Whether two nodes surely have the same `text` (and no changes inside): the same shape, keys
    /// and scalar texts, compared without rendering either. Nodes of other shapes may still render
    /// alike (`["a, b"]` and `[a, b]`), so `false` is settled by comparing their texts.
    static func rendersAlike(_ old: SourceNode, _ new: SourceNode) -> Bool {
        switch (old.kind, new.kind) {
        case (.scalar(_, let before), .scalar(_, let after)):
            before == after
        case (.sequence(let before), .sequence(let after)):
            before.count == after.count && zip(before, after).allSatisfy { rendersAlike($0, $1) }
        case (.mapping(let before), .mapping(let after)):
            before.count == after.count && zip(before, after).allSatisfy { $0.key == $1.key && rendersAlike($0.value, $1.value) }
        default:
            false
        }
    }

    /// A compact one-line rendering: `[a, b]`, `{ k: v }`, scalars as written.
    static func text(_ node: SourceNode) -> String {
        switch node.kind {
        case .scalar(_, let text): text
        case .sequence(let items): "[" + items.map(text).joined(separator: ", ") + "]"
        case .mapping(let members): "{ " + members.map { "\($0.key): \(text($0.value))" }.joined(separator: ", ") + " }"
        }
    }
}
