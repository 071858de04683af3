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

/// An image beside the docs (`docs/img/flow.png`), published at its place so the pages that show
/// it find it.
public struct DocImage: Sendable {
    /// The file names of the images published beside the docs. SVG is not among them: opened as a
    /// page of the site, an SVG file runs the scripts it holds.
    public static let suffixes = [".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"]
    /// Content-relative path, e.g. `docs/img/flow.png`.
    public let path: String
    public let data: Data
}

enum DocsLoader {
    static let folder = "docs"


    /// Every `.md` file under `docs/`, recursively, in path order, and the images beside them.
    static func load(_ tree: ContentTree) -> (docs: [DocFile], images: [DocImage], diagnostics: [Diagnostic]) {
        var docs: [DocFile] = []
        var images: [DocImage] = []
        var diagnostics: [Diagnostic] = []
        var folders = [folder]
        while let folder = folders.popLast() {
            for entry in tree.entries(in: folder) {
                if entry.isDirectory {
                    folders.append(entry.path)
                    continue
                }
                let lowercased = entry.name.lowercased()
                if DocImage.suffixes.contains(where: lowercased.hasSuffix) {
                    switch SourceFile.readData(entry) {
                    case .success(let data): images.append(DocImage(path: entry.path, data: data))
                    case .failure(let diagnostic): diagnostics.append(diagnostic)
                    }
                    continue
                }
                guard entry.name.hasSuffix(".md") else {
                    diagnostics.append(.warning("unexpected-file", "`\(entry.name)` is not published: the docs are `.md` pages and the images beside them (\(DocImage.suffixes.joined(separator: ", ")))",
                                                at: SourceLocation(file: entry.path),
                                                hint: lowercased.hasSuffix(".svg") ? "an SVG file can carry scripts: export the picture as PNG" : "link to it from elsewhere, or remove it from docs/"))
                    continue
                }
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
        return (docs.sorted { $0.path < $1.path }, images.sorted { $0.path < $1.path }, diagnostics)
    }

    static func title(of markdown: String, fallback: String) -> String {
        for line in markdown.split(separator: "\n", maxSplits: 50) where line.hasPrefix("# ") {
            return line.dropFirst(2).trimmingCharacters(in: .whitespaces)
        }
        return String(fallback.dropLast(3)).replacingOccurrences(of: "-", with: " ").capitalized
    }
}
