import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Site

/// Whether `text` parses as XML; the first error otherwise.
func xmlProblem(_ text: String) -> String? {
    final class Delegate: NSObject, XMLParserDelegate {
        var error: String?
        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            error = error ?? "line \(parser.lineNumber): \(parseError)"
        }
    }
    let parser = XMLParser(data: Data(text.utf8))
    let delegate = Delegate()
    parser.delegate = delegate
    let ok = parser.parse()
    return ok ? nil : (delegate.error ?? "does not parse")
}

/// The numbers of an attribute on every element with the given class, in order.
func attribute(_ name: String, ofClass cssClass: String, in svg: String) -> [Double] {
    svg.matches(of: /<[a-z]+ class="([^"]*)"([^>]*)>/).compactMap { match -> Double? in
        guard String(match.1) == cssClass else { return nil }
        let attributes = String(match.2).matches(of: /\s([a-z-]+)="([^"]*)"/)
        return attributes.first { String($0.1) == name }.flatMap { Double(String($0.2)) }
    }
}

@Suite struct ChartTests {
    let hostile = "<script>alert(\"x\")</script> & 'q'"

    @Test func oneBarPerItemWithProportionalHeights() throws {
        let values = [1.0, 2.0, 4.0, 0.0, 3.5]
        let bars = values.enumerated().map { Charts.Bar(tick: "d\($0.offset)", values: [$0.element], tooltip: "day \($0.offset)") }
        let svg = Charts.bars(bars, series: [Charts.Series(name: "cost", key: "cost")], title: "Cost per day", axis: .cost)
        #expect(count("<g class=\"bar\"", in: svg) == values.count)
        // A zero draws no rectangle; every other value one, as tall as the value says.
        let heights = attribute("height", ofClass: "series-cost", in: svg).dropFirst()  // the first is the legend swatch
        #expect(heights.count == 4)
        let unit = try #require(heights.first)
        for (height, value) in zip(heights, values.filter { $0 > 0 }) {
            #expect(abs(height / unit - value) < 0.01, "height \(height) for \(value)")
        }
        // The axis reaches at least the largest value, and every bar stands on the same baseline.
        let ys = attribute("y", ofClass: "series-cost", in: svg).dropFirst()
        let bottoms = zip(ys, heights).map { $0 + $1 }
        #expect(Set(bottoms.map { ($0 * 10).rounded() }).count == 1)
        #expect(xmlProblem(svg) == nil)
    }

    @Test func stackedBarsAddUp() throws {
        let bars = [Charts.Bar(tick: "a", values: [3, 1, 0], tooltip: "a"), Charts.Bar(tick: "b", values: [6, 1, 1], tooltip: "b")]
        let series = [Charts.Series(name: "success", key: "success"), Charts.Series(name: "failed", key: "failed"),
                      Charts.Series(name: "cancelled", key: "cancelled")]
        let svg = Charts.bars(bars, series: series, title: "Generations", axis: .count)
        let success = Array(attribute("height", ofClass: "series-success", in: svg).dropFirst())
        let failed = Array(attribute("height", ofClass: "series-failed", in: svg).dropFirst())
        let cancelled = Array(attribute("height", ofClass: "series-cancelled", in: svg).dropFirst())
        #expect(success.count == 2 && failed.count == 2 && cancelled.count == 1)
        #expect(abs(success[1] / success[0] - 2) < 0.01)
        #expect(abs((success[1] + failed[1] + cancelled[0]) / (success[0] + failed[0]) - 2) < 0.01)
        // Segments stack: each failed segment sits right on top of its success segment.
        let successY = Array(attribute("y", ofClass: "series-success", in: svg).dropFirst())
        let failedY = Array(attribute("y", ofClass: "series-failed", in: svg).dropFirst())
        #expect(abs(failedY[0] + failed[0] - successY[0]) < 0.02)
    }

