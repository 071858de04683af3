import Foundation
import PromptCatalog
import Testing
import TestSupport

@Suite struct SchemaPublishingTests {
    @Test func siteCarriesEverySchema() throws {
        let content = try TemporaryContent(["providers/inkwell.yaml": Fixture.provider("inkwell")])
        let site = try BuiltSite.build(content: content.root, project: content.project)
        for kind in ContentSchemas.Kind.allCases {
            #expect(try site.text("schemas/\(kind.rawValue).schema.json") == kind.document)
        }
        let scene = try #require(try site.json("schemas/scene.schema.json") as? [String: Any])
        #expect(scene["required"] as? [String] == ["nodes"])
        let program = try #require(try site.json("schemas/program.schema.json") as? [String: Any])
        #expect(program["required"] as? [String] == ["id", "stages"])
        #expect(try site.text("schemas/content-pack-templates.schema.json").contains("\"selection_strategy\""))
    }
}
