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
        out += "\n"
        for _ in 0..<indent { out += "  " }
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
        // Most strings need no escape at all: one pass over their bytes, then copied whole.
        let plain = value.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy { byte in
                byte >= 0x20 && byte != 0x22 && byte != 0x5C && (!scriptSafe || (byte != 0x3C && byte != 0x3E && byte != 0x26 && byte != 0xE2))
            }
        }
        if plain == true {
            out += value
            out += "\""
            return
        }
        // Runs that need no escape are copied whole; only the bytes that do are looked at twice.
        let utf8 = value.utf8
        var run = utf8.startIndex
        var index = run
        while index != utf8.endIndex {
            let byte = utf8[index]
            var escape: String?
            var width = 1
            switch byte {
            case 0x22: escape = "\\\""
            case 0x5C: escape = "\\\\"
            case 0x0A: escape = "\\n"
            case 0x0D: escape = "\\r"
            case 0x09: escape = "\\t"
            case 0x3C where scriptSafe: escape = "\\u003c"
            case 0x3E where scriptSafe: escape = "\\u003e"
            case 0x26 where scriptSafe: escape = "\\u0026"
            case 0x00..<0x20:
                let hex = String(byte, radix: 16)
                escape = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            case 0xE2 where scriptSafe:
                // U+2028 and U+2029 (E2 80 A8, E2 80 A9) end a line inside a script.
                let second = utf8.index(after: index)
                if second != utf8.endIndex, utf8[second] == 0x80 {
                    let third = utf8.index(after: second)
                    if third != utf8.endIndex, utf8[third] == 0xA8 || utf8[third] == 0xA9 {
                        escape = utf8[third] == 0xA8 ? "\\u2028" : "\\u2029"
                        width = 3
                    }
                }
            default: break
            }
            if let escape {
                out += value[run..<index]
                out += escape
                index = utf8.index(index, offsetBy: width)
                run = index
            } else {
                index = utf8.index(after: index)
            }
        }
        out += value[run..<utf8.endIndex]
        out += "\""
    }
}
