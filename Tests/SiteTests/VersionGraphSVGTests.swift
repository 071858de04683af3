import Foundation
import PromptCatalog
import Testing
import TestSupport
import Site

@Suite struct VersionGraphSVGTests {
    /// Loads one family `f` from version files given as `number: front matter`.
    private func family(_ versions: [String: String], familyExtra: String = "", title: String = "Test family") throws -> PromptFamily {
        var files = ["prompts/f/family.yaml": Fixture.family(title: title, extra: familyExtra)]
        for (name, frontMatter) in versions { files["prompts/f/\(name).prompt"] = Fixture.version(frontMatter, "A lantern in the rain.") }
        let content = try TemporaryContent(files)
        return try #require(CatalogLoader.load(contentDirectory: content.root).catalog.family("f"))
    }

    private func render(_ family: PromptFamily) -> String {
        VersionGraphSVG.render(family) { "v\($0)/" }
    }

    /// The node groups, in document order: (version, classes, markup up to the group's end).
    private func nodes(_ svg: String) -> [(version: Int, classes: [String], markup: String)] {
        svg.matches(of: /<g class="([^"]*)" data-version="([0-9]+)">(.*?)<\/g>/).map {
            (Int($0.output.2)!, $0.output.1.split(separator: " ").map(String.init), String($0.output.3))
        }
    }

    private func node(_ version: Int, in svg: String) throws -> (version: Int, classes: [String], markup: String) {
        try #require(nodes(svg).first { $0.version == version })
    }

    private func edges(_ svg: String) -> [(from: Int, to: Int, path: String)] {
        svg.matches(of: /<path class="edge[^"]*" data-from="([0-9]+)" data-to="([0-9]+)" d="([^"]*)"\/>/).map {
            (Int($0.output.1)!, Int($0.output.2)!, String($0.output.3))
        }
    }

    private func occurrences(_ needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    @Test func oneNodePerVersionWithLinksAndEdges() throws {
        let svg = render(try family([
            "v1": "version: 1\nmessage: First",
            "v2": "version: 2\nparent: 1",
            "v3": "version: 3\nparent: 2",
            "v4": "version: 4\nparent: 99\nmessage: Orphan",
        ]))
        #expect(nodes(svg).map(\.version) == [1, 2, 3, 4])
        for version in 1...4 { #expect(occurrences("data-version=\"\(version)\"", in: svg) == 1) }
        #expect(try node(3, in: svg).markup.contains("<a href=\"v3/\">"))
        #expect(try node(3, in: svg).markup.contains(">v3</text>"))
        #expect(try node(1, in: svg).markup.contains("<title>v1 · main · First</title>"))
        #expect(edges(svg).map { [$0.from, $0.to] } == [[1, 2], [2, 3]])
        // A parent that does not exist: the node is drawn, marked, and has no edge.
        #expect(try node(4, in: svg).classes.contains("missing-parent"))
        #expect(try !node(3, in: svg).classes.contains("missing-parent"))
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.contains("viewBox=\"0 0 "))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("aria-label=\"Version graph of Test family: 4 versions, 1 branch\""))
        #expect(!svg.contains("fill=\"#"), "colours come from classes, not inline values")
    }

    @Test func twoBranchesOffTheSameParentGetTwoLanes() throws {
        let svg = render(try family([
            "v1": "version: 1",
            "v2": "version: 2\nparent: 1\nbranch: cold",
            "v3": "version: 3\nparent: 1\nbranch: warm",
            "v4": "version: 4\nparent: 1",
            "v5": "version: 5\nparent: 2\nbranch: cold",
        ]))
        #expect(try node(1, in: svg).classes.contains("lane-0"))
        #expect(try node(2, in: svg).classes.contains("lane-1"))
        #expect(try node(3, in: svg).classes.contains("lane-2"))
        #expect(try node(4, in: svg).classes.contains("lane-0"))
        #expect(try node(5, in: svg).classes.contains("lane-1"))
        // Lanes are columns: v2 and v3 sit at different x, v2 and v5 at the same.
        func cx(_ version: Int) throws -> String {
            try #require(try node(version, in: svg).markup.firstMatch(of: /<circle cx="([0-9]+)"/)).output.1.description
        }
        #expect(try cx(2) != cx(3))
        #expect(try cx(1) != cx(2))
        #expect(try cx(2) == cx(5))
        #expect(try cx(1) == cx(4))
        // Lane names in order of first appearance, main first.
        let names = svg.matches(of: /<text class="lane-name"[^>]*>([^<]*)<\/text>/).map { String($0.output.1) }
        #expect(names == ["main", "cold", "warm"])
        #expect(edges(svg).map { [$0.from, $0.to] } == [[1, 2], [1, 3], [1, 4], [2, 5]])
        #expect(svg.contains("3 branches"))
    }

    @Test func theRootBranchIsLaneZeroWithoutMain() throws {
        let svg = render(try family([
            "v1": "version: 1\nbranch: draft",
            "v2": "version: 2\nparent: 1\nbranch: idea",
            "v3": "version: 3\nparent: 1\nbranch: draft",
        ]))
        #expect(try node(1, in: svg).classes.contains("lane-0"))
        #expect(try node(2, in: svg).classes.contains("lane-1"))
        #expect(try node(3, in: svg).classes.contains("lane-0"))
    }

    @Test func aSameLaneEdgeBendsAroundANodeInBetween() throws {
        let svg = render(try family([
            "v1": "version: 1",
            "v2": "version: 2\nparent: 1",
            "v3": "version: 3\nparent: 1",
        ]))
        let paths = Dictionary(uniqueKeysWithValues: edges(svg).map { ($0.to, $0.path) })
        #expect(paths[2]?.contains("C") == false, "v1 → v2 is a straight line")
        #expect(paths[3]?.contains("C") == true, "v1 → v3 curves around v2 instead of running through it")
    }

    @Test func labelsAreMarkedOnTheirVersion() throws {
        let svg = render(try family([
            "v1": "version: 1",
            "v2": "version: 2\nparent: 1",
            "v3": "version: 3\nparent: 2",
        ], familyExtra: "labels:\n  production: 2\n  staging: 2\n  Canary Build: 3\n  ghost: 9\n"))
        let v2 = try node(2, in: svg)
        #expect(v2.classes.contains("labelled"))
        #expect(v2.markup.contains("<text class=\"label label-production\""))
        #expect(v2.markup.contains(">production</text>"))
        #expect(v2.markup.contains(">staging</text>"))
        let v3 = try node(3, in: svg)
        #expect(v3.classes.contains("labelled"))
        #expect(v3.markup.contains("class=\"label label-canary-build\""))
        #expect(v3.markup.contains(">Canary Build</text>"))
        let v1 = try node(1, in: svg)
        #expect(!v1.classes.contains("labelled"))
        #expect(!v1.markup.contains("class=\"label"))
        // A label pointing at a missing version is not drawn anywhere.
        #expect(!svg.contains("ghost"))
        #expect(occurrences("class=\"label ", in: svg) == 3)
    }

    @Test func hostileTextIsEscapedEverywhere() throws {
        let hostileFamily = try family([
            "v1": "version: 1\nmessage: \"<script>alert(1)</script>\"\nbranch: '\" onload=\"x'",
            "v2": "version: 2\nparent: 1\nbranch: \"<script>alert(1)</script>\"\nmessage: 'a & b \" onload=\"x'",
        ], familyExtra: "labels:\n  \"<script>alert(1)</script>\": 1\n  '\" onload=\"x': 2\n", title: "<b>Storm & \"rain\"</b>")
        let svg = VersionGraphSVG.render(hostileFamily) { $0 == 1 ? "javascript:alert(1)" : "v\($0)/?a=1&b=\"2\"" }
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("<b>"))
        #expect(!svg.contains("onload=\"x"))
        #expect(!svg.contains("javascript:"))
        #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(svg.contains("&quot; onload=&quot;x"))
        #expect(svg.contains("aria-label=\"Version graph of &lt;b&gt;Storm &amp; &quot;rain&quot;&lt;/b&gt;: 2 versions, 2 branches\""))
        #expect(svg.contains("<title>v2 · &lt;script&gt;alert(1)&lt;/script&gt; · a &amp; b &quot; onload=&quot;x</title>"))
        #expect(try node(1, in: svg).markup.contains("<a href=\"#\">"))
        #expect(try node(2, in: svg).markup.contains("<a href=\"v2/?a=1&amp;b=&quot;2&quot;\">"))
        // Class names made from label names keep to safe characters.
        for match in svg.matches(of: /class="([^"]*)"/) {
            #expect(match.output.1.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "- _".contains($0)) }, "\(match.output.1)")
        }
        #expect(svg.contains("class=\"label label--script-alert-1---script-\""))
        // Every tag is closed: no stray `<` from content.
        #expect(occurrences("<", in: svg) == occurrences(">", in: svg))
    }

    @Test func outputIsDeterministic() throws {
        let versions = [
            "v1": "version: 1\nmessage: One",
            "v2": "version: 2\nparent: 1\nbranch: b",
            "v3": "version: 3\nparent: 1\nbranch: c",
            "v4": "version: 4\nparent: 3\nbranch: c",
        ]
        let labels = "labels:\n  production: 4\n  staging: 2\n  canary: 1\n"
        let first = render(try family(versions, familyExtra: labels))
        let second = render(try family(versions, familyExtra: labels))
        #expect(first == second)
        #expect(render(try family(versions, familyExtra: labels)) == first)
    }

    @Test func cyclesAndSelfParentsTerminate() throws {
        let svg = render(try family([
            "v1": "version: 1\nparent: 2",
            "v2": "version: 2\nparent: 1",
            "v3": "version: 3\nparent: 3",
        ]))
        #expect(nodes(svg).map(\.version) == [1, 2, 3])
        #expect(edges(svg).map { [$0.from, $0.to] } == [[2, 1], [1, 2]])
        #expect(svg.contains("3 versions, 1 branch"))
    }

    @Test func duplicateVersionNumbersAreDrawnOnce() throws {
        let loaded = try family([
            "v1": "version: 1\nmessage: first file",
            "v01": "version: 1\nmessage: second file",
            "v2": "version: 2\nparent: 1",
        ])
        #expect(loaded.versions.count == 3)
        let svg = render(loaded)
        #expect(nodes(svg).map(\.version) == [1, 2])
        #expect(edges(svg).count == 1)
        #expect(svg.contains("2 versions"))
    }

    @Test func anEmptyFamilySaysSo() throws {
        let svg = render(try family([:]))
        #expect(svg.contains(">no versions</text>"))
        #expect(svg.contains("viewBox=\"0 0 "))
        #expect(svg.contains("aria-label=\"Version graph of Test family: 0 versions, 0 branches\""))
        #expect(nodes(svg).isEmpty)
        #expect(svg.hasSuffix("</svg>"))
    }

    @Test func twoHundredVersions() throws {
        var versions: [String: String] = ["v1": "version: 1"]
        for number in 2...200 {
            let branch = number % 10 == 0 ? "\nbranch: b\(number / 10 % 8)" : ""
            versions["v\(number)"] = "version: \(number)\nparent: \(number - 1)\(branch)"
        }
        let svg = render(try family(versions))
        #expect(nodes(svg).map(\.version) == Array(1...200))
        #expect(edges(svg).count == 199)
        #expect(svg.contains("200 versions, 9 branches"))
        // Lane classes wrap at six colours.
        #expect(try node(70, in: svg).classes.contains("lane-1"), "b7 is the 8th lane (index 7)")
        let viewBox = try #require(svg.firstMatch(of: /viewBox="0 0 ([0-9]+) ([0-9]+)"/))
        #expect(Int(viewBox.output.2)! > 200 * 20, "one row per version")
    }

    @Test func sampleHarborStormArrival() throws {
        let catalog = CatalogLoader.load(contentDirectory: Repository.sampleContent).catalog
        let harbor = try #require(catalog.family("harbor-storm-arrival"))
        let svg = render(harbor)
        #expect(nodes(svg).map(\.version) == [1, 2, 3, 4, 5, 6])
        for version in [1, 2, 3, 6] { #expect(try node(version, in: svg).classes.contains("lane-0")) }
        for version in [4, 5] { #expect(try node(version, in: svg).classes.contains("lane-1")) }
        #expect(edges(svg).map { [$0.from, $0.to] } == [[1, 2], [2, 3], [2, 4], [4, 5], [3, 6]])
        #expect(try node(6, in: svg).markup.contains("class=\"label label-production\""))
        #expect(try node(5, in: svg).markup.contains("class=\"label label-staging\""))
        #expect(svg.contains("aria-label=\"Version graph of Harbor Storm Arrival: 6 versions, 2 branches\""))
        #expect(svg.contains(">warm-light</text>"))
    }
}
