import Markdown
import PromptCatalog
import PromptTemplates

/// A template as HTML with each `{{variable}}` highlighted and linked to its row
/// in the variables table; the text is escaped, whitespace kept by `<pre>` styling.
enum TemplateHighlighter {
    /// `linked` says which paths have a row to link to; the others are highlighted without a link.
    /// The text between references is the template's source as written (`\{{` keeps its backslash,
    /// a broken `{{` stays as it is), found from the references' positions.
    static func html(_ template: Template, linked: (VariablePath) -> Bool = { _ in true }) -> String {
        // Walked over UTF-8 bytes: a position's column counts scalars, so a column moves on at each
        // byte that starts a scalar (not a continuation byte).
        var source = template.source
        return source.withUTF8 { bytes in
            var out = ""
            var offset = 0, line = 1, column = 1
            for segment in template.segments {
                let position: TemplatePosition, written: String
                switch segment {
                case .text: continue
                case .variable(let reference): (position, written) = (reference.position, reference.source)
                case .include(let reference): (position, written) = (reference.position, reference.source)
                }
                let start = offset
                while (line, column) < (position.line, position.column), offset < bytes.count {
                    let byte = bytes[offset]
                    offset += 1
                    while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
                    if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
                }
                out += HTML.escape(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self))
                let length = written.utf8.count
                guard offset + length <= bytes.count, written.utf8.elementsEqual(bytes[offset..<offset + length]) else {
                    return parsedHTML(template, linked: linked)
                }
                offset += length
                column += written.unicodeScalars.count
                out += markup(segment, linked: linked)
            }
            return out + HTML.escape(String(decoding: UnsafeBufferPointer(rebasing: bytes[offset...]), as: UTF8.self))
        }
    }

    /// From the parsed segments alone (a composed template, whose source is not one text).
    private static func parsedHTML(_ template: Template, linked: (VariablePath) -> Bool) -> String {
        template.segments.map { segment in
            if case .text(let text) = segment { return HTML.escape(text) }
            return markup(segment, linked: linked)
        }.joined()
    }

    private static func markup(_ segment: TemplateSegment, linked: (VariablePath) -> Bool) -> String {
        switch segment {
        case .text(let text):
            return HTML.escape(text)
        case .variable(let reference) where linked(reference.path):
            return "<a class=\"var\" href=\"#\(anchor(reference.path))\" title=\"\(HTML.escape(reference.path.description))\">\(HTML.escape(reference.source))</a>"
        case .variable(let reference):
            return "<span class=\"var\" title=\"\(HTML.escape(reference.path.description))\">\(HTML.escape(reference.source))</span>"
        case .include(let reference):
            return "<span class=\"include\" title=\"includes \(HTML.escape(reference.target))\">\(HTML.escape(reference.source))</span>"
        }
    }

    /// The id of a variable's row: `var-npc-name` for `npc.name`. Distinct paths get distinct ids
    /// (`a.b` and `a-b`, `x<y` and `x_y` shared one): letters, digits and `_` stay, the dots
    /// between components become `-`, and any other character is written `~` and its UTF-8 bytes
    /// in hex (`a-b` → `var-a~2Db`).
    static func anchor(_ path: VariablePath) -> String {
        var out = "var-"
        for (index, component) in path.components.enumerated() {
            if index > 0 { out += "-" }
            for character in component {
                if character == "_" || ((character.isLetter || character.isNumber) && character != "~") {
                    out.append(character)
                } else {
                    for byte in String(character).utf8 { out += "~" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2) }
                }
            }
        }
        return out
    }
}

/// Links between Markdown docs (`style-guide.md`) point at the rendered pages (`style-guide.html`).
enum DocLinks {
    /// Headings get the ids GitHub gives them (`Markdown.addingHeadingIDs`).
    static func headingAnchors(_ html: String) -> String { Markdown.addingHeadingIDs(html) }

    /// Links to other docs (`guide.md`, `../a/b.md#part`, `a.md?v=1`) lead to their pages, named as
    /// `SitePaths.doc` publishes them (`Getting%20started.md` → `Getting~20started.html`,
    /// `it's.md` → `it~27s.html`). Links with a scheme (`https:`, `mailto:`) are left alone.
    static func rewrite(_ html: String) -> String {
        html.replacing(/(href|src)="([^"]*)"/) { match in
            guard let target = docTarget(String(match.2)) else { return String(match.0) }
            return "\(match.1)=\"\(HTML.escape(target))\""
        }
    }

    /// Where a link to a `.md` file or to an image beside the docs leads, named as the site
    /// publishes them (`my img.png` is published `my~20img.png`), or nil for any other link.
    static func docTarget(_ attribute: String) -> String? {
        let href = Markdown.attributeText(attribute)
        let end = href.firstIndex { $0 == "?" || $0 == "#" } ?? href.endIndex
        let path = href[..<end], rest = href[end...]
        let isImage = DocImage.suffixes.contains { path.lowercased().hasSuffix($0) }
        guard path.hasSuffix(".md") || isImage else { return nil }
        // A scheme: letters, digits, `+`, `-`, `.` before the first `:`, which comes before any `/`.
        if let colon = path.firstIndex(of: ":"), !path[..<colon].contains("/"), path.first?.isLetter == true,
           path[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) { return nil }
        if isImage { return published(String(path)) + rest }
        return published(String(path.dropLast(3))) + ".html" + rest
    }

    private static func published(_ href: String) -> String {
        let parts = href.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        return parts.enumerated().map { index, part in
            if part.isEmpty || part == "." || part == ".." { return part }
            return SitePaths.docSegment(part.removingPercentEncoding ?? part, isFolder: index < parts.count - 1)
        }.joined(separator: "/")
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
