import CCmarkGFM
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// GitHub Flavored Markdown to HTML through cmark-gfm, with the table, strikethrough,
/// autolink, tasklist and tagfilter extensions. Raw HTML is dropped unless `unsafeHTML`;
/// `javascript:`, `vbscript:`, `file:` and most `data:` links are blanked either way.
public enum Markdown {
    /// cmark-gfm's extension registry and block parser share global state: concurrent
    /// parses abort inside cmark (seen as `finalize: Assertion ... CMARK_NODE__OPEN`),
    /// so documents are rendered one at a time; the site renders them in parallel otherwise.
    private static let lock = NSLock()

    public static let extensionNames = ["table", "strikethrough", "autolink", "tasklist", "tagfilter"]

    /// cmark-gfm's table extension takes time quadratic in the cells of a row: a 200 KB row of
    /// pipes ran for minutes. A text with a line of more pipes than this is rendered without it
    /// (its "table" shows as the text it is).
    public static let mostTableCells = 500
    /// cmark-gfm keeps every cell of every table as a node: 499 columns × 8,000 rows (8 MB) took
    /// 1.9 GB. A text with more pipes than this in all is rendered without the table extension.
    public static let mostTableCellsInAll = 500_000

    /// cmark-gfm takes time quadratic in the containers open on a line when a later line is full
    /// of `[`: 60,000 nested list markers (180 KB) ran past 20 s. No document nests that deep on
    /// purpose; one with a line opening more containers than this is shown as its text.
    public static let deepestNesting = 100

    public static func html(_ markdown: String, unsafeHTML: Bool = false) -> String {
        // Inside a fence cmark reads no containers: the fenced text is rendered without the check.
        if hasLineNestedDeeperThan(deepestNesting, in: markdown) { return rendered(fenced(markdown), unsafeHTML: false) }
        return rendered(markdown, unsafeHTML: unsafeHTML)
    }

    private static func rendered(_ markdown: String, unsafeHTML: Bool) -> String {
        lock.lock()
        defer { lock.unlock() }
        cmark_gfm_core_extensions_ensure_registered()
        var options = CMARK_OPT_DEFAULT | CMARK_OPT_GITHUB_PRE_LANG | CMARK_OPT_FOOTNOTES
        options |= unsafeHTML ? CMARK_OPT_UNSAFE : 0
        guard let parser = cmark_parser_new(options) else { return "" }
        defer { cmark_parser_free(parser) }
        let tables = !hasLineWithMorePipes(than: mostTableCells, orInAll: mostTableCellsInAll, in: markdown)
        for name in extensionNames where tables || name != "table" {
            if let syntaxExtension = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, syntaxExtension)
            }
        }
        markdown.withCString { pointer in
            cmark_parser_feed(parser, pointer, markdown.utf8.count)
        }
        guard let document = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        // Unsafe mode keeps raw HTML, and cmark then stops blanking dangerous links too: they are
        // blanked here, as safe mode blanks them.
        if unsafeHTML { blankDangerousLinks(in: document) }
        guard let rendered = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }

    private static func blankDangerousLinks(in document: OpaquePointer) {
        guard let iterator = cmark_iter_new(document) else { return }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            guard type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE, let url = cmark_node_get_url(node) else { continue }
            if isDangerous(url: String(cString: url)) { cmark_node_set_url(node, "") }
        }
    }

    /// `javascript:`, `vbscript:`, `file:` and `data:` other than a PNG, GIF, JPEG or WebP image, as
    /// cmark's safe mode judges them, after what browsers ignore in a scheme (case, controls, spaces).
    static func isDangerous(url: String) -> Bool {
        let scheme = String(String.UnicodeScalarView(url.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }.prefix(16))).lowercased()
        if scheme.hasPrefix("javascript:") || scheme.hasPrefix("vbscript:") || scheme.hasPrefix("file:") { return true }
        guard scheme.hasPrefix("data:") else { return false }
        return !["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"].contains { scheme.hasPrefix($0) }
    }

    /// Whether a line starts with more than `limit` container markers (`- `, `* `, `+ `, `> `,
    /// `1. `, `1) `), spaces between them allowed.
    static func hasLineNestedDeeperThan(_ limit: Int, in text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var index = 0
            let count = bytes.count
            while index < count {
                var depth = 0
                while true {
                    while index < count, bytes[index] == UInt8(ascii: " ") { index += 1 }
                    guard index < count else { break }
                    var marker = index
                    switch bytes[index] {
                    case UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ">"): marker += 1
                    case UInt8(ascii: "0")...UInt8(ascii: "9"):
                        var end = index
                        while end < count, end - index < 9, bytes[end] >= UInt8(ascii: "0"), bytes[end] <= UInt8(ascii: "9") { end += 1 }
                        if end < count, bytes[end] == UInt8(ascii: ".") || bytes[end] == UInt8(ascii: ")") { marker = end + 1 }
                    default: break
                    }
                    guard marker > index, marker == count || bytes[marker] == UInt8(ascii: " ") || bytes[marker] == UInt8(ascii: ">") || bytes[marker - 1] == UInt8(ascii: ">") else { break }
                    depth += 1
                    if depth > limit { return true }
                    index = marker
                }
                while index < count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                index += 1
            }
            return false
        }
    }

    /// The text as one fenced code block (cmark escapes it, and reads nothing inside it as
    /// Markdown): the fence is longer than any run of backticks in the text.
    static func fenced(_ text: String) -> String {
        var longest = 0, run = 0
        for byte in text.utf8 {
            run = byte == UInt8(ascii: "`") ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + "\n" + text + (text.hasSuffix("\n") ? "" : "\n") + fence + "\n"
    }

    /// Whether a line holds more than `limit` pipes, or the whole text more than `total`.
    static func hasLineWithMorePipes(than limit: Int, orInAll total: Int = .max, in text: String) -> Bool {
        var pipes = 0, all = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "|") {
                pipes += 1
                all += 1
                if pipes > limit || all > total { return true }
            } else if byte == UInt8(ascii: "\n") {
                pipes = 0
            }
        }
        return false
    }
}

