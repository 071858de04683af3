import Foundation
import PageTemplates
@testable import Site
import Testing
import TestSupport

/// Version pages make their own trees (`PageValueConvertible`, DirectPageValues.swift): each
/// must be the tree `encode(to:)` makes, key for key, in the same order.
@Suite struct DirectPageValueTests {
    /// Structural equality, numbers by their bits (a NaN equals itself).
    private func same(_ a: PageValue, _ b: PageValue, at path: String, differences: inout [String]) {
        switch (a, b) {
        case (.text(let x), .text(let y)) where x == y: return
        case (.integer(let x), .integer(let y)) where x == y: return
        case (.flag(let x), .flag(let y)) where x == y: return
        case (.number(let x), .number(let y)) where x.bitPattern == y.bitPattern: return
        case (.list(let x), .list(let y)) where x.count == y.count:
            for (index, (left, right)) in zip(x, y).enumerated() { same(left, right, at: "\(path)[\(index)]", differences: &differences) }
        case (.object(let x), .object(let y)) where x.keys == y.keys && x.isDictionary == y.isDictionary:
            for (key, (left, right)) in zip(x.keys, zip(x.values, y.values)) { same(left, right, at: "\(path).\(key)", differences: &differences) }
        case (.deferred(let xInputs, let xMade), .deferred(let yInputs, let yMade)) where xInputs == yInputs:
            switch (xMade, yMade) {
            case (nil, nil): return
            case (let left?, let right?): same(left, right, at: "\(path)(made)", differences: &differences)
            default: differences.append("\(path): made on one side only")
            }
        case (.object(let x), .object(let y)):
            differences.append("\(path): keys \(x.keys) ≠ \(y.keys)")
        default:
            differences.append("\(path): \(String(describing: a).prefix(120)) ≠ \(String(describing: b).prefix(120))")
        }
    }

    /// Every page of a built site whose view model makes its own tree (version and family pages),
    /// made both ways; what the version pages had, counted.
    private func compareVersionPages(of site: BuiltSite) throws -> (pages: Int, diff: Int, diagnostics: Int, similar: Int, composition: Int, variations: Int, families: Int) {
        let project = try #require(site.result.project)
        let planner = PagePlanner(project: project, diagnostics: site.result.check.diagnostics)
        var counts = (pages: 0, diff: 0, diagnostics: 0, similar: 0, composition: 0, variations: 0, families: 0)
        for file in SiteSection.plan(allSections, planner) {
            var content = file.content
            while case .keyed(_, let plan) = content { content = plan() }
            guard case .page(_, let model) = content, model is any PageValueConvertible else { continue }
            for makingDeferred in [true, false] {
                let direct = try PageValue(encoding: model, makingDeferred: makingDeferred)
                let encoded = try PageValue(encoding: model, makingDeferred: makingDeferred, direct: false)
                var differences: [String] = []
                same(direct, encoded, at: file.path, differences: &differences)
                #expect(differences.isEmpty, "\(differences.prefix(5).joined(separator: "\n"))")
            }
            if model is FamilyPage { counts.families += 1 }
            guard let page = model as? VersionPage else { continue }
            counts.pages += 1
            if page.diff != nil { counts.diff += 1 }
            if !page.diagnostics.isEmpty { counts.diagnostics += 1 }
            if !page.similar.isEmpty { counts.similar += 1 }
            if page.composition != nil { counts.composition += 1 }
            if page.variations != nil { counts.variations += 1 }
        }
        return counts
    }

    @Test func versionPagesMakeTheTreesTheirEncodingMakes() throws {
        let sample = try compareVersionPages(of: try BuiltSite.sample())
        #expect(sample.pages > 20 && sample.diff > 0 && sample.similar > 0 && sample.families > 5, "\(sample)")
        // What the sample lacks: diagnostics on a version, includes, pools, a negative prompt.
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell", limit: 60),
            "prompts/style/family.yaml": Fixture.family(title: "Style", type: "snippet"),
            "prompts/style/v1.prompt": Fixture.version("version: 1", "Soft light."),
            "prompts/walk/family.yaml": Fixture.family(title: "Walk"),
            "prompts/walk/v1.prompt": Fixture.version("version: 1\nmessage: first\nvariables:\n  lead: { type: string, max_length: 20 }\n  unused: string\n"
                                                      + "examples:\n  - { name: e, vars: { lead: Mara } }\nnegative: blur",
                                                      "{{lead}} walks. {{> style@1}} {{missing}}"),
            "prompts/walk/v2.prompt": Fixture.version("version: 2\nparent: 1\nrandomization:\n  weather: [rain, fog]\nvariables:\n  lead: { type: string, max_length: 20 }\n"
                                                      + "examples:\n  - { name: e, vars: { lead: Mara } }",
                                                      "{{lead}} walks in the {{weather}}, a long walk past the harbour lights and the closed market."),
        ])
        let built = try BuiltSite.build(content: content.root, project: content.project)
        let counts = try compareVersionPages(of: built)
        #expect(counts.pages == 3 && counts.diagnostics > 0 && counts.composition > 0 && counts.variations > 0 && counts.diff > 0
                && counts.families == 2, "\(counts)")
    }

    /// A page with every optional part left out, and one with all of them.
    @Test func nilOptionalsAreLeftOutAsTheEncodingLeavesThemOut() throws {
        let frame = PageFrame(path: "prompts/a/v1/index.html", title: "a v1", section: "catalog", site: SiteInfo(title: "t", errors: 0, warnings: 1))
        let row = VariableRow(anchor: "var-x", name: "x", type: "string", required: true, defaultValue: nil, constraints: "max 3", description: nil)
        let bare = VersionPage(page: frame, id: "a@1", family: Link(text: "a", url: "../"), number: 1, branch: "main", message: nil, author: nil,
                               date: nil, semver: nil, tags: [], labels: [], strategies: [], providers: [], parent: nil, children: [],
                               templateHTML: "x", variables: [row], pools: [], contextPaths: [], previews: [], lengths: [], negative: nil, diff: nil,
                               diagnostics: [], apiURL: "api", metrics: nil, hasVariables: true, similar: [], similarityThreshold: "85%",
                               similarCluster: nil, variations: nil)
        let direct = try PageValue(encoding: bare)
        var differences: [String] = []
        same(direct, try PageValue(encoding: bare, direct: false), at: "bare", differences: &differences)
        #expect(differences.isEmpty, "\(differences)")
        guard case .object(let object) = direct else { Issue.record("not an object"); return }
        #expect(!object.keys.contains("message") && !object.keys.contains("parent") && !object.keys.contains("diff"))
        #expect(object.keys.first == "page" && object.keys.last == "similarityThreshold")
    }
}
