import PromptTemplates

/// The built-in context scopes of SPEC §2.9 that any template may use
/// (`npc.name`, `relationship.affinity`, ...), with what is known of their values.
public enum ContextSchema {
    public enum Field: Equatable, Sendable {
        /// Text of unknown length: declare the path with `max_length` to bound it.
        case text
        /// A whole number within bounds.
        case integer(min: Int, max: Int)
        /// A list, rendered joined by ", ".
        case list
        /// A free-form value (flags, location meta, arc stages).
        case open
    }

    public static let scopes = ["npc", "relationship", "preferences", "location", "flags", "arcs", "world_time", "player_input"]

    private static let fixedFields: [String: Field] = [
        "npc.id": .text,
        "npc.name": .text,
        "npc.personality.traits": .list,
        "npc.personality.background": .text,
        "npc.personality.conversationStyle": .text,
        "relationship.affinity": .integer(min: 0, max: 100),
        "relationship.trust": .integer(min: 0, max: 100),
        "relationship.chemistry": .integer(min: 0, max: 100),
        "relationship.tension": .integer(min: 0, max: 100),
        "relationship.tier": .text,
        "relationship.intimacy_level": .text,
        "preferences.favorite_tools": .list,
        "preferences.preferred_patterns": .list,
        "location.id": .text,
        "location.name": .text,
        "world_time": .integer(min: 0, max: 86_399),
        "player_input": .text,
    ]

    /// What is known of a built-in path, or nil when the path is not part of a built-in scope.
    public static func field(_ path: VariablePath) -> Field? {
        if let field = fixedFields[path.description] { return field }
        let parts = path.components
        switch parts.first {
        case "flags": return parts.count >= 2 ? .open : nil
        case "location": return parts.count >= 3 && parts[1] == "meta" ? .open : nil
        case "arcs": return parts.count == 3 && parts[2] == "stage" ? .open : nil
        default: return nil
        }
    }

    /// Every fixed field path, for suggestions in diagnostics.
    public static var fixedPaths: [String] { fixedFields.keys.sorted() }

    /// The flat keys PixSim7 passes to a narrative program (`NarrativeContext.to_template_vars()`):
    /// each is one key, dots included.
    public static let programVariables = [
        "npc.id", "npc.name", "affinity", "trust", "chemistry", "tension", "relationship_tier", "intimacy_level",
        "world_time", "location.id", "location.name", "scene.id", "node.id", "node.speaker_role", "player_input", "player_choice_id",
    ]
    /// Families of keys it adds one per entry: `npc.personality.<key>`, `flags.<key>`, `arcs.<arc>.<key>`…
    public static let programVariablePrefixes = ["npc.personality.", "flags.", "arcs.", "location.meta.", "node.meta."]

    /// Whether PixSim7's narrative context can hold this key.
    public static func isProgramVariable(_ key: String) -> Bool {
        programVariables.contains(key)
            || programVariablePrefixes.contains { key.hasPrefix($0) && key.count > $0.count }
    }
}