// MARK: Heading ids and links

extension Markdown {
    /// An attribute's text as cmark escapes it (`&amp;`, `&quot;`, `&lt;`, `&gt;`, `&#x27;`, `&#39;`), unescaped.
    public static func attributeText(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#x27;", with: "'")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Headings get the ids GitHub gives them, so `[see](#getting-started)` and links from other
    /// docs to `guide.md#getting-started` arrive: the heading's text lowercased, punctuation
    /// dropped, spaces as `-`, and `-1`, `-2` … on repeats. Headings written as HTML with
    /// attributes (with `unsafeHTML`) are left as they are.
    public static func addingHeadingIDs(_ html: String) -> String {
        var seen: [String: Int] = [:]
        return html.replacing(/<h([1-6])>(.*?)<\/h\1>/.dotMatchesNewlines()) { match in
            guard let id = headingID(String(match.2), seen: &seen) else { return String(match.0) }
            return "<h\(match.1) id=\"\(escapedAttribute(id))\">\(match.2)</h\(match.1)>"
        }
    }

    /// Every fragment a link into the page can name: the headings' ids (as `headingIDs`) and the
    /// `id` attributes written in the HTML (cmark-gfm's footnotes, `fn-1` and `fnref-1`; raw HTML
    /// anchors with `unsafeHTML`).
    public static func anchorIDs(_ html: String) -> Set<String> {
        var ids = Set(headingIDs(html))
        for value in attributeValues(named: ["id"], in: html) { ids.insert(attributeText(value)) }
        return ids
    }

    /// The values of every ` name="…"` attribute in `html` whose name is one of `names`, in the
    /// order they are written: one pass over the bytes (a regular expression took seconds over a
    /// doc of 100,000 footnotes).
    public static func attributeValues(named names: Set<String>, in html: String) -> [String] {
        let wanted = Set(names.map { Array($0.utf8) })
        var values: [String] = []
        var html = html
        html.withUTF8 { bytes in
            var index = 1
            while index + 1 < bytes.count {
                // `="` ends an attribute's name: the letters back to the space before it.
                guard bytes[index] == UInt8(ascii: "="), bytes[index + 1] == UInt8(ascii: "\"") else { index += 1; continue }
                var nameStart = index
                while nameStart > 0, (bytes[nameStart - 1] | 0x20) >= UInt8(ascii: "a"), (bytes[nameStart - 1] | 0x20) <= UInt8(ascii: "z") { nameStart -= 1 }
                let start = index + 2
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
                if nameStart > 0, bytes[nameStart - 1] == UInt8(ascii: " "), wanted.contains(Array(bytes[nameStart..<index])) {
                    values.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                }
                index = end + 1
            }
        }
        return values
    }

    /// The ids `addingHeadingIDs` gives the headings of `html`, in order.
    public static func headingIDs(_ html: String) -> [String] {
        var seen: [String: Int] = [:]
        return html.matches(of: /<h([1-6])>(.*?)<\/h\1>/.dotMatchesNewlines()).compactMap { headingID(String($0.2), seen: &seen) }
    }

    private static func headingID(_ inner: String, seen: inout [String: Int]) -> String? {
        let text = inner.replacing(/<[^>]*>/, with: "")
            .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
        var slug = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "-" || character == "_" {
                slug.append(character)
            } else if character == " " {
                slug.append("-")
            }
        }
        guard !slug.isEmpty else { return nil }
        let repeats = seen[slug, default: 0]
        seen[slug] = repeats + 1
        return repeats == 0 ? slug : "\(slug)-\(repeats)"
    }

    private static func escapedAttribute(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