    @Test func lineHasOnePointPerValueAndBreaksAtGaps() throws {
        let values: [Double?] = [0.8, 0.85, nil, 0.9, 0.7, nil, 0.75]
        let points = values.enumerated().map { index, value in
            Charts.BandPoint(tick: "d\(index)", value: value, lower: value.map { $0 - 0.05 }, upper: value.map { $0 + 0.05 }, tooltip: "d\(index)")
        }
        let svg = Charts.line(points, title: "Success rate", axis: .percent, name: "success rate")
        #expect(count("<g class=\"point\"", in: svg) == values.compactMap { $0 }.count)
        #expect(count("<circle", in: svg) == 5)
        // Runs of two or more points get a line and a band; the lone last point gets a whisker instead.
        let line = try #require(svg.firstMatch(of: /<g class="line"[^>]*>([\s\S]*?)<\/g>/))
        #expect(count("<path", in: String(line.1)) == 2)
        #expect(count("class=\"whisker\"", in: svg) == 1)
        // Higher rates are drawn higher (a smaller y): 0.9 above 0.7.
        let circles = svg.matches(of: /<circle cx="[-0-9.]+" cy="([-0-9.]+)"/).map { Double(String($0.1))! }
        #expect(circles.count == 5)
        #expect(circles[2] < circles[3])
        #expect(xmlProblem(svg) == nil)
    }

    @Test func intervalsDrawAWhiskerPerRowInOrder() throws {
        let rows = [
            Charts.IntervalRow(label: "v1", url: "v1/index.html", value: 0.5, lower: 0.2366, upper: 0.7634, note: "50.0% · n = 10", tooltip: "v1"),
            Charts.IntervalRow(label: "v2", url: nil, value: 0.8, lower: 0.4902, upper: 0.9433, note: "80.0% · n = 10", tooltip: "v2"),
        ]
        let svg = Charts.intervals(rows, title: "Success rate by version", axis: .percent)
        #expect(count("<g class=\"interval\"", in: svg) == 2)
        #expect(count("<a href=\"v1/index.html\">", in: svg) == 1)
        let dots = svg.matches(of: /<circle class="value" cx="([-0-9.]+)"/).map { Double(String($0.1))! }
        #expect(dots.count == 2 && dots[0] < dots[1])
        let whiskers = svg.matches(of: /<g class="whisker"[^>]*><line x1="([-0-9.]+)" y1="[-0-9.]+" x2="([-0-9.]+)"/)
            .map { (Double(String($0.1))!, Double(String($0.2))!) }
        #expect(whiskers.count == 2)
        for (whisker, dot) in zip(whiskers, dots) { #expect(whisker.0 < dot && dot < whisker.1) }
        // The axis is in percent and covers every interval.
        #expect(svg.contains(">20%</text>") || svg.contains(">0%</text>"))
        #expect(svg.contains(">100%</text>"))
        #expect(xmlProblem(svg) == nil)
    }

    @Test func everyTextIsEscapedAndTheSVGStaysWellFormed() throws {
        let bars = Charts.bars([Charts.Bar(tick: hostile, values: [1], tooltip: hostile)], series: [Charts.Series(name: hostile, key: "x\"y")],
                               title: hostile, axis: .count)
        let line = Charts.line([Charts.BandPoint(tick: hostile, value: 0.5, lower: 0.4, upper: 0.6, tooltip: hostile)], title: hostile,
                               axis: .percent, name: hostile)
        let intervals = Charts.intervals([Charts.IntervalRow(label: hostile, url: "javascript:alert(1)", value: 0.5, lower: 0.4, upper: 0.6,
                                                             note: hostile, tooltip: hostile)], title: hostile, axis: .percent)
        for svg in [bars, line, intervals] {
            #expect(xmlProblem(svg) == nil)
            #expect(!svg.contains("<script"))
            #expect(!svg.contains("javascript:"))
            #expect(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"))
        }
    }

    @Test func emptyChartsSayNoData() {
        for svg in [Charts.bars([], series: [], title: "t", axis: .count), Charts.line([], title: "t", axis: .percent, name: "n"),
                    Charts.intervals([], title: "t", axis: .percent)] {
            #expect(svg.contains(">no data</text>"))
            #expect(xmlProblem(svg) == nil)
        }
        // A line whose every value is missing has nothing to draw either.
        #expect(Charts.line([Charts.BandPoint(tick: "a", value: nil, lower: nil, upper: nil, tooltip: "a")], title: "t", axis: .percent, name: "n")
            .contains("no data"))
    }

