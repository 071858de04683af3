import Diagnostics
import Foundation

/// A Markdown page from `docs/**/*.md`.
public struct DocFile: Sendable {
    /// Content-relative path, e.g. `docs/style-guide.md`.
    public let path: String
    /// The first `# ` heading, else the file name.
    public let title: String
    public let markdown: String
}

enum DocsLoader {
    static let folder = "docs"

    /// Every `.md` file under `docs/`, recursively, in path order.
    static func load(_ tree: ContentTree) -> (docs: [DocFile], diagnostics: [Diagnostic]) {
        var docs: [DocFile] = []
        var diagnostics: [Diagnostic] = []
        var folders = [folder]
        while let folder = folders.popLast() {
            for entry in tree.entries(in: folder) {
                if entry.isDirectory {
                    folders.append(entry.path)
                    continue
                }
                guard entry.name.hasSuffix(".md") else { continue }
                if entry.name.utf8.count - 3 > PublishedName.longestSegment {
                    diagnostics.append(.warning("long-name", "the file name is \(entry.name.utf8.count) bytes, too long for its page; it is published as `\(PublishedName.segment(String(entry.name.dropLast(3)))).html`",
                                                at: SourceLocation(file: entry.path), hint: "use a file name of at most \(PublishedName.longestSegment) bytes"))
                }
                switch SourceFile.read(entry) {
                case .success(let text): docs.append(DocFile(path: entry.path, title: title(of: text, fallback: entry.name), markdown: text))
                case .failure(let diagnostic): diagnostics.append(diagnostic)
                }
            }
        }
        return (docs.sorted { $0.path < $1.path }, diagnostics)
    }

    static func title(of markdown: String, fallback: String) -> String {
        for line in markdown.split(separator: "\n", maxSplits: 50) where line.hasPrefix("# ") {
            return line.dropFirst(2).trimmingCharacters(in: .whitespaces)
        }
        return String(fallback.dropLast(3)).replacingOccurrences(of: "-", with: " ").capitalized
    }
}
