/// A JSON document with ordered object keys, written deterministically.
/// Used for machine-readable reports; keys keep the order they were given in.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.serialized() == rhs.serialized()
    }

    public static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    public static func optional(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }

    /// Compact JSON, or indented with two spaces when `pretty`. `scriptSafe` (the default) also
    /// escapes `<`, `>`, `&`, U+2028 and U+2029, so the JSON can sit inside an HTML `<script>`;
    /// JSON shown as text on a page (which the page escapes itself) leaves them as written.
    public func serialized(pretty: Bool = false, scriptSafe: Bool = true) -> String {
        var out = ""
        write(to: &out, pretty: pretty, indent: 0, scriptSafe: scriptSafe)
        return out
    }

    private func write(to out: inout String, pretty: Bool, indent: Int, scriptSafe: Bool) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .double(let value): out += Self.number(value)
        case .string(let value): Self.writeString(value, to: &out, scriptSafe: scriptSafe)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                Self.newline(&out, pretty: pretty, indent: indent + 1)
                item.write(to: &out, pretty: pretty, indent: indent + 1, scriptSafe: scriptSafe)
            }
            Self.newline(&out, pretty: pretty, indent: indent)
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += "," }
                Self.newline(&out, pretty: pretty, indent: indent + 1)
                Self.writeString(key, to: &out, scriptSafe: scriptSafe)
                out += pretty ? ": " : ":"
                value.write(to: &out, pretty: pretty, indent: indent + 1, scriptSafe: scriptSafe)
            }
            Self.newline(&out, pretty: pretty, indent: indent)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, pretty: Bool, indent: Int) {
        guard pretty else { return }
        out += "\n" + String(repeating: "  ", count: indent)
    }

    private static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// Escapes quotes, backslashes, control characters, and `<`, `>`, `&` and
    /// U+2028/U+2029 so the JSON is also safe inside an HTML `<script>`.
    static func writeString(_ value: String, to out: inout String, scriptSafe: Bool = true) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<" where scriptSafe: out += "\\u003c"
            case ">" where scriptSafe: out += "\\u003e"
            case "&" where scriptSafe: out += "\\u0026"
            case "\u{2028}" where scriptSafe: out += "\\u2028"
            case "\u{2029}" where scriptSafe: out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
