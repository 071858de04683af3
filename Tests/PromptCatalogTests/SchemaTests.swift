import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import PromptCatalog

/// The published JSON Schemas and the loaders read the same field definitions.
@Suite struct SchemaTests {
    /// A document holding every field a schema declares, each with a value of its shape.
    static func fullDocument(_ schema: ObjectSchema) -> JSONValue {
        .object(schema.fields.map { ($0.name, value($0.shape)) })
    }

    static func value(_ shape: FieldShape) -> JSONValue {
        switch shape {
        case .text(let values): .string(values.first ?? "x")
        case .string: .string("x")
        case .integer(let minimum, _): .int(minimum ?? 1)
        case .number: .double(1.5)
        case .boolean: .bool(true)
        case .textList: .array([.string("x")])
        case .object(let schema): fullDocument(schema)
        case .map(let value): .object([("k", Self.value(value))])
        case .list(let item): .array([value(item)])
        case .oneOf(let shapes): value(shapes.last!)
        case .any: .string("x")
        // Within the bounds the rules add: a baseURL path, a confidence or threshold below 1.
        case .constrained(let shape, let keywords):
            keywords.contains { $0.0 == "pattern" } ? .string("/")
                : keywords.contains { $0.0 == "exclusiveMaximum" || $0.0 == "maximum" } ? .double(0.5) : value(shape)
        }
    }

    /// Every field of every schema, written in a file and loaded: no field is unknown to the
    /// loader and none is read differently from how the schema declares it (`schema-drift`).
    @Test func loadersAcceptEveryDeclaredFieldAndReadNothingElse() throws {
        func json(_ kind: ContentSchemas.Kind) -> String { Self.fullDocument(kind.schema).serialized(pretty: true) }
        let content = try TemporaryContent([
            "prompts/full/family.yaml": json(.family),
            "prompts/full/v1.prompt": "---\n\(json(.version))\n---\nHello {{x}}.\n",
            "providers/full.yaml": json(.provider),
            "plugins/full/plugin.yaml": json(.plugin),
            "plugins/full/x": "docs",
            "node-types/full.yaml": json(.nodeType),
            "scenes/full.yaml": json(.scene),
            "contexts/full.yaml": json(.context),
        ])
        let loaded = CatalogLoader.load(contentDirectory: content.root)
        let site = try content.writeProjectFile("Site.json", json(.site))
        var diagnostics = loaded.diagnostics
        switch SiteConfig.load(from: site) {
        case .success(let (_, siteDiagnostics)): diagnostics += siteDiagnostics
        case .failure(let unreadable): diagnostics += unreadable.diagnostics
        }
        let drift = diagnostics.filter { ["schema-drift", "unknown-field"].contains($0.code) }
        #expect(drift.isEmpty, "\(drift.map(\.message))")
        #expect(loaded.catalog.families.first?.versions.count == 1)
        #expect(loaded.catalog.providers.count == 1)
        #expect(loaded.catalog.plugins.count == 1 && loaded.catalog.scenes.count == 1 && loaded.catalog.nodeTypes.count == 1)
    }

    @Test func sampleContentHasNoDrift() {
        let diagnostics = CatalogLoader.load(contentDirectory: Repository.sampleContent).diagnostics
        #expect(!diagnostics.contains { $0.code == "schema-drift" })
    }

