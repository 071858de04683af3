import Diagnostics

/// What a field of a content file holds, as the loaders read it and as the JSON Schemas publish it.
public indirect enum FieldShape: Sendable {
    /// Text; plain numbers and booleans are read as their text (`semver: 1.2`). `values` restricts it.
    case text(values: [String] = [])
    /// A string and nothing else (PixSim7's JSON and pack files, where `5` is not text).
    case string
    case integer(minimum: Int? = nil, maximum: Int? = nil)
    case number
    case boolean
    /// A list of text values; a single text is read as a list of one.
    case textList
    /// A mapping with known fields.
    case object(ObjectSchema)
    /// A mapping of any names to values of one shape.
    case map(FieldShape)
    /// A list of values of one shape.
    case list(FieldShape)
    /// Any of several shapes (`lead: string` or `lead: { type: string }`).
    case oneOf([FieldShape])
    /// Any value.
    case any
    /// A shape with JSON Schema keywords the rules add (`minItems`, `exclusiveMinimum`, `pattern`…):
    /// they replace the shape's own keywords of the same name.
    case constrained(FieldShape, [(String, JSONValue)])

    /// The shape family an accessor of `FieldReader` expects, to find a loader that reads a field
    /// differently from how its schema declares it.
    var family: String {
        switch self {
        case .text: "text"
        case .string: "string"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .textList: "textList"
        case .object, .map: "mapping"
        case .list: "list"
        case .oneOf, .any: "any"
        case .constrained(let shape, _): shape.family
        }
    }
}

/// One field of a content file.
public struct FieldSchema: Sendable {
    public let name: String
    public let shape: FieldShape
    public let required: Bool
    /// Whether `null` is accepted as "not given" (by default, when the field is not required).
    public let nullable: Bool
    public let description: String

    public init(_ name: String, _ shape: FieldShape, required: Bool = false, nullable: Bool? = nil, _ description: String) {
        self.name = name
        self.shape = shape
        self.required = required
        self.nullable = nullable ?? !required
        self.description = description
    }
}

/// The fields of one YAML or JSON mapping. `FieldReader` reads a mapping through its schema: it
/// takes `required` from it, warns about fields the schema does not declare, and reports a
/// `schema-drift` error when a loader reads a field the schema lacks or never reads one it declares,
/// so the published JSON Schemas cannot drift from the loaders.
public struct ObjectSchema: Sendable {
    public let title: String
    public let fields: [FieldSchema]
    /// Whether names other than `fields` are allowed (a context's own top-level names).
    public let open: Bool
    /// What the rules ask of the fields together, in JSON Schema words (`if`/`then`, `oneOf`), so
    /// an editor flags what `check` refuses; the loaders report these themselves.
    public let together: [(String, JSONValue)]

    /// What `FieldReader` asks of a field, by name (the first field with it): every field of every
    /// file is looked up here, so the answer is kept flat instead of copying the field out of `fields`.
    struct Lookup {
        let position: Int
        let required: Bool
        let family: String
    }

    private let lookups: [String: Lookup]
    /// For each field, the position of the first field with its name (the one lookups find).
    let firstPositions: [Int]

    public init(_ title: String, open: Bool = false, together: [(String, JSONValue)] = [], _ fields: [FieldSchema]) {
        self.title = title
        self.fields = fields
        self.open = open
        self.together = together
        var lookups: [String: Lookup] = [:]
        for (position, field) in fields.enumerated() where lookups[field.name] == nil {
            lookups[field.name] = Lookup(position: position, required: field.required, family: field.shape.family)
        }
        self.lookups = lookups
        firstPositions = fields.map { lookups[$0.name]!.position }
    }

    public subscript(name: String) -> FieldSchema? { lookup(name).map { fields[$0.position] } }
    func lookup(_ name: String) -> Lookup? { lookups[name] }
    public var fieldNames: [String] { fields.map(\.name) }
}

// MARK: JSON Schema (draft 2020-12)

