import Diagnostics
import Foundation

// PixSim7's `template_slots.TemplateSlotSpec`, ported: the pydantic model every template slot is validated
// with (`extra="forbid"`, lax mode) before PixSim7 stores it. A slot it refuses makes PixSim7 refuse the whole
// templates file, so each problem is reported with pydantic's wording. The fields are one list per model;
// a field PixSim7 adds is one line here.

/// How pydantic's lax mode reads one field.
indirect enum SlotFieldType: Sendable {
    case string(minLength: Int? = nil, maxLength: Int? = nil)
    case integer(minimum: Int? = nil, maximum: Int? = nil)
    case number(minimum: Double? = nil, maximum: Double? = nil)
    case boolean
    case dictionary
    case list(SlotFieldType)
    case uuid
    case literal([String])
    case model(String, [SlotField])
}

/// A field of a pydantic model: its name, its type, whether `null` is accepted (`Optional[...]`), and what it is
/// (for the `content-pack-templates` schema, which is made from these lists).
struct SlotField: Sendable {
    let name: String
    let type: SlotFieldType
    let nullable: Bool
    let description: String

    init(_ name: String, _ type: SlotFieldType, nullable: Bool = true, _ description: String) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.description = description
    }
}

/// One thing pydantic refuses: the field's path (`preferences.novelty_weight`, `exclude_block_ids.0`) and its message.
struct SlotFieldProblem {
    let path: String
    let message: String
    let location: SourceLocation
}

enum TemplateSlotSpec {
    /// `SlotSelectionStrategy`.
    static let strategies = ["uniform", "weighted_rating", "weighted_tags", "diverse", "coherent_rerank", "llm_rerank"]

    static let preferences: [SlotField] = [
        SlotField("boost_tags", .dictionary, "Tags whose blocks score higher."),
        SlotField("avoid_tags", .dictionary, "Tags whose blocks score lower."),
        SlotField("diversity_keys", .list(.string()), "Tag keys whose values should vary."),
        SlotField("novelty_weight", .number(minimum: 0, maximum: 1), "Weight of novelty, 0 to 1."),
        SlotField("coherence_weight", .number(minimum: 0, maximum: 1), "Weight of coherence, 0 to 1."),
    ]

    static let selectionWeights: [SlotField] = ["hard_match_bonus", "boost_tags", "avoid_tags", "rating", "diversity", "coherence", "novelty"]
        .map { SlotField($0, .number(minimum: 0), "Weight of \($0.replacingOccurrences(of: "_", with: " ")), at least 0.") }

    static let selectionConfig: [SlotField] = [
        SlotField("top_k", .integer(minimum: 1, maximum: 1000), "How many candidates to rank, 1 to 1000."),
        SlotField("temperature", .number(minimum: 0, maximum: 5), "Randomness of the pick, 0 to 5."),
        SlotField("fallback_strategy", .literal(strategies), "The strategy when this one fails."),
        SlotField("timeout_ms", .integer(minimum: 50, maximum: 30000), "Time allowed, 50 to 30000 ms."),
        SlotField("model", .string(minLength: 1, maxLength: 200), "The model a rerank uses."),
        SlotField("weights", .model("TemplateSlotSelectionWeightsSpec", selectionWeights), "Weights of the scores."),
    ]

