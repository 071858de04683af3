/// Escaping for text the build itself puts into HTML (SVG, diff markup).
/// Mustache escapes template values on its own; this is for markup made in Swift.
public enum HTML {
    /// Escapes `& < > " '` so text is inert in element content and quoted attributes. Works on
    /// UTF-8 bytes (the five are ASCII, never part of another character's bytes); text with
    /// none of them is returned as it is.
    public static func escape(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: needsEscaping) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 16)
        out.append(contentsOf: utf8[..<first])
        for byte in utf8[first...] {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func needsEscaping(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }

    /// A URL safe to put in `href`: `javascript:`, `vbscript:` and `data:` schemes become `#`.
    public static func safeURL(_ url: String) -> String {
        let scheme = url.prefix { $0 != ":" && $0 != "/" && $0 != "?" && $0 != "#" }
            .filter { !$0.isWhitespace && !$0.isASCIIControl }.lowercased()
        if url.contains(":"), ["javascript", "vbscript", "data"].contains(scheme) { return "#" }
        return url
    }
}

extension Character {
    var isASCIIControl: Bool { asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false }
}