extension ObjectSchema {
    /// The schema as a JSON Schema document.
    public func jsonSchema(id: String? = nil, description: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("$schema", .string("https://json-schema.org/draft/2020-12/schema"))]
        if let id { members.append(("$id", .string(id))) }
        members.append(("title", .string(title)))
        if let description { members.append(("description", .string(description))) }
        if case .object(let body) = objectJSON() { members += body.filter { $0.0 != "title" } }
        return .object(members)
    }

    func objectJSON() -> JSONValue {
        var properties: [(String, JSONValue)] = []
        for field in fields {
            var schema = field.shape.json(nullable: field.nullable)
            if case .object(let body) = schema { schema = .object([("description", .string(field.description))] + body) }
            properties.append((field.name, schema))
        }
        var members: [(String, JSONValue)] = [("title", .string(title)), ("type", .string("object")), ("properties", .object(properties))]
        let required = fields.filter(\.required).map { JSONValue.string($0.name) }
        if !required.isEmpty { members.append(("required", .array(required))) }
        if !open { members.append(("additionalProperties", .bool(false))) }
        return .object(members + together)
    }
}

extension FieldShape {
    /// Text as the loaders accept it: a string, or a number or boolean read as its text.
    private static let textTypes: [JSONValue] = [.string("string"), .string("number"), .string("boolean")]

    func json(nullable: Bool = false) -> JSONValue {
        let null: [JSONValue] = nullable ? [.string("null")] : []
        switch self {
        case .text(let values):
            if values.isEmpty { return .object([("type", .array(Self.textTypes + null))]) }
            return .object([("enum", .array(values.map(JSONValue.string) + (nullable ? [.null] : [])))])
        case .string:
            return .object([("type", nullable ? .array([.string("string")] + null) : .string("string"))])
        case .integer(let minimum, let maximum):
            var members: [(String, JSONValue)] = [("type", nullable ? .array([.string("integer")] + null) : .string("integer"))]
            if let minimum { members.append(("minimum", .int(minimum))) }
            if let maximum { members.append(("maximum", .int(maximum))) }
            return .object(members)
        case .number:
            return .object([("type", nullable ? .array([.string("number")] + null) : .string("number"))])
        case .boolean:
            return .object([("type", nullable ? .array([.string("boolean")] + null) : .string("boolean"))])
        case .textList:
            return .object([("anyOf", .array([
                .object([("type", .string("string"))]),
                .object([("type", .string("array")), ("items", .object([("type", .array(Self.textTypes))]))]),
            ] + null.map { .object([("type", $0)]) }))])
        case .object(let schema):
            return nullable ? .object([("anyOf", .array([schema.objectJSON(), .object([("type", .string("null"))])]))]) : schema.objectJSON()
        case .map(let value):
            return .object([("type", nullable ? .array([.string("object")] + null) : .string("object")), ("additionalProperties", value.json())])
        case .list(let item):
            return .object([("type", nullable ? .array([.string("array")] + null) : .string("array")), ("items", item.json())])
        case .oneOf(let shapes):
            return .object([("anyOf", .array(shapes.map { $0.json() } + null.map { .object([("type", $0)]) }))])
        case .any:
            return .object([])
        case .constrained(let shape, let keywords):
            guard case .object(var members) = shape.json(nullable: nullable) else { return shape.json(nullable: nullable) }
            for (name, value) in keywords {
                if let index = members.firstIndex(where: { $0.0 == name }) { members[index].1 = value } else { members.append((name, value)) }
            }
            return .object(members)
        }
    }
}

// MARK: Checking a document against the schema

