/// Inline SVG charts, made at build time (SPEC §5): bars (stacked or not), a line with its
/// interval band, and intervals with whiskers. Every text is escaped, every number is
/// written with at most two decimals, so the same data gives the same bytes. Colours come
/// from classes (`series-<name>`, `axis`, `grid`, `band`, `line`, `whisker`) that the theme's
/// CSS fills from its variables, so light and dark mode both work; the attribute defaults use
/// `currentColor`. Each mark carries a `<title>`, which browsers show as a tooltip.
enum Charts {
    /// How axis ticks read.
    enum Axis: Sendable {
        case count
        case percent
        case cost
    }

    /// One series of a bar chart: its legend name and its CSS class suffix.
    struct Series: Sendable {
        let name: String
        let key: String
    }

    /// One bar (one value per series, stacked bottom-up in series order).
    struct Bar: Sendable {
        /// The tick under the bar (shown for some bars when there are many).
        let tick: String
        let values: [Double]
        let tooltip: String
    }

    /// One point of a line with its interval; nil value: a gap in the line.
    struct BandPoint: Sendable {
        let tick: String
        let value: Double?
        let lower: Double?
        let upper: Double?
        let tooltip: String
    }

    /// One row of an interval chart: a point and its whisker, with a label and a value text.
    struct IntervalRow: Sendable {
        let label: String
        let url: String?
        let value: Double
        let lower: Double
        let upper: Double
        /// Written at the right end of the row, e.g. `80.0% · n = 10`.
        let note: String
        let tooltip: String
    }

    static let width = 720.0
    static let height = 220.0
    static let fontSize = 11
    private static let left = 56.0, right = 12.0, top = 26.0, bottom = 30.0

    // MARK: Bars

    /// Vertical bars, one per item, stacked in series order; heights are proportional to the
    /// values from a zero baseline.
    static func bars(_ bars: [Bar], series: [Series], title: String, axis: Axis) -> String {
        guard !bars.isEmpty else { return empty(title) }
        let totals = bars.map { $0.values.reduce(0) { $0 + max(0, $1) } }
        let scale = Scale(from: 0, to: totals.max() ?? 0)
        let plot = Plot(count: bars.count)
        var out = open(title, kind: "bars")
        out += grid(scale, axis: axis, plot: plot)
        out += legend(series)
        out += "<g class=\"marks\">\n"
        for (index, bar) in bars.enumerated() {
            let x = plot.slotX(index) + plot.slot * 0.1, barWidth = max(1, plot.slot * 0.8)
            out += "<g class=\"bar\" data-index=\"\(index)\"><title>\(HTML.escape(bar.tooltip))</title>"
            out += "<rect class=\"hit\" x=\"\(n(plot.slotX(index)))\" y=\"\(n(top))\" width=\"\(n(plot.slot))\" height=\"\(n(plot.height))\" fill-opacity=\"0\"/>"
            var base = 0.0
            for (position, value) in bar.values.enumerated() where value > 0 {
                let key = position < series.count ? series[position].key : "\(position)"
                let y0 = scale.y(base, plot), y1 = scale.y(base + value, plot)
                out += "<rect class=\"series-\(HTML.escape(key))\" x=\"\(n(x))\" y=\"\(n(y1))\" width=\"\(n(barWidth))\" height=\"\(n(y0 - y1))\" fill=\"currentColor\"/>"
                base += value
            }
            out += "</g>\n"
        }
        out += "</g>\n"
        out += ticks(bars.map(\.tick), plot: plot)
        return out + "</svg>"
    }

    // MARK: Line with band

