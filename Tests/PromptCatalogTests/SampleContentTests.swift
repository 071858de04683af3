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