extension FieldShape {
    /// Where `node` does not have this shape, in the words and by the rules of `json(nullable:)` (what
    /// the editor schema says), so `check` and the editor agree: a message per place, outermost first.
    /// `name` is the dotted path of the value (`relationship.trust`).
    func mismatches(_ node: SourceNode, name: String, nullable: Bool) -> [(location: SourceLocation, message: String)] {
        if nullable, node.isNull { return [] }
        func wrong(_ expected: String) -> [(location: SourceLocation, message: String)] {
            [(node.location, "`\(name)` must be \(expected), found \(node.kindName)")]
        }
        let isText = switch node.scalar {
        case .string?, .bool?, .int?, .double?: true
        default: false
        }
        switch self {
        case .text(let values):
            guard isText else { return wrong("text") }
            if !values.isEmpty, let text = node.scalarText, !values.contains(text) {
                return [(node.location, "`\(name)` must be one of \(values.map { "`\($0)`" }.joined(separator: ", ")), found `\(text)`")]
            }
            return []
        case .string:
            return node.string != nil ? [] : wrong("a string")
        case .integer(let minimum, let maximum):
            guard let value = node.int else { return wrong("a whole number") }
            if let minimum, value < minimum { return [(node.location, "`\(name)` is \(value), below \(minimum)")] }
            if let maximum, value > maximum { return [(node.location, "`\(name)` is \(value), above \(maximum)")] }
            return []
        case .number:
            return node.double != nil ? [] : wrong("a number")
        case .boolean:
            return node.bool != nil ? [] : wrong("true or false")
        case .textList:
            if node.string != nil { return [] }
            guard let items = node.items else { return wrong("text or a list of text") }
            return Self.eachItem(of: node, name: name, count: items.count) { FieldShape.text().mismatches(items[$0], name: "\(name)[\($0)]", nullable: false) }
        case .object(let schema):
            guard node.members != nil else { return wrong("a mapping") }
            return schema.mismatches(node, name: name)
        case .map(let value):
            guard let members = node.members else { return wrong("a mapping") }
            return Self.eachItem(of: node, name: name, count: members.count) { value.mismatches(members[$0].value, name: "\(name).\(members[$0].key)", nullable: false) }
        case .list(let item):
            guard let items = node.items else { return wrong("a list") }
            return Self.eachItem(of: node, name: name, count: items.count) { item.mismatches(items[$0], name: "\(name)[\($0)]", nullable: false) }
        case .oneOf(let shapes):
            return shapes.contains { $0.mismatches(node, name: name, nullable: false).isEmpty } ? [] : wrong("one of the forms the schema allows")
        case .any:
            return []
        case .constrained(let shape, _):
            return shape.mismatches(node, name: name, nullable: nullable)
        }
    }
}

extension FieldShape {
    /// How many items of one list (or map) are reported one by one; past them they are counted.
    static let itemsListed = Diagnostic.listedPerFileAndCode / 2

    /// The mismatches of each item, the first `itemsListed` items with mismatches reported and the
    /// rest counted in one (a list of a million ill-typed items costs a count, not a million messages).
    private static func eachItem(of node: SourceNode, name: String, count: Int,
                                 _ mismatches: (Int) -> [(location: SourceLocation, message: String)]) -> [(location: SourceLocation, message: String)] {
        var found: [(location: SourceLocation, message: String)] = []
        var listed = 0, more = 0
        for index in 0..<count {
            let problems = mismatches(index)
            guard !problems.isEmpty else { continue }
            if listed < itemsListed {
                found += problems
                listed += 1
            } else {
                more += 1
            }
        }
        if more > 0 { found.append((node.location, "`\(name)` has \(more) more item\(more == 1 ? "" : "s") of the wrong shape, not listed")) }
        return found
    }
}

extension ObjectSchema {
    /// The fields of a mapping that do not have their declared shapes (see `FieldShape.mismatches`);
    /// missing required fields and, for a closed schema, unknown ones too. `name`: the mapping's path ("" at the top).
    func mismatches(_ node: SourceNode, name: String = "") -> [(location: SourceLocation, message: String)] {
        guard let members = node.members else { return [(node.location, "\(name.isEmpty ? "the file" : "`\(name)`") must be a mapping, found \(node.kindName)")] }
        var found: [(location: SourceLocation, message: String)] = []
        for field in fields where field.required && !members.contains(where: { $0.key == field.name }) {
            found.append((node.location, "\(name.isEmpty ? "the file" : "`\(name)`") is missing `\(field.name)`"))
        }
        for member in members {
            let path = name.isEmpty ? member.key : "\(name).\(member.key)"
            guard let field = fields.first(where: { $0.name == member.key }) else {
                if !open { found.append((member.keyLocation, "`\(path)` is not a known field")) }
                continue
            }
            found += field.shape.mismatches(member.value, name: path, nullable: field.nullable)
        }
        return found
    }
}