    /// `TemplateSlotSpec`'s fields, in its order (pydantic reports problems in this order, then unknown fields).
    static let fields: [SlotField] = [
        SlotField("slot_index", .integer(minimum: 0), nullable: false, "Composition order, from 0 (default: the slot's place)."),
        SlotField("key", .string(minLength: 1, maxLength: 120), "A stable name for the slot, 1 to 120 characters."),
        SlotField("label", .string(), nullable: false, "Display label."),
        SlotField("role", .string(), "The role of blocks that fill it."),
        SlotField("category", .string(), "The category of blocks that fill it, compared as written."),
        SlotField("kind", .string(), "The kind of blocks that fill it."),
        SlotField("intent", .string(), "The intent it serves."),
        SlotField("complexity_min", .string(), "Lowest complexity level."),
        SlotField("complexity_max", .string(), "Highest complexity level."),
        SlotField("package_name", .string(), "Only blocks of this package."),
        SlotField("tags", .dictionary, "The tag query."),
        SlotField("tag_constraints", .dictionary, "Legacy tag query (an `all` group before slot_schema_version 2)."),
        SlotField("min_rating", .number(), "Lowest block rating."),
        SlotField("required_capabilities", .list(.string()), "Capabilities the block must have."),
        SlotField("preferences", .model("TemplateSlotPreferencesSpec", preferences), "Soft preferences for scoring strategies."),
        SlotField("selection_strategy", .literal(strategies), nullable: false, "How a block is picked (default uniform)."),
        SlotField("selection_config", .model("TemplateSlotSelectionConfigSpec", selectionConfig), "Settings of the strategy."),
        SlotField("weight", .number(), nullable: false, "The slot's weight (default 1)."),
        SlotField("optional", .boolean, nullable: false, "Whether the slot may stay empty."),
        SlotField("fallback_text", .string(), "Text when no block fills it."),
        SlotField("reinforcement_text", .string(), "Text added after its block."),
        SlotField("intensity", .integer(minimum: 0, maximum: 10), "Intensity, 0 to 10."),
        SlotField("inherit_intensity", .boolean, nullable: false, "Take the template's intensity."),
        SlotField("exclude_block_ids", .list(.uuid), "Block UUIDs never picked."),
        SlotField("frame", .string(), "Text wrapped around the block's, e.g. `{text} from camera-left`."),
        SlotField("section", .string(minLength: 1, maxLength: 120), "A section; a new one starts with a `LABEL:` line."),
    ]

    /// What pydantic refuses in a slot mapping: each declared field's value, then each field the model does not declare.
    static func problems(_ node: SourceNode, fields: [SlotField] = fields, path: String = "") -> [SlotFieldProblem] {
        guard let members = node.members else { return [] }
        var problems: [SlotFieldProblem] = []
        for field in fields {
            guard let member = members.last(where: { $0.key == field.name }) else { continue }
            if member.value.isNull, field.nullable { continue }
            problems += check(member.value, as: field.type, path: path + field.name)
        }
        let known = Set(fields.map(\.name))
        for member in members where !known.contains(member.key) {
            let suggestion = closestMatch(to: member.key, in: fields.map(\.name)).map { " (did you mean `\($0)`?)" } ?? ""
            problems.append(SlotFieldProblem(path: path + member.key, message: "Extra inputs are not permitted" + suggestion, location: member.keyLocation))
        }
        return problems
    }

    private static func check(_ node: SourceNode, as type: SlotFieldType, path: String) -> [SlotFieldProblem] {
        func problem(_ message: String) -> [SlotFieldProblem] { [SlotFieldProblem(path: path, message: message, location: node.location)] }
        switch type {
        case .string(let minLength, let maxLength):
            guard let text = node.string else { return problem("Input should be a valid string") }
            let length = text.unicodeScalars.count
            if let minLength, length < minLength { return problem("String should have at least \(minLength) character\(minLength == 1 ? "" : "s")") }
            if let maxLength, length > maxLength { return problem("String should have at most \(maxLength) characters") }
            return []
        case .integer(let minimum, let maximum):
            switch laxInteger(node) {
            case .failure(let failure): return problem(failure.message)
            case .success(let value):
                if let minimum, value < minimum { return problem("Input should be greater than or equal to \(minimum)") }
                if let maximum, value > maximum { return problem("Input should be less than or equal to \(maximum)") }
                return []
            }
        case .number(let minimum, let maximum):
            switch laxNumber(node) {
            case .failure(let failure): return problem(failure.message)
            case .success(let value):
                if let minimum, !(value >= minimum) { return problem("Input should be greater than or equal to \(constraint(minimum))") }
                if let maximum, !(value <= maximum) { return problem("Input should be less than or equal to \(constraint(maximum))") }
                return []
            }
        case .boolean:
            if case .failure(let failure) = laxBool(node) { return problem(failure.message) }
            return []
        case .dictionary:
            return node.members == nil ? problem("Input should be a valid dictionary") : []
        case .list(let item):
            guard let items = node.items else { return problem("Input should be a valid list") }
            return items.enumerated().flatMap { index, element in check(element, as: item, path: "\(path).\(index)") }
        case .uuid:
            guard let text = node.string, isUUID(text) else { return problem("Input should be a valid UUID") }
            return []
        case .literal(let values):
            guard let text = node.string, values.contains(text) else {
                let quoted = values.map { "'\($0)'" }
                return problem("Input should be " + quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!)
            }
            return []
        case .model(let name, let fields):
            guard node.members != nil else { return problem("Input should be a valid dictionary or instance of \(name)") }
            return problems(node, fields: fields, path: path + ".")
        }
    }

