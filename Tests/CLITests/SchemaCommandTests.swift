import Foundation
import Testing
import TestSupport

@Suite struct SchemaCommandTests {
    @Test func printsTheSchemaOfAKind() throws {
        let result = try CLI.run(["schema", "version"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["title"] as? String == "v<N>.prompt front matter")
        #expect(document["required"] as? [String] == ["version"])
    }

    @Test func unknownKindIsBadUsage() throws {
        let result = try CLI.run(["schema", "famly"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown schema kind `famly`; use one of: family, version, provider, plugin, node-type, scene, context, site, "
                                       + "action-block, program, content-pack-manifest, content-pack-blocks, content-pack-templates, content-pack-primitives"))
    }

    @Test func printsTheSchemasOfPixSim7Formats() throws {
        let blocks = try CLI.run(["schema", "action-block"])
        #expect(blocks.status == 0, "\(blocks.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(blocks.stdout.utf8)) as? [String: Any])
        #expect(document["title"] as? String == "action-blocks/**/*.json")
        #expect((document["anyOf"] as? [[String: Any]])?.map { $0["title"] as? String } == ["action-block library", "action-block package"])
        let primitives = try CLI.run(["schema", "content-pack-primitives"])
        let primitive = try #require(try JSONSerialization.jsonObject(with: Data(primitives.stdout.utf8)) as? [String: Any])
        let items = (primitive["properties"] as? [String: [String: Any]])?["blocks"]?["items"] as? [String: Any]
        #expect(items?["required"] as? [String] == ["block_id", "category", "text"])
    }

    @Test func helpListsEveryKind() throws {
        let result = try CLI.run(["schema", "--help"])
        let help = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("The kind of file: family, version, provider, plugin, node-type, scene, context, site, action-block, program, content-pack-manifest, content-pack-blocks, content-pack-templates, content-pack-primitives."), "\(result.stdout)")
    }
}
