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
        String(decoding: serializedBytes(pretty: pretty, scriptSafe: scriptSafe), as: UTF8.self)
    }

    /// `serialized` as UTF-8 bytes, written into one buffer (the site's API documents are written
    /// as bytes: appending to a `String` piece by piece cost three times as much).
    public func serializedBytes(pretty: Bool = false, scriptSafe: Bool = true, capacity: Int = 256) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(capacity)
        write(to: &out, pretty: pretty, indent: 0, scriptSafe: scriptSafe)
        return out
    }

    private func write(to out: inout [UInt8], pretty: Bool, indent: Int, scriptSafe: Bool) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): Self.writeInteger(value, to: &out)
        case .double(let value): out.append(contentsOf: Self.number(value).utf8)
        case .string(let value): Self.writeString(value, to: &out, scriptSafe: scriptSafe)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, pretty: pretty, indent: indent + 1)
                item.write(to: &out, pretty: pretty, indent: indent + 1, scriptSafe: scriptSafe)
            }
            Self.newline(&out, pretty: pretty, indent: indent)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, pretty: pretty, indent: indent + 1)
                Self.writeString(key, to: &out, scriptSafe: scriptSafe)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(UInt8(ascii: " ")) }
                value.write(to: &out, pretty: pretty, indent: indent + 1, scriptSafe: scriptSafe)
            }
            Self.newline(&out, pretty: pretty, indent: indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A line break and the indentation, copied from a line of spaces made once.
    private static func newline(_ out: inout [UInt8], pretty: Bool, indent: Int) {
        guard pretty else { return }
        out.append(UInt8(ascii: "\n"))
        var spaces = 2 * indent
        while spaces > 0 {
            let run = min(spaces, indentation.count)
            indentation.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<run])) }
            spaces -= run
        }
    }

    private static let indentation = [UInt8](repeating: UInt8(ascii: " "), count: 128)

    /// Decimal digits straight into the buffer (no String per number).
    private static func writeInteger(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 20 digits, written backwards
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }

    private static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// Escapes quotes, backslashes, control characters, and `<`, `>`, `&` and
    /// U+2028/U+2029 so the JSON is also safe inside an HTML `<script>`.
    static func writeString(_ value: String, to out: inout [UInt8], scriptSafe: Bool = true) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            // Runs that need no escape are copied whole; only the bytes that do are looked at twice.
            var run = 0
            var index = 0
            let count = bytes.count
            // Bytes below 0x40 that may need an escape, one bit each: controls and `"`, and for
            // a script also `&`, `<` and `>`; above, only `\\` and the lead byte of U+2028/2029.
            let below0x40: UInt64 = 0xFFFF_FFFF | 1 << 0x22 | (scriptSafe ? 1 << 0x26 | 1 << 0x3C | 1 << 0x3E : 0)
            while index < count {
                let byte = bytes[index]
                // Most bytes need no escape: a mask test, then on to the next.
                if byte < 0x40 ? below0x40 >> UInt64(byte) & 1 == 0 : byte != 0x5C && !(scriptSafe && byte == 0xE2) {
                    index += 1
                    continue
                }
                var escape: StaticString?
                var hexEscape: UInt8?
                var width = 1
                switch byte {
                case 0x22: escape = "\\\""
                case 0x5C: escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x3C: escape = "\\u003c"
                case 0x3E: escape = "\\u003e"
                case 0x26: escape = "\\u0026"
                case 0x00..<0x20: hexEscape = byte
                case 0xE2:
                    // U+2028 and U+2029 (E2 80 A8, E2 80 A9) end a line inside a script.
                    if index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                        escape = bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                        width = 3
                    }
                default: break
                }
                guard escape != nil || hexEscape != nil else {
                    index += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
                if let escape {
                    escape.withUTF8Buffer { out.append(contentsOf: $0) }
                } else if let hexEscape {
                    let digits: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(digits[Int(hexEscape >> 4)])
                    out.append(digits[Int(hexEscape & 0xF)])
                }
                index += width
                run = index
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<count]))
        }
        out.append(UInt8(ascii: "\""))
    }
}