    struct Refusal: Error {
        let message: String
    }

    /// Pydantic's lax `bool`: booleans, 0 and 1, and the strings `true`/`false`, `yes`/`no`, `on`/`off`, `t`/`f`, `y`/`n`, `1`/`0` in any case.
    static func laxBool(_ node: SourceNode) -> Result<Bool, Refusal> {
        let unreadable = Refusal(message: "Input should be a valid boolean, unable to interpret input")
        switch node.scalar {
        case .bool(let flag)?: return .success(flag)
        case .int(let number)?: return number == 0 || number == 1 ? .success(number == 1) : .failure(unreadable)
        case .double(let number)? where number == 0 || number == 1: return .success(number == 1)
        case .string(let text)?:
            switch text.lowercased() {
            case "1", "on", "t", "true", "y", "yes": return .success(true)
            case "0", "off", "f", "false", "n", "no": return .success(false)
            default: return .failure(unreadable)
            }
        default: return .failure(Refusal(message: "Input should be a valid boolean"))
        }
    }

    /// Pydantic's lax `int`: integers, booleans, whole floats, and strings of a whole number (spaces and `_` allowed).
    static func laxInteger(_ node: SourceNode) -> Result<Int, Refusal> {
        switch node.scalar {
        case .int(let number)?: return .success(number)
        case .bool(let flag)?: return .success(flag ? 1 : 0)
        case .double(let number)?:
            guard number.isFinite else { return .failure(Refusal(message: "Input should be a finite number")) }
            guard number == number.rounded() else { return .failure(Refusal(message: "Input should be a valid integer, got a number with a fractional part")) }
            guard abs(number) < 9.2e18 else { return .failure(Refusal(message: "Unable to parse input string as an integer, exceeded maximum size")) }
            return .success(Int(number))
        case .string(let text)?:
            let digits = numeral(text)
            if let number = Int(digits) { return .success(number) }
            if let number = Double(digits), number.isFinite, number == number.rounded(), abs(number) < 9.2e18, digits.contains(".") { return .success(Int(number)) }
            return .failure(Refusal(message: "Input should be a valid integer, unable to parse string as an integer"))
        default: return .failure(Refusal(message: "Input should be a valid integer"))
        }
    }

    /// Pydantic's lax `float`: numbers, booleans, and strings Python's `float()` reads.
    static func laxNumber(_ node: SourceNode) -> Result<Double, Refusal> {
        switch node.scalar {
        case .int(let number)?: return .success(Double(number))
        case .double(let number)?: return .success(number)
        case .bool(let flag)?: return .success(flag ? 1 : 0)
        case .string(let text)?:
            guard let number = Double(numeral(text)) else { return .failure(Refusal(message: "Input should be a valid number, unable to parse string as a number")) }
            return .success(number)
        default: return .failure(Refusal(message: "Input should be a valid number"))
        }
    }

    /// A numeral as Python reads it: spaces around it ignored, `_` between digits dropped.
    static func numeral(_ text: String) -> String {
        text.pythonStripped.replacing(/(\d)_(?=\d)/) { String($0.output.1) }
    }

    /// A bound as pydantic writes it: `0`, `1`, `0.5`.
    private static func constraint(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    private static func isUUID(_ text: String) -> Bool {
        let hex = text.lowercased().replacing(/^urn:uuid:/, with: "").filter { $0 != "-" && $0 != "{" && $0 != "}" }
        return hex.count == 32 && hex.allSatisfy(\.isHexDigit)
    }
}
