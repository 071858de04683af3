import Diagnostics
@testable import PromptCatalog
import Testing

/// `providers/<id>.yaml`: values no generation could ever satisfy are errors where they are
/// written (they were read without a word: a range with `min` above `max`, an enum with nothing
/// to choose, a parameter defined twice, a negative price).
@Suite struct ProviderLoadingTests {
    @Test func impossibleParametersAndPricesAreErrors() throws {
        let loaded = CatalogLoader.load(files: ["providers/inkwell.yaml": """
            id: inkwell
            name: Inkwell
            prompt_limit: 900
            parameters:
              - { name: duration, type: int, min: 10, max: 4 }
              - { name: quality, type: enum, values: [] }
              - { name: quality, type: float }
              - { name: style, type: enum }
              - { name: seed, type: int, min: 0, max: 0 }
            cost: { per_generation: -1, per_second: 0.02, currency: USD }
            """])
        #expect(loaded.diagnostics.map(\.description) == [
            "providers/inkwell.yaml:5:48: error[invalid-field]: parameter `duration` of provider inkwell has `min` 10 above `max` 4: no value fits",
            "providers/inkwell.yaml:6:42: error[invalid-field]: parameter `quality` of provider inkwell is an enum with no `values`: no value fits",
            "providers/inkwell.yaml:8:26: error[invalid-field]: parameter `style` of provider inkwell is an enum with no `values`: no value fits",
            "providers/inkwell.yaml:7:5: error[invalid-field]: parameter `quality` of provider inkwell is also defined at line 6",
            "providers/inkwell.yaml:10:25: error[invalid-field]: `per_generation` in cost of provider inkwell is -1: a price is never negative",
        ])
        let provider = try #require(loaded.catalog.provider("inkwell"))
        #expect(provider.parameters.map(\.name) == ["duration", "quality", "style", "seed"])
        #expect(provider.parameters[0].min == nil && provider.parameters[0].max == nil)
        #expect(provider.parameters[3].min == 0 && provider.parameters[3].max == 0)
        #expect(provider.cost?.perGeneration == nil && provider.cost?.perSecond == 0.02)
    }
}