    @Test func sameDataSameBytes() {
        func make() -> String {
            Charts.bars((0..<40).map { Charts.Bar(tick: "\($0)", values: [Double($0 % 7) * 1.37, 0.3], tooltip: "\($0)") },
                        series: [Charts.Series(name: "a", key: "a"), Charts.Series(name: "b", key: "b")], title: "t", axis: .cost)
        }
        #expect(make() == make())
        // Coordinates carry at most two decimals.
        #expect(make().matches(of: /="-?[0-9]+\.[0-9]{3,}"/).isEmpty)
    }

    @Test func scalesUseRoundTicksThatCoverTheData() {
        let scale = Charts.Scale(from: 0, to: 263)
        #expect(scale.low == 0 && scale.high >= 263)
        #expect(scale.step == 100)
        #expect(scale.ticks == [0, 100, 200, 300])
        let rates = Charts.Scale(from: 0.8236, to: 0.9433, clamp: 0...1)
        #expect(rates.low <= 0.8236 && rates.high >= 0.9433 && rates.high <= 1)
        #expect(Charts.axisLabel(0.85, step: rates.step, axis: .percent) == "85%")
        // One value alone still gets an axis.
        let single = Charts.Scale(from: 5, to: 5)
        #expect(single.low < 5 && single.high > 5)
        #expect(Charts.Scale(from: 0, to: 0).high > 0)
    }
}

@Suite struct MetricFormatTests {
    @Test func percentagesAndIntervals() {
        #expect(MetricFormat.percent(0.8) == "80.0%")
        #expect(MetricFormat.percent(0.8476) == "84.8%")
        #expect(MetricFormat.percent(nil) == "—")
        #expect(MetricFormat.interval(.init(lower: 0.49016, upper: 0.94332)) == "49.0–94.3%")
        #expect(MetricFormat.rate(0.781, .init(lower: 0.75, upper: 0.81)) == "78.1% (75.0–81.0%)")
    }

    @Test func signedPointsAndPValues() {
        #expect(MetricFormat.points(0.119) == "+11.9 points")
        #expect(MetricFormat.points(-0.03) == "\u{2212}3.0 points")
        #expect(MetricFormat.points(-0.0001) == "0.0 points")
        #expect(MetricFormat.pointsInterval(.init(lower: 0.08, upper: 0.158)) == "+8.0 to +15.8")
        #expect(MetricFormat.pValue(0.0004) == "p < 0.001")
        #expect(MetricFormat.pValue(0.61) == "p = 0.610")
        #expect(MetricFormat.pValue(0.0496) == "p = 0.050")
    }

    @Test func costsLatencyCountsAndRatings() {
        #expect(MetricFormat.cost(449.58) == "449.58")
        #expect(MetricFormat.cost(1234.5) == "1,234.50")
        #expect(MetricFormat.cost(0.0031) == "0.0031")
        #expect(MetricFormat.cost(0.01) == "0.01")
        #expect(MetricFormat.cost(0) == "0.00")
        #expect(MetricFormat.cost(0.000034) == "0.000034")
        #expect(MetricFormat.latency(850) == "850 ms")
        #expect(MetricFormat.latency(999.7) == "1.0 s")
        #expect(MetricFormat.latency(4213) == "4.2 s")
        #expect(MetricFormat.count(12174) == "12,174")
        #expect(MetricFormat.count(999) == "999")
        #expect(MetricFormat.count(1_000_000) == "1,000,000")
        #expect(MetricFormat.counted(1, "generation") == "1 generation")
        #expect(MetricFormat.counted(1200, "generation") == "1,200 generations")
        #expect(MetricFormat.rating(3.8444) == "3.84")
        #expect(MetricFormat.confidence(0.95) == "95%")
        #expect(MetricFormat.confidence(0.995) == "99.5%")
    }

    @Test func roundingIsHalfAwayFromZeroWithoutNegativeZero() {
        #expect(MetricFormat.fixed(0.125, decimals: 2) == "0.13")
        #expect(MetricFormat.fixed(-0.004, decimals: 2) == "0.00")
        #expect(MetricFormat.fixed(-1.5, decimals: 0) == "\u{2212}2")
        #expect(MetricFormat.coordinate(12.345) == "12.35")
        #expect(MetricFormat.coordinate(12.3) == "12.3")
        #expect(MetricFormat.coordinate(-0.001) == "0")
        #expect(MetricFormat.coordinate(-3.5) == "-3.5")
    }
}
