import Foundation
import Testing
import PromptTemplates
import TestSupport
@testable import PromptCatalog

@Suite struct SampleContentTests {
    let result = CatalogLoader.load(contentDirectory: Repository.sampleContent)

    @Test func loadsEveryFamilyVersionAndProvider() {
        let catalog = result.catalog
        #expect(catalog.families.count == 20)
        #expect(catalog.versionCount == 49)
        #expect(catalog.providers.map(\.id) == ["inkwell", "loremind", "tidewave"])
        #expect(result.diagnostics.isEmpty, "sample content loads without problems: \(result.diagnostics)")
        let types = Set(catalog.families.compactMap(\.promptType))
        #expect(types == [.visual, .narrative, .hybrid])
    }

    @Test func contentPacksCompileToPixSim7IDsAndTexts() throws {
        let packs = result.catalog.contentPacks
        #expect(packs.packs.map(\.name) == ["harbor_shots", "harbor_weather"])
        #expect(packs.blocks.map { "\($0.id): \($0.text)" } == [
            "harbor.light.lantern.amber: Lantern light with a amber cast over the harbor.",
            "harbor.light.lantern.green: Lantern light with a green cast over the harbor.",
            "harbor.light.lantern.storm: Lanterns sway in the storm, throwing broken light across wet planks.",
            "harbor.camera.approach.glide_in: A slow camera move forward toward the pier.",
            "harbor.camera.approach.drift_left: A steady camera move to the left toward the pier.",
            "harbor.camera.rush: A quick camera move forward toward the pier.",
            "harbor.weather.drizzle: A fine drizzle beads on the rigging.",
            "harbor.weather.fog_bank: A fog bank rolls in from the open sea, hiding the far lanterns one by one.",
            "harbor.weather.clear_night: Clear night, stars over still water.",
        ])
        let composition = try #require(packs.compositions.first)
        #expect(composition.slots.map(\.candidates.count) == [3, 2, 3])
        #expect(composition.combinations == 18)
    }

    @Test func branchesOffTheSameParent() throws {
        let family = try #require(result.catalog.family("harbor-storm-arrival"))
        let v3 = try #require(family.version(3)), v4 = try #require(family.version(4))
        #expect(v3.parent?.value == 2 && v4.parent?.value == 2)
        #expect(v3.branch == "main")
        #expect(v4.branch == "warm-light")
        #expect(family.label("production")?.version == 6)
    }

    @Test func providersCarryLimitsAndParameters() throws {
        let inkwell = try #require(result.catalog.provider("inkwell"))
        #expect(inkwell.promptLimit == 900)
        #expect(inkwell.negativePromptLimit == 400)
        #expect(inkwell.parameter("steps")?.type == .int)
    }

    @Test func everyVariableTypeAppears() {
        let types = Set(result.catalog.families.flatMap(\.versions).flatMap(\.variables).compactMap(\.type))
        #expect(types == Set(VariableType.allCases))
    }

    @Test func inactiveFamilyIsMarked() {
        #expect(result.catalog.families.filter { !$0.active }.map(\.slug) == ["old-fog-bell"])
    }
}
