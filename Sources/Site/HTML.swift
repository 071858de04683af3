/// Escaping for text the build itself puts into HTML (SVG, diff markup).
/// Mustache escapes template values on its own; this is for markup made in Swift.
public enum HTML {
    /// Escapes `& < > " '` so text is inert in element content and quoted attributes: every
    /// such byte, also one a mark joins into a Character with another scalar.
    public static func escape(_ text: String) -> String {
        var copy = text
        guard copy.withUTF8({ $0.contains(where: isEscaped) }) else { return text }
        var buffer = HTMLBuffer(capacity: text.utf8.count + 32)
        buffer.append(escaping: text)
        return buffer.string
    }

    static func isEscaped(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): return true
        // Control characters (HTML parse errors) are written as their pictures (␛, ␇), as the terminal shows them.
        case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F: return true
        default: return false
        }
    }

    /// A URL safe to put in `href`: `javascript:`, `vbscript:` and `data:` schemes become `#`.
    public static func safeURL(_ url: String) -> String {
        let scheme = url.prefix { $0 != ":" && $0 != "/" && $0 != "?" && $0 != "#" }
            .filter { !$0.isWhitespace && !$0.isASCIIControl }.lowercased()
        if url.contains(":"), ["javascript", "vbscript", "data"].contains(scheme) { return "#" }
        return url
    }
}

/// Markup written as UTF-8 bytes into one buffer and made a String once: for markup built
/// from many small pieces, like the diff tables.
struct HTMLBuffer {
    private var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Markup the build wrote itself, as it is.
    mutating func append(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ number: Int) {
        bytes.append(contentsOf: String(number).utf8)
    }

    /// Text, escaped as `HTML.escape` escapes it.
    mutating func append(escaping text: String) {
        var copy = text
        copy.withUTF8 { utf8 in
            // By bytes, not Characters: `<` joined to a mark (`<` + U+0301, U+0600 + `<`) is
            // a Character that is not `<`, but a browser still reads the `<`.
            var start = 0
            for index in utf8.indices where HTML.isEscaped(utf8[index]) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                let byte = utf8[index]
                if byte < 0x20 {
                    bytes.append(contentsOf: [0xE2, 0x90, 0x80 + byte])
                } else if byte == 0x7F {
                    bytes.append(contentsOf: [0xE2, 0x90, 0xA1])
                } else {
                    append(entity(byte))
                }
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
    }

    private func entity(_ byte: UInt8) -> StaticString {
        switch byte {
        case UInt8(ascii: "&"): return "&amp;"
        case UInt8(ascii: "<"): return "&lt;"
        case UInt8(ascii: ">"): return "&gt;"
        case UInt8(ascii: "\""): return "&quot;"
        default: return "&#39;"
        }
    }
}

extension Character {
    var isASCIIControl: Bool { asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false }
}
