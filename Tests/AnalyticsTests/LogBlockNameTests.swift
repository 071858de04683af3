@testable import Analytics
import Diagnostics
import PromptCatalog
import Testing
import TestSupport

/// Logs name package blocks the way PixSim7's loader does: `<package>:<block id>`.
@Suite struct LogBlockNameTests {
    @Test func packagePrefixedBlockNamesResolve() throws {
        func line(_ block: String) -> String {
            #"{"block":"\#(block)","provider":"p","status":"success","created_at":"2026-11-01T10:00:00Z"}"#
        }
        let content = try TemporaryContent([
            "action-blocks/vampire.json": #"{"package_info": {"name": "vampire_seduction"}, "action_blocks": [{"id": "mirror", "prompt": "A mirror."}]}"#,
            "action-blocks/library.json": #"[{"id": "walk", "prompt": "A walk."}]"#,
            "logs/a.jsonl": [line("mirror"), line("vampire_seduction:mirror"), line("walk"),
                             line("other_pack:mirror"), line("vampire_seduction:walk"), line("nothing:here")].joined(separator: "\n") + "\n",
        ])
        let loaded = CatalogLoader.load(contentDirectory: content.root)
        #expect(loaded.catalog.block(loggedAs: "vampire_seduction:mirror")?.id == "mirror")
        #expect(loaded.catalog.block(loggedAs: "other_pack:mirror") == nil)
        #expect(loaded.catalog.block(loggedAs: "vampire_seduction:walk") == nil)
        let found = LogReferences.diagnostics(LogIngestion.ingest(loaded.catalog.logFiles), catalog: loaded.catalog)
        #expect(found.map(\.code) == ["log-unknown-block", "log-unknown-block", "log-unknown-block"])
        #expect(found.map { $0.location?.line } == [4, 5, 6])
        #expect(found[0].message == "no action block `other_pack:mirror`: block `mirror` is in package `vampire_seduction`")
        #expect(found[0].hint == "write `vampire_seduction:mirror`, or just `mirror`")
        #expect(found[1].message == "no action block `vampire_seduction:walk`: block `walk` is in a library, not a package")
        #expect(found[2].message == "no action block `nothing:here` in action-blocks/")
    }
}
