import Foundation
import Testing
import TestSupport
@testable import Site

/// Every analytics page a build writes (experiment pages come on top).
let analyticsPages = ["analytics/index.html", "analytics/providers/index.html", "analytics/cost/index.html",
                      "analytics/experiments/index.html", "analytics/nodes/index.html"]
let analyticsDocuments = ["overview", "families", "versions", "providers", "nodes", "blocks", "days", "experiments", "top", "limit-errors"]
    .map { "api/v1/analytics/\($0).json" }

/// One JSON Lines log record; nil fields are left out.
func logRecord(_ fields: [String: Any?]) -> String {
    let present = fields.compactMapValues { $0 }
    let data = try! JSONSerialization.data(withJSONObject: present, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

struct MissingChart: Error, CustomStringConvertible {
    let label: String
    var description: String { "no chart labelled \(label)" }
}

/// The `<svg>…</svg>` on a page whose aria-label starts with `label` (as escaped in the page).
func chart(_ label: String, in html: String) throws -> String {
    for start in html.ranges(of: "<svg ") {
        let tail = html[start.lowerBound...]
        guard tail.prefix(600).contains("aria-label=\"\(label)"), let end = tail.range(of: "</svg>") else { continue }
        return String(html[start.lowerBound..<end.upperBound])
    }
    throw MissingChart(label: label)
}

/// A content folder with hand-computable numbers: one family, v2 child of v1, one provider
/// with a 60-character limit (v1 is over it, v2 fits), and one log file.
///
/// - v1 (2026-11-01): 5 success, 5 failed (3 prompt_too_long, 2 timeout)
/// - v2 (2026-11-03): 8 success (ratings 4, 4, 4, 4, 5, 5, 5, 5), 2 failed (prompt_too_long, moderation), 2 cancelled
/// - one inline generation and one on the unknown version `ghost@9` (2026-11-01), both successes
/// Every record costs 0.2; every success took 1,000 ms.
func analyticsFixture() throws -> TemporaryContent {
    var lines: [String] = []
    var id = 0
    func add(_ version: String?, _ status: String, error: String? = nil, day: String, rating: Int? = nil, prompt: String? = nil) {
        id += 1
        lines.append(logRecord([
            "id": "g-\(id)", "version": version, "provider": "inkwell", "status": status, "error": error,
            "latency_ms": status == "success" ? 1000 : nil, "cost": 0.2, "created_at": "\(day)T10:00:00Z", "rating": rating,
            "node": "harbor/walk", "prompt": prompt,
        ]))
    }
    for _ in 0..<5 { add("fixture@1", "success", day: "2026-11-01") }
    for _ in 0..<3 { add("fixture@1", "failed", error: "prompt_too_long", day: "2026-11-01") }
    for _ in 0..<2 { add("fixture@1", "failed", error: "timeout", day: "2026-11-01") }
    for index in 0..<8 { add("fixture@2", "success", day: "2026-11-03", rating: index < 4 ? 4 : 5) }
    add("fixture@2", "failed", error: "prompt_too_long", day: "2026-11-03")
    add("fixture@2", "failed", error: "moderation", day: "2026-11-03")
    for _ in 0..<2 { add("fixture@2", "cancelled", day: "2026-11-03") }
    add(nil, "success", day: "2026-11-01", prompt: "A gull glides over the harbor")
    add("ghost@9", "success", day: "2026-11-01")
    return try TemporaryContent([
        "providers/inkwell.yaml": Fixture.provider("inkwell", limit: 60),
        "prompts/fixture/family.yaml": Fixture.family(title: "Fixture walk"),
        "prompts/fixture/v1.prompt": Fixture.version("version: 1\nmessage: long",
                                                     "A very long prompt about the harbor at dusk, the gulls, the boats and the lanterns"),
        "prompts/fixture/v2.prompt": Fixture.version("version: 2\nparent: 1\nmessage: short", "A short harbor walk."),
        "logs/x.jsonl": lines.joined(separator: "\n") + "\n",
    ])
}

@Suite struct AnalyticsFixtureTests {
    let content: TemporaryContent
    let site: BuiltSite

    init() throws {
        content = try analyticsFixture()
        site = try BuiltSite.build(content: content.root) { $0.minSamples = 5 }
    }

    @Test func everyAnalyticsPageAndDocumentExistsAndLinksResolve() throws {
        for path in analyticsPages + analyticsDocuments { #expect(site.exists(path), "missing \(path)") }
        let (checked, problems) = try site.linkProblems(in: analyticsPages + ["prompts/fixture/index.html", "prompts/fixture/v2/index.html", "index.html"])
        #expect(checked > 50)
        #expect(problems.isEmpty, "\(problems)")
        let sitemap = try site.text("sitemap.xml")
        for path in analyticsPages { #expect(sitemap.contains("<loc>/\(path.dropLast(10))</loc>"), "\(path) not in the sitemap") }
    }

    @Test func overviewShowsTheTotalsTopPerformersAndLimitErrors() throws {
        let page = try site.text("analytics/index.html")
        // 24 generations: 15 success, 7 failed, 2 cancelled; 15 of 22 decided.
        #expect(page.contains("<strong>24</strong> generations<small>15 success · 7 failed · 2 cancelled</small>"))
        #expect(page.contains("<strong>68.2%</strong> success rate<small>47.3–83.6%</small>"))
        #expect(page.contains("<strong>1.0 s</strong> p50 latency"))
        #expect(page.contains("<strong>4.80</strong> total cost<small>0.20 per generation · 0.32 per success</small>"))
        #expect(page.contains("<strong>4.50</strong> mean rating<small>8 ratings</small>"))
        #expect(page.contains("2026-11-01 to 2026-11-03 (3 days)"))
        // Ranked by the lower bound: v2 (49.0%) before v1 (23.7%), and the page says how.
        #expect(page.contains("Ranked by the lower bound of the 95% Wilson interval"))
        let v2 = try #require(page.range(of: "<td class=\"num\">1</td><td><a href=\"../prompts/fixture/v2/index.html\">fixture@2</a></td><td class=\"num\">80.0%</td><td class=\"num interval\">49.0–94.3%</td><td class=\"num\">49.0%</td>"))
        let v1 = try #require(page.range(of: "<td class=\"num\">2</td><td><a href=\"../prompts/fixture/v1/index.html\">fixture@1</a></td><td class=\"num\">50.0%</td>"))
        #expect(v2.lowerBound < v1.lowerBound)
        // 3 of the 4 prompt_too_long failures are on v1, which check flags as over the 60-character limit.
        #expect(page.contains("<strong>75.0%</strong> of <code>prompt_too_long</code> failures"))
        #expect(page.contains("(3 of 4)"))
        #expect(page.contains("below the goal"))
        #expect(page.contains("<td class=\"num\">3</td><td class=\"num\">82</td><td class=\"num\">82</td><td class=\"num\">60</td><td><span class=\"badge ok\">yes</span>"))
        #expect(page.contains("<td class=\"num\">1</td><td class=\"num\">20</td><td class=\"num\">20</td><td class=\"num\">60</td><td><span class=\"badge bad\">no</span>"))
        // Errors by code, most frequent first, with their share of all generations.
        #expect(page.contains("<tr><td><code>prompt_too_long</code></td><td class=\"num\">4</td><td class=\"num\">16.7%</td></tr>"))
        // The unknown version, the inline generation and the log file.
        #expect(page.contains("<tr><td>ghost@9</td><td class=\"num\">1</td><td class=\"num\">100.0%</td>"))
        #expect(page.contains("<strong>1 generation</strong> used prompt text"))
        #expect(page.contains("promptsite import logs"))
        #expect(page.contains("<tr><td><code>logs/x.jsonl</code></td><td class=\"num\">24</td><td class=\"num\">24</td><td class=\"num\">0</td></tr>"))
    }

    @Test func overviewChartsHaveABarPerDayAndAPointPerDecidedDay() throws {
        let page = try site.text("analytics/index.html")
        let volume = try chart("Generations per day", in: page)
        #expect(count("<g class=\"bar\"", in: volume) == 3)
        #expect(xmlProblem(volume) == nil)
        // 11 generations on the first day, none on the second, 13 on the third: bars of those heights.
        let success = Array(attribute("height", ofClass: "series-success", in: volume).dropFirst())
        let failed = Array(attribute("height", ofClass: "series-failed", in: volume).dropFirst())
        #expect(success.count == 2 && failed.count == 2)
        #expect(abs(success[1] / success[0] - 8.0 / 7.0) < 0.01)
        #expect(abs(failed[1] / failed[0] - 2.0 / 5.0) < 0.01)
        let rate = try chart("Success rate per day", in: page)
        #expect(count("<g class=\"point\"", in: rate) == 2)
        #expect(rate.contains("<title>2026-11-03: 80.0% (49.0–94.3%), 10 decided</title>"))
        let cost = try chart("Cost per day", in: page)
        #expect(count("<g class=\"bar\"", in: cost) == 3)
        #expect(cost.contains("<title>2026-11-02: cost 0.00 over 0 generations</title>"))
    }

    @Test func familyPageHasPerVersionMetricsAndTheChart() throws {
        let page = try site.text("prompts/fixture/index.html")
        #expect(page.contains("<td class=\"num\">12</td><td class=\"num\">80.0% <small class=\"interval\">(49.0–94.3%)</small></td><td class=\"num\">1.0 s</td><td class=\"num\">0.30</td><td class=\"num\">4.50</td>"))
        #expect(page.contains("<td class=\"num\">10</td><td class=\"num\">50.0% <small class=\"interval\">(23.7–76.3%)</small></td>"))
        let svg = try chart("Success rate by version of Fixture walk", in: page)
        #expect(count("<g class=\"interval\"", in: svg) == 2)
        #expect(svg.contains("<a href=\"v2/index.html\">"))
        #expect(svg.contains("80.0% · n = 10"))
        #expect(xmlProblem(svg) == nil)
    }

    @Test func versionPageComparesWithTheParent() throws {
        let page = try site.text("prompts/fixture/v2/index.html")
        #expect(page.contains("<strong>12</strong> generations · success rate <strong>80.0%</strong> <span class=\"interval\">(49.0–94.3%)</span>"))
        // p1 = 0.5, p2 = 0.8 over 10 each: z = 1.406, p = 0.160; lift 0.3 ± 1.96 · 0.2025.
        #expect(page.contains("vs parent v1: +30.0 points (95% CI \u{2212}9.7 to +69.7), p = 0.160, no significant difference"))
        #expect(page.contains("<tr><td><a href=\"../../../providers/inkwell/index.html\">inkwell</a></td><td class=\"num\">12</td><td class=\"num\">80.0%</td><td class=\"num interval\">49.0–94.3%</td>"))
        // The root has no parent to compare with.
        let root = try site.text("prompts/fixture/v1/index.html")
        #expect(root.contains("<strong>10</strong> generations · success rate <strong>50.0%</strong>"))
        #expect(!root.contains("vs parent"))
    }

    @Test func apiCarriesTheNumbersAsNumbers() throws {
        let overview = try #require(try site.json("api/v1/analytics/overview.json") as? [String: Any])
        let metrics = try #require(overview["metrics"] as? [String: Any])
        #expect(metrics["generations"] as? Int == 24)
        #expect(metrics["decided"] as? Int == 22)
        #expect(abs((metrics["success_rate"] as? Double ?? 0) - 15.0 / 22.0) < 1e-12)
        #expect(abs(((metrics["cost"] as? [String: Any])?["total"] as? Double ?? 0) - 4.8) < 1e-9)
        let p50 = try #require((metrics["latency_ms"] as? [String: Any])?["p50"] as? Double)
        #expect(abs(p50 - 1000) <= 5)
        #expect(overview["days"] as? Int == 3)

        let versions = try #require((try site.json("api/v1/analytics/versions.json") as? [String: Any])?["versions"] as? [[String: Any]])
        #expect(versions.map { $0["version"] as? String } == ["fixture@1", "fixture@2"])
        let v2 = versions[1]
        let v2Metrics = try #require(v2["metrics"] as? [String: Any])
        #expect(v2Metrics["success_rate"] as? Double == 0.8)
        let interval = try #require(v2Metrics["interval"] as? [String: Double])
        #expect(abs(interval["lower"]! - 0.490162) < 1e-6 && abs(interval["upper"]! - 0.943318) < 1e-6)
        let parent = try #require(v2["parent"] as? [String: Any])
        #expect(parent["number"] as? Int == 1)
        #expect(abs((parent["lift"] as? Double ?? 0) - 0.3) < 1e-12)
        #expect(abs((parent["p_value"] as? Double ?? 0) - 0.159599) < 1e-5)
        #expect(parent["comparison"] as? String == "no_significant_difference")
        #expect((versions[0]["parent"]) is NSNull)
        let providers = try #require(v2["providers"] as? [[String: Any]])
        #expect(providers.map { $0["provider"] as? String } == ["inkwell"])

        let limit = try #require(try site.json("api/v1/analytics/limit-errors.json") as? [String: Any])
        #expect(limit["total"] as? Int == 4 && limit["caught"] as? Int == 3 && limit["share"] as? Double == 0.75)
        #expect(limit["meets_goal"] as? Bool == false)
        let top = try #require((try site.json("api/v1/analytics/top.json") as? [String: Any])?["versions"] as? [[String: Any]])
        #expect(top.map { $0["version"] as? String } == ["fixture@2", "fixture@1"])
        let days = try #require((try site.json("api/v1/analytics/days.json") as? [String: Any])?["days"] as? [[String: Any]])
        #expect(days.map { $0["day"] as? String } == ["2026-11-01", "2026-11-02", "2026-11-03"])
        #expect((days[1]["metrics"] as? [String: Any])?["generations"] as? Int == 0)
        let nodes = try #require((try site.json("api/v1/analytics/nodes.json") as? [String: Any])?["nodes"] as? [[String: Any]])
        #expect(nodes.map { $0["node"] as? String } == ["harbor/walk"])
    }
}

@Suite struct AnalyticsSampleTests {
    let site: BuiltSite

    init() throws { site = try BuiltSite.sample() }

    @Test func experimentsSayWhoWins() throws {
        #expect(site.exists("analytics/experiments/keeper-warmth/index.html"))
        let warmth = try site.text("analytics/experiments/keeper-warmth/index.html")
        #expect(warmth.contains("<span class=\"verdict winner\">warm wins: +"))
        #expect(warmth.contains("p &lt; 0.001 with "))
        #expect(warmth.contains("<a href=\"../../../prompts/keeper-dialogue/v5/index.html\">keeper-dialogue@5</a>"))
        #expect(warmth.contains("<title>Success rate by arm of keeper-warmth with 95% intervals</title>"))
        let lighting = try site.text("analytics/experiments/stall-lighting/index.html")
        #expect(lighting.contains("<span class=\"verdict none\">No winner: the difference of "))
        #expect(lighting.contains("is not significant (p = "))
        let index = try site.text("analytics/experiments/index.html")
        #expect(index.contains("<a href=\"../../analytics/experiments/keeper-warmth/index.html\">keeper-warmth</a>"))

        let experiments = try #require((try site.json("api/v1/analytics/experiments.json") as? [String: Any])?["experiments"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: experiments.map { ($0["name"] as! String, $0) })
        let warm = try #require(byName["keeper-warmth"]?["verdict"] as? [String: Any])
        #expect(warm["kind"] as? String == "winner" && warm["winner"] as? String == "warm")
        let arms = try #require(byName["keeper-warmth"]?["arms"] as? [[String: Any]])
        let test = try #require(arms.first { $0["name"] as? String == "warm" }?["success_test"] as? [String: Any])
        #expect((test["p_value"] as? Double ?? 1) < 0.001)
        #expect((test["lift"] as? Double ?? 0) > 0.05)
        #expect((byName["stall-lighting"]?["verdict"] as? [String: Any])?["kind"] as? String == "no_winner")
    }

    @Test func everyAnalyticsPageLinksResolveAndChartsParse() throws {
        let experimentPages = site.files().filter { $0.hasPrefix("analytics/experiments/") && $0 != "analytics/experiments/index.html" }
        #expect(experimentPages.count >= 2)
        let pages = analyticsPages + experimentPages
        let (checked, problems) = try site.linkProblems(in: pages)
        #expect(checked > 100)
        #expect(problems.isEmpty, "\(problems)")
        for page in pages + ["prompts/keeper-dialogue/index.html"] {
            let html = try site.text(page)
            for match in html.matches(of: /<svg [\s\S]*?<\/svg>/) {
                #expect(xmlProblem(String(match.0)) == nil, "\(page)")
            }
        }
        for path in analyticsDocuments { #expect(try site.json(path) is [String: Any], "\(path)") }
        let overview = try site.text("analytics/index.html")
        let days = try #require((try site.json("api/v1/analytics/days.json") as? [String: Any])?["days"] as? [[String: Any]])
        #expect(count("<g class=\"bar\"", in: try chart("Generations per day", in: overview)) == days.count)
        #expect(overview.contains("Limit errors caught"))
        #expect(overview.contains("promptsite import logs"))
    }

    @Test func dashboardAndVersionPagesShowTheirMetrics() throws {
        let dashboard = try site.text("index.html")
        #expect(dashboard.contains("<a href=\"analytics/index.html\">All analytics</a>"))
        #expect(dashboard.contains("warm wins"))
        let v5 = try site.text("prompts/keeper-dialogue/v5/index.html")
        #expect(v5.contains("vs parent v4: +"))
        #expect(v5.contains(", better"))
    }
}

@Suite struct AnalyticsEdgeTests {
    @Test func withoutLogsThePagesExistAndSayHowToAddThem() throws {
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell"),
            "prompts/walk/family.yaml": Fixture.family(),
            "prompts/walk/v1.prompt": Fixture.version("version: 1", "A walk."),
        ])
        let site = try BuiltSite.build(content: content.root)
        for path in analyticsPages + analyticsDocuments { #expect(site.exists(path), "missing \(path)") }
        for path in analyticsPages { #expect(try site.text(path).contains("No generation logs yet."), "\(path)") }
        #expect(try site.text("analytics/index.html").contains("<code>*.jsonl</code>"))
        #expect(try site.text("prompts/walk/index.html").contains("No generations logged for this family."))
        #expect(try site.text("prompts/walk/v1/index.html").contains("No generations logged for this version."))
        #expect(try site.text("index.html").contains("No generation logs yet."))
        let overview = try #require(try site.json("api/v1/analytics/overview.json") as? [String: Any])
        #expect((overview["metrics"] as? [String: Any])?["generations"] as? Int == 0)
        #expect((overview["metrics"] as? [String: Any])?["success_rate"] is NSNull)
        let (_, problems) = try site.linkProblems(in: analyticsPages)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func aLogWithoutRecordsIsListedWithItsMalformedLines() throws {
        let content = try TemporaryContent(["logs/bad.jsonl": "not json\n{\"status\":\"exploded\"}\n"])
        let site = try BuiltSite.build(content: content.root)
        let page = try site.text("analytics/index.html")
        #expect(page.contains("The log files hold no valid records yet"))
        #expect(page.contains("<tr><td><code>logs/bad.jsonl</code></td><td class=\"num\">2</td><td class=\"num\">0</td><td class=\"num\"><a href=\"../checks/index.html\">2</a></td>"))
    }

    @Test func hostileNamesInLogsAreEscapedEverywhere() throws {
        let node = "<script>alert(1)</script>"
        let experiment = "\"><img src=x>"
        var lines: [String] = []
        for index in 0..<40 {
            lines.append(logRecord([
                "version": index % 3 == 0 ? "<x>@1" : "walk@1", "provider": "<svg onload=alert(2)>",
                "status": index % 4 == 0 ? "failed" : "success", "error": index % 4 == 0 ? "<b>err</b>" : nil,
                "created_at": "2026-11-0\(1 + index % 2)T10:00:00Z", "node": node, "block": "<i>blk</i>",
                "experiment": experiment, "arm": index % 2 == 0 ? "<b>A</b>" : "B'\"&",
            ]))
        }
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell"),
            "prompts/walk/family.yaml": Fixture.family(),
            "prompts/walk/v1.prompt": Fixture.version("version: 1", "A walk."),
            "logs/evil.jsonl": lines.joined(separator: "\n") + "\n",
        ])
        let site = try BuiltSite.build(content: content.root)
        let experimentPage = "analytics/experiments/" + SitePaths.pathSegment(experiment) + "/index.html"
        #expect(site.exists(experimentPage))
        let pages = analyticsPages + [experimentPage, "index.html", "prompts/walk/index.html", "prompts/walk/v1/index.html"]
        for page in pages {
            let html = try site.text(page)
            #expect(count("<script", in: html) == 1, "\(page) has a script from the logs")
            for raw in ["<img", "<b>", "<i>blk", "<svg onload", "<x>"] { #expect(!html.contains(raw), "\(page) contains \(raw)") }
            for match in html.matches(of: /<svg [\s\S]*?<\/svg>/) {
                #expect(xmlProblem(String(match.0)) == nil, "\(page)")
            }
        }
        #expect(try site.text("analytics/nodes/index.html").contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let experimentHTML = try site.text(experimentPage)
        #expect(experimentHTML.contains("<h1>&quot;&gt;&lt;img src=x&gt;</h1>"))
        // In the arms chart (SVG) too.
        #expect(try chart("Success rate by arm of &quot;&gt;&lt;img src=x&gt;", in: experimentHTML).contains("&lt;b&gt;A&lt;/b&gt;"))
        #expect(try chart("Success rate by provider", in: try site.text("analytics/providers/index.html")).contains("&lt;svg onload=alert(2)&gt;"))
        let (_, problems) = try site.linkProblems(in: pages)
        #expect(problems.isEmpty, "\(problems)")
        for path in analyticsDocuments {
            let json = try site.text(path)
            #expect(!json.contains("<") && !json.contains(">"), "\(path)")
            #expect(try site.json(path) is [String: Any])
        }
        #expect(try site.text("api/v1/analytics/nodes.json").contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"))
        let experiments = try #require((try site.json("api/v1/analytics/experiments.json") as? [String: Any])?["experiments"] as? [[String: Any]])
        #expect(experiments.first?["name"] as? String == experiment)
    }

    @Test func experimentAddressesAreUniqueIgnoringCase() {
        let addresses = ExperimentAddresses(["Warm", "warm", "a/b", ".."])
        let paths = ["Warm", "warm", "a/b", ".."].map { addresses.byName[$0]! }
        #expect(Set(paths.map { $0.lowercased() }).count == 4)
        #expect(paths[0] == "analytics/experiments/Warm/index.html")
        #expect(paths[1] == "analytics/experiments/warm~d2/index.html")
        #expect(!paths.contains { $0.contains("/../") || $0.contains("a/b") })
    }
}
