/// Escaping for text the build itself puts into HTML (SVG, diff markup).
/// Mustache escapes template values on its own; this is for markup made in Swift.
public enum HTML {
    /// Escapes `& < > " '` so text is inert in element content and quoted attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
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
