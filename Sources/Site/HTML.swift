import PageTemplates

/// Escaping for text the build itself puts into HTML (SVG, diff markup).
/// Mustache escapes template values on its own; this is for markup made in Swift.
public enum HTML {
    /// Escapes `& < > " '` so text is inert in element content and quoted attributes: every
    /// such byte, also one a mark joins into a Character with another scalar.
    public static func escape(_ text: String) -> String {
        var copy = text
        guard copy.withUTF8({ $0.contains(where: HTMLEscaping.isEscaped) }) else { return text }
        var buffer = HTMLBuffer(capacity: text.utf8.count + 32)
        buffer.append(escaping: text)
        return buffer.string
    }

    /// A URL safe to put in `href`: `javascript:`, `vbscript:` and `data:` schemes become `#`.
    public static func safeURL(_ url: String) -> String {
        // Without a colon (any `:` byte) there is no scheme: most links are relative.
        guard url.utf8.contains(UInt8(ascii: ":")) else { return url }
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
        HTMLEscaping.append(escaping: text, to: &bytes)
    }
}

extension Character {
    var isASCIIControl: Bool { asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false }
}