    /// A line through the values with the band between `lower` and `upper` behind it; the y axis
    /// covers the band (not necessarily from zero), and the line breaks where a value is missing.
    static func line(_ points: [BandPoint], title: String, axis: Axis, name: String) -> String {
        let known = points.compactMap { point in point.value.map { (point.lower ?? $0, point.upper ?? $0) } }
        guard !known.isEmpty else { return empty(title) }
        var low = known.map(\.0).min()!, high = known.map(\.1).max()!
        if axis == .percent { low = max(0, low); high = min(1, high) }
        let scale = Scale(from: low, to: high, clamp: axis == .percent ? 0...1 : nil)
        let plot = Plot(count: points.count)
        var out = open(title, kind: "line")
        out += grid(scale, axis: axis, plot: plot)
        out += legend([Series(name: name, key: "line")], band: true)
        // Runs of consecutive points with a value.
        var runs: [[Int]] = []
        for (index, point) in points.enumerated() {
            guard point.value != nil else { continue }
            if let last = runs.last?.last, last == index - 1 { runs[runs.count - 1].append(index) } else { runs.append([index]) }
        }
        out += "<g class=\"band\" fill=\"currentColor\" fill-opacity=\"0.18\" stroke=\"none\">\n"
        for run in runs where run.count > 1 {
            let upper = run.map { "\(n(plot.centerX($0))) \(n(scale.y(points[$0].upper ?? points[$0].value!, plot)))" }
            let lower = run.reversed().map { "\(n(plot.centerX($0))) \(n(scale.y(points[$0].lower ?? points[$0].value!, plot)))" }
            out += "<path d=\"M" + (upper + lower).joined(separator: "L") + "Z\"/>\n"
        }
        out += "</g>\n<g class=\"line\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\">\n"
        for run in runs where run.count > 1 {
            out += "<path d=\"M" + run.map { "\(n(plot.centerX($0))) \(n(scale.y(points[$0].value!, plot)))" }.joined(separator: "L") + "\"/>\n"
        }
        out += "</g>\n<g class=\"points\" fill=\"currentColor\">\n"
        for (index, point) in points.enumerated() {
            guard let value = point.value else { continue }
            let x = n(plot.centerX(index))
            out += "<g class=\"point\" data-index=\"\(index)\"><title>\(HTML.escape(point.tooltip))</title>"
            if run(of: index, in: runs) == 1, let lower = point.lower, let upper = point.upper {
                out += "<line class=\"whisker\" x1=\"\(x)\" y1=\"\(n(scale.y(lower, plot)))\" x2=\"\(x)\" y2=\"\(n(scale.y(upper, plot)))\" stroke=\"currentColor\"/>"
            }
            out += "<circle cx=\"\(x)\" cy=\"\(n(scale.y(value, plot)))\" r=\"\(points.count > 60 ? "2" : "3")\"/></g>\n"
        }
        out += "</g>\n"
        out += ticks(points.map(\.tick), plot: plot)
        return out + "</svg>"
    }

    private static func run(of index: Int, in runs: [[Int]]) -> Int {
        runs.first { $0.contains(index) }?.count ?? 0
    }

    // MARK: Intervals

