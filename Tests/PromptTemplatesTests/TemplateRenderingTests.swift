import Testing
@testable import PromptTemplates

@Suite struct TemplateRenderingTests {
    @Test func rendersNestedAndFlatDottedValues() {
        var values = TemplateValues()
        values.set(.string("Mara"), at: "npc.name")
        values.set(.int(72), at: "relationship.affinity")
        let template = Template(parsing: "{{npc.name}} ({{relationship.affinity}})")
        #expect(template.render(with: values).text == "Mara (72)")

        let flat = TemplateValues(["npc.name": .string("Orrin")])
        #expect(Template(parsing: "{{ npc.name }}!").render(with: flat).text == "Orrin!")
    }

    @Test func missingValuesRenderEmptyAndAreListedOnce() {
        let rendered = Template(parsing: "{{a}}-{{b}}-{{a}}").render(with: TemplateValues(["b": .string("B")]))
        #expect(rendered.text == "-B-")
        #expect(rendered.missing == ["a"])
    }

    @Test func valuesRenderAsText() {
        #expect(TemplateValue.list([.string("brave"), .string("wry")]).renderedText == "brave, wry")
        #expect(TemplateValue.double(2.0).renderedText == "2")
        #expect(TemplateValue.double(0.25).renderedText == "0.25")
        #expect(TemplateValue.bool(false).renderedText == "false")
        #expect(TemplateValue.null.renderedText == "")
    }

    @Test func listIndexesAreReachable() {
        let values = TemplateValues(["npc": .map(["traits": .list([.string("brave"), .string("wry")])])])
        #expect(Template(parsing: "{{npc.traits.1}}").render(with: values).text == "wry")
    }

    @Test func mergingKeepsNestedKeys() {
        let base = TemplateValues(["npc": .map(["name": .string("Mara"), "id": .string("m1")])])
        let top = TemplateValues(["npc": .map(["name": .string("Orrin")])])
        let merged = base.merging(top)
        #expect(merged.value(at: "npc.name") == .string("Orrin"))
        #expect(merged.value(at: "npc.id") == .string("m1"))
    }

    @Test func worstCaseAddsLongestValues() {
        let template = Template(parsing: "{{lead}} at {{time}}.")
        let worst = template.worstCaseLength { path in path == "lead" ? 40 : 5 }
        #expect(worst.length == 40 + 4 + 5 + 1)
        #expect(worst.isBounded)
    }

    @Test func worstCaseNamesUnboundedPaths() {
        let template = Template(parsing: "{{lead}} and {{npc.name}} and {{npc.name}}")
        let worst = template.worstCaseLength { path in path == "lead" ? 10 : nil }
        #expect(worst.unboundedPaths == ["npc.name"])
        #expect(worst.length == 10 + 10)
        #expect(!worst.isBounded)
    }
}

@Suite struct RandomizationTests {
    @Test func sameSeedSameDraws() {
        let pool = RandomizationPool(values: ["a", "b", "c", "d"])
        var first = SeededRandom(seed: 42), second = SeededRandom(seed: 42)
        let one = (0..<20).compactMap { _ in pool.draw(using: &first) }
        let two = (0..<20).compactMap { _ in pool.draw(using: &second) }
        #expect(one == two)
        #expect(Set(one).count > 1)
    }

    @Test func textSeedsAreStable() {
        // FNV-1a of "family@3" must not change between runs or machines.
        var random = SeededRandom(seedText: "family@3")
        var again = SeededRandom(seedText: "family@3")
        #expect(random.next() == again.next())
        var other = SeededRandom(seedText: "family@4")
        var reference = SeededRandom(seedText: "family@3")
        #expect(other.next() != reference.next())
    }

    /// Weights near the largest double summed to infinity, and every draw was the last value.
    @Test func hugeWeightsStillDrawBoth() {
        let pool = RandomizationPool(values: ["x", "y"], weights: [1e308, 1e308])
        var random = SeededRandom(seed: 7)
        let drawn = (0..<200).compactMap { _ in pool.draw(using: &random) }
        #expect(drawn.filter { $0 == "x" }.count > 50)
        #expect(drawn.filter { $0 == "y" }.count > 50)
    }

    @Test func weightsShapeTheDraws() {
        let pool = RandomizationPool(values: ["common", "rare"], weights: [3, 1])
        var random = SeededRandom(seed: 7)
        let draws = (0..<10_000).compactMap { _ in pool.draw(using: &random) }
        let share = Double(draws.filter { $0 == "common" }.count) / Double(draws.count)
        #expect(share > 0.72 && share < 0.78)
    }

    @Test func zeroWeightIsNeverDrawn() {
        let pool = RandomizationPool(values: ["never", "always"], weights: [0, 2])
        var random = SeededRandom(seed: 1)
        #expect((0..<500).compactMap { _ in pool.draw(using: &random) }.allSatisfy { $0 == "always" })
    }

    @Test func emptyPoolDrawsNothing() {
        var random = SeededRandom(seed: 1)
        #expect(RandomizationPool(values: []).draw(using: &random) == nil)
    }

    @Test func longestAndShortest() {
        let pool = RandomizationPool(values: ["calm", "wistful mood", "ok"])
        #expect(pool.longestValue == 12)
        #expect(pool.shortestValue == 2)
    }
}
