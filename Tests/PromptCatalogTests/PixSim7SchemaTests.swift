import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import PromptCatalog

private let hasPixSim7 = FileManager.default.fileExists(atPath: Repository.pixsim7.appendingPathComponent("example_romantic_arc.json").path)

/// The schemas of PixSim7's formats (action blocks, programs, content packs) and their loaders agree.
@Suite struct PixSim7SchemaTests {
    static func document(_ kind: ContentSchemas.Kind) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(kind.document.utf8)) as? [String: Any])
    }

    static func properties(_ object: [String: Any]?) throws -> [String: [String: Any]] {
        try #require(object?["properties"] as? [String: [String: Any]])
    }

    /// An optional object is `anyOf: [the object, null]`; the object.
    static func nullable(_ schema: [String: Any]?) throws -> [String: Any] {
        let choices = try #require(schema?["anyOf"] as? [[String: Any]])
        #expect(choices.last?["type"] as? String == "null")
        return try #require(choices.first)
    }

    @Test func actionBlockFileIsALibraryOrAPackage() throws {
        let document = try Self.document(.actionBlock)
        #expect(document["$id"] as? String == "schemas/action-block.schema.json")
        let shapes = try #require(document["anyOf"] as? [[String: Any]])
        #expect(shapes.count == 2)
        #expect(shapes[0]["type"] as? String == "array")
        let block = try #require(shapes[0]["items"] as? [String: Any])
        #expect(block["required"] as? [String] == ["id", "kind", "prompt"])
        // Unknown fields are kept, as PixSim7 keeps them: no `additionalProperties: false`.
        #expect(block["additionalProperties"] == nil)
        let fields = try Self.properties(block)
        #expect(fields["kind"]?["enum"] as? [String] == ["single_state", "transition"])
        #expect(fields["prompt"]?["type"] as? String == "string")
        #expect(fields["durationSec"]?["exclusiveMinimum"] as? Int == 0)
        let camera = try Self.properties(try Self.nullable(fields["cameraMovement"]))
        #expect((camera["type"]?["enum"] as? [Any])?.map { $0 as? String } == ["static", "rotation", "dolly", "tracking", "handheld", nil])
        let tags = try Self.properties(try Self.nullable(fields["tags"]))
        #expect(tags["intensity"]?["minimum"] as? Int == 1 && tags["intensity"]?["maximum"] as? Int == 10)
        #expect(tags["custom"]?["type"] as? [String] == ["array", "null"])
        #expect(shapes[1]["required"] as? [String] == ["action_blocks"])
        let packageBlocks = try #require(try Self.properties(shapes[1])["action_blocks"])
        #expect(packageBlocks["type"] as? [String] == ["array", "null"])
    }

    @Test func programSchemaDocument() throws {
        let document = try Self.document(.program)
        #expect(document["required"] as? [String] == ["id", "stages"])
        let fields = try Self.properties(document)
        // `version: str` is not Optional in PixSim7's model: null is refused.
        #expect(fields["version"]?["type"] as? String == "string")
        let stage = try #require((fields["stages"]?["items"]) as? [String: Any])
        #expect(stage["required"] as? [String] == ["id", "type"])
        #expect(try Self.properties(stage)["type"]?["enum"] as? [String] == ProgramLoader.stageTypes)
        // Each stage type names the field it needs.
        let rules = try #require(stage["allOf"] as? [[String: Any]])
        let needs = rules.map { (($0["then"] as? [String: Any])?["required"] as? [String]) ?? [] }
        #expect(needs == [["template"], ["conditions"], [], ["formatters"]])
    }

    @Test func templateSlotsAreTemplateSlotSpec() throws {
        let slot = ContentSchemas.packSlot
        #expect(slot.fieldNames == TemplateSlotSpec.fields.map(\.name) + ["block_source"])
        #expect(!slot.open)
        let json = slot.objectJSON().serialized()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let fields = try Self.properties(object)
        #expect(fields["selection_strategy"]?["enum"] as? [String] == TemplateSlotSpec.strategies)
        // Lax pydantic: an int in range, a boolean that is (0 and 1 are in 0–10), or a numeral string.
        let intensity = try #require(fields["intensity"]?["anyOf"] as? [[String: Any]])
        #expect(intensity[0]["minimum"] as? Int == 0 && intensity[0]["maximum"] as? Int == 10)
        #expect(intensity[1]["enum"] as? [Bool] == [false, true])
        #expect(intensity.map { $0["type"] as? String } == ["integer", nil, "string", "null"])
        let topK = try #require((try Self.properties(try Self.nullable(fields["selection_config"]))["top_k"]?["anyOf"]) as? [[String: Any]])
        #expect(topK[1]["enum"] as? [Bool] == [true])
    }

    @Test func contentPackLoaderReadsTheSchemasFields() {
        #expect(ContentPackLoader.blockStringFields == ["role", "category", "kind", "description", "complexity_level", "package_name", "default_intent"])
        // What the compiler reads of a `block_schema` and of a variant is what the schema declares besides the block's own fields.
        let blockFields = Set(ContentSchemas.packBlockFields.map(\.name)).subtracting(["tags"])
        // (`text` too: a block schema's own text is a field of the blocks, kept when a variant compiles to none.)
        #expect(Set(ContentSchemas.packBlockSchema.fieldNames).subtracting(blockFields).subtracting(["text"]) == PackSchemaCompiler.reservedSchemaKeys)
        #expect(Set(ContentSchemas.packVariant.fieldNames).subtracting(blockFields) == PackSchemaCompiler.reservedVariantKeys)
        #expect(Set(PackSchemaCompiler.variantOpFields).isSubset(of: ContentSchemas.packVariant.fieldNames))
        #expect(ContentSchemas.packSlotPreset["preset"].map { if case .text(let values) = $0.shape { values } else { [] } }
                == PackSlotNormalizer.presetSlotCounts.keys.sorted())
    }

    /// A package with every declared field, each with a value of its shape: the loader reads them all
    /// (none is left as unknown), reads nothing undeclared (`schema-drift`), and finds no error.
    @Test func actionBlockLoaderReadsEveryDeclaredField() throws {
        var package = SchemaTests.fullDocument(ContentSchemas.actionBlockPackage)
        guard case .object(var members) = package else { Issue.record("not an object"); return }
        let block = SchemaTests.fullDocument(ContentSchemas.actionBlock)
        members = members.map { $0.0 == "action_blocks" ? ($0.0, .array([block])) : $0 }
        package = .object(members)
        let file = ActionBlockLoader.parse(package.serialized(pretty: true), file: "action-blocks/full.json")
        #expect(file.diagnostics.filter { $0.level == .error }.map(\.message) == [])
        let loaded = try #require(file.blocks.first)
        #expect(loaded.allUnknownFields.map(\.path) == [])
        #expect(loaded.tags.intensity?.value == 1 && loaded.cameraMovement?.type?.known == .static)
        let read = try #require(file.package)
        #expect(read.unknownFields.isEmpty && read.info?.unknownFields.isEmpty == true)
        #expect(read.templates.map { $0.unknownFields.isEmpty } == [true])
    }

    @Test func programLoaderReadsEveryDeclaredField() throws {
        let program = SchemaTests.fullDocument(ContentSchemas.program)
        let file = ProgramLoader.parse(program.serialized(pretty: true), file: "programs/full.json")
        #expect(file.diagnostics.filter { $0.level == .error }.map(\.message) == [])
        let loaded = try #require(file.program)
        #expect(loaded.unknownFields.isEmpty)
        #expect(loaded.inputs.names == ["x", "x"] && loaded.stages.map(\.type) == ["template"])
    }

    /// The drift check of the JSON reader: an undeclared read and a read of another shape.
    @Test func jsonReaderReportsDrift() throws {
        let schema = ObjectSchema("test", open: true, [FieldSchema("name", .string, "text"), FieldSchema("count", .integer(), "a number")])
        let node = try #require(try YAMLReader.parse(#"{"name": "a", "count": 2, "extra": 3}"#, file: "t.json").get())
        var reader = JSONObjectReader(node, schema: schema, what: "test")
        _ = reader.string("name")
        _ = reader.string("count")
        _ = reader.int("extra")
        #expect(reader.diagnostics.filter { $0.code == "schema-drift" }.map(\.message) == [
            "the loader and the schema of test disagree: `count` is read as string but declared as integer",
            "the loader and the schema of test disagree: `extra` is read but not declared",
        ])
        // Reading a field twice reports it once; an enum (`text`) is read as a string.
        var again = JSONObjectReader(node, schema: ObjectSchema("test", open: true, [FieldSchema("name", .text(values: ["a"]), "one of a")]), what: "test")
        _ = again.string("name")
        _ = again.string("name")
        #expect(again.diagnostics.isEmpty)
    }

    /// The sample's action blocks and programs use only declared fields, and load without drift.
    @Test func sampleFilesUseDeclaredFields() throws {
        let loaded = CatalogLoader.load(contentDirectory: Repository.sampleContent)
        #expect(!loaded.diagnostics.contains { $0.code == "schema-drift" })
        #expect(!loaded.catalog.blocks.isEmpty && !loaded.catalog.programs.isEmpty)
        for block in loaded.catalog.blocks {
            #expect(block.allUnknownFields.map(\.path) == [], "\(block.id)")
        }
        for program in loaded.catalog.programs {
            #expect(program.unknownFields.map(\.key) == [], "\(program.id)")
        }
    }

    @Test(.enabled(if: hasPixSim7, "../shared/pixsim7 is absent"))
    func pixSim7FilesLoadWithoutDrift() throws {
        for name in ["bench_park_actions.json", "example_vampire_pack.json"] {
            let text = try String(contentsOf: Repository.pixsim7.appendingPathComponent(name), encoding: .utf8)
            let file = ActionBlockLoader.parse(text, file: "action-blocks/\(name)")
            #expect(!file.blocks.isEmpty && file.diagnostics.filter { $0.level == .error }.isEmpty, "\(name)")
        }
        let text = try String(contentsOf: Repository.pixsim7.appendingPathComponent("example_romantic_arc.json"), encoding: .utf8)
        let file = ProgramLoader.parse(text, file: "programs/example_romantic_arc.json")
        #expect(file.program != nil && !file.diagnostics.contains { $0.code == "schema-drift" })
    }
}