    /// One row per item: its label (linked when it has a URL), a whisker from `lower` to
    /// `upper` and a dot at the value, on a shared horizontal axis; the note at the right.
    static func intervals(_ rows: [IntervalRow], title: String, axis: Axis) -> String {
        guard !rows.isEmpty else { return empty(title) }
        let rowHeight = 24.0, axisHeight = 26.0, top = 8.0
        let labelWidth = min(220, max(40, Double(rows.map { shortened($0.label).count }.max() ?? 0) * 7 + 8))
        let noteWidth = min(200, max(60, Double(rows.map(\.note.count).max() ?? 0) * 6.2 + 10))
        let plotLeft = labelWidth + 8, plotRight = width - noteWidth - 8
        var low = rows.map { min($0.lower, $0.value) }.min()!, high = rows.map { max($0.upper, $0.value) }.max()!
        if axis == .percent { low = max(0, low); high = min(1, high) }
        let scale = Scale(from: low, to: high, clamp: axis == .percent ? 0...1 : nil)
        let plotHeight = Double(rows.count) * rowHeight
        let totalHeight = top + plotHeight + axisHeight
        func x(_ value: Double) -> Double { plotLeft + (value - scale.low) / (scale.high - scale.low) * (plotRight - plotLeft) }

        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-intervals\" viewBox=\"0 0 \(n(width)) \(n(totalHeight))\""
        out += " width=\"\(n(width))\" height=\"\(n(totalHeight))\" role=\"img\" aria-label=\"\(HTML.escape(title))\""
        out += " font-family=\"system-ui, sans-serif\" font-size=\"\(fontSize)\" fill=\"currentColor\">\n<title>\(HTML.escape(title))</title>\n"
        out += "<g class=\"grid\" stroke=\"currentColor\" stroke-opacity=\"0.15\">\n"
        for tick in scale.ticks {
            out += "<line x1=\"\(n(x(tick)))\" y1=\"\(n(top))\" x2=\"\(n(x(tick)))\" y2=\"\(n(top + plotHeight))\"/>\n"
        }
        out += "</g>\n<g class=\"axis\">\n"
        out += "<line x1=\"\(n(plotLeft))\" y1=\"\(n(top + plotHeight))\" x2=\"\(n(plotRight))\" y2=\"\(n(top + plotHeight))\" stroke=\"currentColor\" stroke-opacity=\"0.5\"/>\n"
        for tick in scale.ticks {
            out += "<text x=\"\(n(x(tick)))\" y=\"\(n(top + plotHeight + 16))\" text-anchor=\"middle\">\(HTML.escape(axisLabel(tick, step: scale.step, axis: axis)))</text>\n"
        }
        out += "</g>\n<g class=\"marks\">\n"
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight + rowHeight / 2
            out += "<g class=\"interval\" data-index=\"\(index)\"><title>\(HTML.escape(row.tooltip))</title>"
            out += "<rect class=\"hit\" x=\"0\" y=\"\(n(y - rowHeight / 2))\" width=\"\(n(width))\" height=\"\(n(rowHeight))\" fill-opacity=\"0\"/>"
            let label = "<text class=\"row-label\" x=\"\(n(labelWidth))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(HTML.escape(shortened(row.label)))</text>"
            if let url = row.url {
                out += "<a href=\"\(HTML.escape(HTML.safeURL(url)))\">\(label)</a>"
            } else {
                out += label
            }
            let lo = n(x(row.lower)), hi = n(x(row.upper))
            out += "<g class=\"whisker\" stroke=\"currentColor\" stroke-width=\"1.5\">"
            out += "<line x1=\"\(lo)\" y1=\"\(n(y))\" x2=\"\(hi)\" y2=\"\(n(y))\"/>"
            out += "<line x1=\"\(lo)\" y1=\"\(n(y - 5))\" x2=\"\(lo)\" y2=\"\(n(y + 5))\"/>"
            out += "<line x1=\"\(hi)\" y1=\"\(n(y - 5))\" x2=\"\(hi)\" y2=\"\(n(y + 5))\"/></g>"
            out += "<circle class=\"value\" cx=\"\(n(x(row.value)))\" cy=\"\(n(y))\" r=\"4\"/>"
            out += "<text class=\"note\" x=\"\(n(width - noteWidth))\" y=\"\(n(y + 4))\">\(HTML.escape(row.note))</text></g>\n"
        }
        return out + "</g>\n</svg>"
    }

    /// Labels longer than 30 characters are cut (the tooltip has the whole text).
    static func shortened(_ label: String) -> String {
        label.count > 30 ? String(label.prefix(29)) + "…" : label
    }

    // MARK: Shared parts

    private static func open(_ title: String, kind: String) -> String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-\(kind)\" viewBox=\"0 0 \(n(width)) \(n(height))\""
        out += " width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\""
        out += " font-family=\"system-ui, sans-serif\" font-size=\"\(fontSize)\" fill=\"currentColor\">\n"
        return out + "<title>\(HTML.escape(title))</title>\n"
    }

    private static func empty(_ title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart empty\" viewBox=\"0 0 240 32\" width=\"240\" height=\"32\" role=\"img\""
            + " aria-label=\"\(HTML.escape(title))\" font-family=\"system-ui, sans-serif\" font-size=\"\(fontSize)\" fill=\"currentColor\">\n"
            + "<title>\(HTML.escape(title))</title>\n<text x=\"8\" y=\"20\">no data</text>\n</svg>"
    }

    /// Horizontal grid lines with their labels on the left, and the baseline.
    private static func grid(_ scale: Scale, axis: Axis, plot: Plot) -> String {
        var out = "<g class=\"grid\" stroke=\"currentColor\" stroke-opacity=\"0.15\">\n"
        for tick in scale.ticks {
            let y = n(scale.y(tick, plot))
            out += "<line x1=\"\(n(left))\" y1=\"\(y)\" x2=\"\(n(width - right))\" y2=\"\(y)\"/>\n"
        }
        out += "</g>\n<g class=\"axis\">\n"
        for tick in scale.ticks {
            out += "<text x=\"\(n(left - 6))\" y=\"\(n(scale.y(tick, plot) + 4))\" text-anchor=\"end\">\(HTML.escape(axisLabel(tick, step: scale.step, axis: axis)))</text>\n"
        }
        let base = n(top + plot.height)
        out += "<line x1=\"\(n(left))\" y1=\"\(base)\" x2=\"\(n(width - right))\" y2=\"\(base)\" stroke=\"currentColor\" stroke-opacity=\"0.5\"/>\n"
        return out + "</g>\n"
    }

    /// Ticks under the slots: about eight, evenly spaced, always the first and the last.
    private static func ticks(_ labels: [String], plot: Plot) -> String {
        let every = max(1, Int((Double(labels.count) / 8).rounded(.up)))
        var out = "<g class=\"axis ticks\">\n"
        for (index, label) in labels.enumerated() {
            let isLast = index == labels.count - 1
            guard index % every == 0 || (isLast && index % every >= every / 2) else { continue }
            let x = n(plot.centerX(index))
            out += "<line x1=\"\(x)\" y1=\"\(n(top + plot.height))\" x2=\"\(x)\" y2=\"\(n(top + plot.height + 4))\" stroke=\"currentColor\" stroke-opacity=\"0.5\"/>"
            out += "<text x=\"\(x)\" y=\"\(n(top + plot.height + 16))\" text-anchor=\"middle\">\(HTML.escape(label))</text>\n"
        }
        return out + "</g>\n"
    }

    private static func legend(_ series: [Series], band: Bool = false) -> String {
        var out = "<g class=\"legend\">"
        var x = left
        for item in series {
            out += "<rect class=\"series-\(HTML.escape(item.key))\" x=\"\(n(x))\" y=\"8\" width=\"10\" height=\"10\" fill=\"currentColor\"/>"
            out += "<text x=\"\(n(x + 14))\" y=\"17\">\(HTML.escape(item.name))</text>"
            x += 14 + Double(item.name.count) * 6.5 + 14
        }
        if band {
            out += "<rect class=\"band\" x=\"\(n(x))\" y=\"8\" width=\"10\" height=\"10\" fill=\"currentColor\" fill-opacity=\"0.18\"/>"
            out += "<text x=\"\(n(x + 14))\" y=\"17\">interval</text>"
        }
        return out + "</g>\n"
    }

    static func axisLabel(_ value: Double, step: Double, axis: Axis) -> String {
        switch axis {
        case .count:
            return step >= 1 ? MetricFormat.count(Int(value.rounded())) : MetricFormat.fixed(value, decimals: 1)
        case .percent:
            return MetricFormat.fixed(value * 100, decimals: step * 100 >= 1 ? 0 : 1) + "%"
        case .cost:
            return MetricFormat.fixed(value, decimals: step >= 1 ? 0 : step >= 0.1 ? 1 : step >= 0.01 ? 2 : 4)
        }
    }

    private static func n(_ value: Double) -> String { MetricFormat.coordinate(value) }

    /// The slots of a bar or line chart: one per item, across the plot.
    struct Plot {
        let count: Int
        var slot: Double { (width - left - right) / Double(max(count, 1)) }
        var height: Double { Charts.height - top - bottom }
        func slotX(_ index: Int) -> Double { left + Double(index) * slot }
        func centerX(_ index: Int) -> Double { slotX(index) + slot / 2 }
    }

    /// A value axis with round ticks: steps of 1, 2 or 5 times a power of ten, about five ticks.
    struct Scale {
        let low: Double
        let high: Double
        let step: Double
        let ticks: [Double]

        init(from low: Double, to high: Double, clamp: ClosedRange<Double>? = nil) {
            var low = low, high = high
            if high - low <= 0 {
                // One value: show it between round neighbours.
                let pad = high == 0 ? 1 : abs(high) * 0.1
                low = low == 0 ? 0 : low - pad
                high += pad
            }
            let rough = (high - low) / 4
            var magnitude = 1.0
            while magnitude * 10 <= rough { magnitude *= 10 }
            while magnitude > rough { magnitude /= 10 }
            let residual = rough / magnitude
            let step = (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10) * magnitude
            var niceLow = (low / step).rounded(.down) * step
            var niceHigh = (high / step).rounded(.up) * step
            if let clamp {
                niceLow = max(clamp.lowerBound, niceLow)
                niceHigh = min(clamp.upperBound, niceHigh)
            }
            if niceHigh <= niceLow { niceHigh = niceLow + step }
            self.low = niceLow
            self.high = niceHigh
            self.step = step
            let count = Int(((niceHigh - niceLow) / step).rounded())
            ticks = (0...count).map { niceLow + Double($0) * step }
        }

        func y(_ value: Double, _ plot: Plot) -> Double {
            top + plot.height - (value - low) / (high - low) * plot.height
        }
    }
}
