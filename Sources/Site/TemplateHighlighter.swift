import PromptTemplates

/// A template as HTML with each `{{variable}}` highlighted and linked to its row
/// in the variables table; the text is escaped, whitespace kept by `<pre>` styling.
enum TemplateHighlighter {
    /// `linked` says which paths have a row to link to; the others are highlighted without a link.
    static func html(_ template: Template, linked: (VariablePath) -> Bool = { _ in true }) -> String {
        var out = ""
        for segment in template.segments {
            switch segment {
            case .text(let text):
                out += HTML.escape(text)
            case .variable(let reference) where linked(reference.path):
                let anchor = anchor(reference.path)
                out += "<a class=\"var\" href=\"#\(anchor)\" title=\"\(HTML.escape(reference.path.description))\">\(HTML.escape(reference.source))</a>"
            case .variable(let reference):
                out += "<span class=\"var\" title=\"\(HTML.escape(reference.path.description))\">\(HTML.escape(reference.source))</span>"
            case .include(let reference):
                out += "<span class=\"include\" title=\"includes \(HTML.escape(reference.target))\">\(HTML.escape(reference.source))</span>"
            }
        }
        return out
    }

    /// The id of a variable's row: `var-npc-name` for `npc.name`.
    static func anchor(_ path: VariablePath) -> String {
        "var-" + path.components.joined(separator: "-").map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? String($0) : "_" }.joined()
    }
}

/// Links between Markdown docs (`style-guide.md`) point at the rendered pages (`style-guide.html`).
enum DocLinks {
    /// Links to other docs (`guide.md`, `../a/b.md#part`) lead to their pages, named as
    /// `SitePaths.doc` publishes them (`Getting%20started.md` → `Getting~20started.html`).
    static func rewrite(_ html: String) -> String {
        html.replacing(/href="([^"#:]+)\.md(#[^"]*)?"/) { match in
            "href=\"\(published(String(match.1))).html\(match.2 ?? "")\""
        }
    }

    private static func published(_ href: String) -> String {
        let parts = href.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        return parts.enumerated().map { index, part in
            if part.isEmpty || part == "." || part == ".." { return part }
            let name = part.replacingOccurrences(of: "&amp;", with: "&")
            return SitePaths.docSegment(name.removingPercentEncoding ?? name, isFolder: index < parts.count - 1)
        }.joined(separator: "/")
    }
}