    /// The drift check itself: an undeclared read, an unread declaration and a read of another shape.
    @Test func fieldReaderReportsDriftBothWays() throws {
        let schema = ObjectSchema("test", [
            FieldSchema("declared", .text(), "read"),
            FieldSchema("forgotten", .text(), "never read"),
            FieldSchema("count", .integer(), "read as text"),
        ])
        let node = try #require(try YAMLReader.parse("declared: a\nextra: b\n", file: "t.yaml").get())
        var reader = FieldReader(node, schema: schema, what: "test")
        _ = reader.string("declared")
        _ = reader.string("count")
        _ = reader.string("extra")
        reader.reportUnknownFields()
        let messages = reader.diagnostics.filter { $0.code == "schema-drift" }.map(\.message)
        #expect(messages == [
            "the loader and the schema of test disagree: `count` is read as text but declared as integer",
            "the loader and the schema of test disagree: `extra` is read but not declared",
            "the loader and the schema of test disagree: `forgotten` is declared but never read",
        ])
        // `extra` is not in the schema, so it is also an unknown field for the author.
        #expect(reader.diagnostics.filter { $0.code == "unknown-field" }.map(\.message) == ["unknown field `extra` in test"])
    }

    @Test func requiredComesFromTheSchema() throws {
        let node = try #require(try YAMLReader.parse("tags: [a]\n", file: "prompts/f/family.yaml").get())
        var reader = FieldReader(node, schema: ContentSchemas.family, what: "family.yaml of f")
        _ = reader.string("title")
        _ = reader.string("prompt_type")
        #expect(reader.diagnostics.map(\.message) == ["family.yaml of f is missing the required field `title`",
                                                      "family.yaml of f is missing the required field `prompt_type`"])
    }

    @Test func familySchemaDocument() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(ContentSchemas.Kind.family.document.utf8)) as? [String: Any])
        #expect(document["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(document["$id"] as? String == "schemas/family.schema.json")
        #expect(document["required"] as? [String] == ["title", "prompt_type"])
        #expect(document["additionalProperties"] as? Bool == false)
        let properties = try #require(document["properties"] as? [String: [String: Any]])
        #expect(Set(properties.keys) == Set(ContentSchemas.family.fieldNames))
        #expect(properties["prompt_type"]?["enum"] as? [String] == ["visual", "narrative", "hybrid", "snippet"])
        #expect(properties["category"]?["type"] as? [String] == ["string", "number", "boolean", "null"])
    }

    /// The bounds the rules hold values to are in the schemas, so an editor underlines what `check`
    /// calls an error: an empty enum, an unknown strategy, a confidence of 1.5, a baseURL without `/`.
    @Test func theRulesBoundsAreInTheSchemas() throws {
        func document(_ kind: ContentSchemas.Kind) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(kind.document.utf8)) as? [String: Any])
        }
        let version = try document(.version)
        let properties = try #require(version["properties"] as? [String: [String: Any]])
        let strategies = try #require(properties["strategies"]?["anyOf"] as? [[String: Any]])
        #expect(strategies.first?["enum"] as? [String] == ["once", "per_playthrough", "per_player", "always"])
        let site = try document(.site)
        let siteProperties = try #require(site["properties"] as? [String: [String: Any]])
        #expect(siteProperties["baseURL"]?["type"] as? String == "string")
        #expect((siteProperties["baseURL"]?["pattern"] as? String)?.hasPrefix("^(/(?!/)|") == true)
        let analytics = try #require((siteProperties["analytics"]?["anyOf"] as? [[String: Any]])?.first?["properties"] as? [String: [String: Any]])
        #expect(analytics["confidence"]?["exclusiveMinimum"] as? Int == 0 && analytics["confidence"]?["exclusiveMaximum"] as? Int == 1)
    }

    @Test func contextSchemaComesFromTheBuiltInScopes() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(ContentSchemas.Kind.context.document.utf8)) as? [String: Any])
        #expect(document["additionalProperties"] == nil)
        let properties = try #require(document["properties"] as? [String: [String: Any]])
        // The scopes, and their fixed fields written flat (`npc.name: Mara`).
        #expect(Set(properties.keys) == Set(ContextSchema.scopes + ContextSchema.fixedPaths.filter { $0.contains(".") }))
        #expect(properties["relationship.trust"]?["maximum"] as? Int == 100)
        // An optional object is the object or null.
        let nullable = try #require(properties["relationship"]?["anyOf"] as? [[String: Any]])
        #expect(nullable.last?["type"] as? String == "null")
        let relationship = try #require(nullable.first?["properties"] as? [String: [String: Any]])
        #expect(relationship["affinity"]?["maximum"] as? Int == 100)
        #expect(properties["world_time"]?["maximum"] as? Int == 86_399)
    }
}
