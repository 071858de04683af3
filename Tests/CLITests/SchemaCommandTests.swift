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
        #expect(result.stderr.contains("unknown schema kind `famly`; use one of: family, version, provider, plugin, node-type, scene, context, site"))
    }
}
