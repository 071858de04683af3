import Analytics

/// How every analytics number reads on a page, in one place. Deterministic: no locale,
/// no clock; rounding is half away from zero; a negative number that rounds to zero
/// loses its sign. Missing values read "—".
public enum MetricFormat {
    public static let missing = "—"
    /// U+2212, the minus sign of a signed number.
    public static let minus = "\u{2212}"

    /// `12,174`.
    public static func count(_ value: Int) -> String {
        value < 0 ? minus + grouped(String(-value)) : grouped(String(value))
    }

    /// `1,200 generations`, `1 generation`.
    public static func counted(_ value: Int, _ word: String) -> String {
        count(value) + " " + word + (value == 1 ? "" : "s")
    }

    /// `80.0%` from 0.8.
    public static func percent(_ rate: Double?) -> String {
        guard let rate, rate.isFinite else { return missing }
        return fixed(rate * 100, decimals: 1) + "%"
    }

    /// `49.0–94.3%`.
    public static func interval(_ interval: ConfidenceInterval?) -> String {
        guard let interval else { return missing }
        return fixed(interval.lower * 100, decimals: 1) + "–" + fixed(interval.upper * 100, decimals: 1) + "%"
    }

    /// `80.0% (49.0–94.3%)`.
    public static func rate(_ rate: Double?, _ interval: ConfidenceInterval?) -> String {
        guard let rate else { return missing }
        guard let interval else { return percent(rate) }
        return percent(rate) + " (" + self.interval(interval) + ")"
    }

    /// A difference of rates in percentage points, signed: `+11.9`, `−3.0`, `0.0`.
    public static func signedPoints(_ difference: Double) -> String {
        signed(difference * 100, decimals: 1)
    }

    /// `+11.9 points`.
    public static func points(_ difference: Double) -> String {
        signedPoints(difference) + " points"
    }

    /// `+8.0 to +15.8` (points), the interval of a lift.
    public static func pointsInterval(_ interval: ConfidenceInterval) -> String {
        signedPoints(interval.lower) + " to " + signedPoints(interval.upper)
    }

    /// `p < 0.001`, else `p = 0.610`.
    public static func pValue(_ p: Double?) -> String {
        guard let p, p.isFinite else { return missing }
        return p < 0.001 ? "p < 0.001" : "p = " + fixed(p, decimals: 3)
    }

    /// `449.58`; below 0.01, four decimals: `0.0031` (six below 0.00005: `0.000034`).
    public static func cost(_ value: Double?) -> String {
        guard let value, value.isFinite else { return missing }
        guard abs(value) < 0.01, value != 0 else { return fixed(value, decimals: 2) }
        // Below a hundredth four places, and six for what four would show as zero.
        return abs(value) < 0.00005 ? fixed(value, decimals: 6) : fixed(value, decimals: 4)
    }

    /// A signed cost difference: `+0.0042`, `−1.20`.
    public static func signedCost(_ value: Double) -> String {
        let text = cost(abs(value))
        if Double(text.filter { $0 != "," }) == 0 { return text }
        return (value < 0 ? minus : "+") + text
    }

    /// `850 ms` below a second, else `4.2 s`.
    public static func latency(_ milliseconds: Double?) -> String {
        guard let milliseconds, milliseconds.isFinite else { return missing }
        if milliseconds.rounded() < 1000 { return fixed(milliseconds, decimals: 0) + " ms" }
        return fixed(milliseconds / 1000, decimals: 1) + " s"
    }

    /// A mean rating with two decimals: `3.84`.
    public static func rating(_ mean: Double?) -> String {
        guard let mean, mean.isFinite else { return missing }
        return fixed(mean, decimals: 2)
    }

    /// `95%` from 0.95, `99.5%` from 0.995: the confidence level in labels ("95% CI").
    public static func confidence(_ level: Double) -> String {
        let percent = level * 100
        return (percent.rounded() == percent ? fixed(percent, decimals: 0) : fixed(percent, decimals: 1)) + "%"
    }

    /// A signed number with `decimals` places: `+1.5`, `−0.2`, `0.0`.
    public static func signed(_ value: Double, decimals: Int) -> String {
        let text = fixed(abs(value), decimals: decimals)
        if text.allSatisfy({ $0 == "0" || $0 == "." || $0 == "," }) { return text }
        return (value < 0 ? minus : "+") + text
    }

    /// `value` with exactly `decimals` places and thousands separators, rounded half away from zero.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return missing }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { return String(value) }
        let units = Int64(scaled)
        let divisor = Int64(scale)
        let whole = grouped(String(units / divisor))
        let sign = value < 0 && units != 0 ? minus : ""
        guard decimals > 0 else { return sign + whole }
        let fraction = String(units % divisor)
        return sign + whole + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// A plain decimal for SVG coordinates: at most two places, no separators, `-` for negatives.
    public static func coordinate(_ value: Double) -> String {
        let scaled = (value * 100).rounded(.toNearestOrAwayFromZero)
        guard scaled.isFinite, abs(scaled) < 9e15 else { return "0" }
        let units = Int64(scaled)
        let whole = abs(units) / 100, fraction = abs(units) % 100
        var text = (units < 0 ? "-" : "") + String(whole)
        if fraction != 0 {
            text += "." + (fraction < 10 ? "0" : "") + String(fraction)
            while text.hasSuffix("0") { text.removeLast() }
        }
        return text
    }

    /// `1234567` → `1,234,567`.
    private static func grouped(_ digits: String) -> String {
        guard digits.count > 3 else { return digits }
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }
}
