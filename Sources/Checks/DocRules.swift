import Diagnostics
import Foundation
import Markdown
import PromptCatalog

/// `doc-broken-link`: a link in a doc to a doc, a heading or an image the site does not publish
/// (`setpu.md`, `setup.md#instal`, `img/missing.png`): the build knows every doc, every heading id
/// (as the doc pages give them) and every image beside the docs.
enum DocRules {
    static func check(_ context: CheckContext) -> [Diagnostic] {
        let catalog = context.catalog
        guard !catalog.docs.isEmpty else { return [] }
        let html = context.project.docHTML
        let headings = html.mapValues { Markdown.anchorIDs($0) }
        let images = Set(catalog.docImages.map(\.path))
        var diagnostics: [Diagnostic] = []
        for doc in catalog.docs {
            let folder = (doc.path as NSString).deletingLastPathComponent
            var reported = Set<String>()
            let lines = doc.markdown.split(separator: "\n", omittingEmptySubsequences: false)
            var located = 0
            for value in Markdown.attributeValues(named: ["href", "src"], in: html[doc.path, default: ""]) {
                let target = Markdown.attributeText(value)
                guard !target.isEmpty, reported.insert(target).inserted, let problem = problem(with: target, in: folder, doc: doc.path,
                                                                                           headings: headings, images: images) else { continue }
                // The first ones are located and listed; the rest are counted (a search of the doc per
                // broken link made 10,000 of them take 114 s).
                located += 1
                guard located < Diagnostic.listedPerFileAndCode else { continue }
                diagnostics.append(.warning("doc-broken-link", "`\(target)` \(problem)", at: location(of: target, in: doc, lines: lines),
                                            hint: "link to a doc under docs/ (`guide.md`, `guide.md#a-heading`), a heading of this one (`#a-heading`) or an image beside the docs"))
            }
            let more = located - (Diagnostic.listedPerFileAndCode - 1)
            if more > 0 {
                diagnostics.append(.warning("doc-broken-link", "\(more) more broken link\(more == 1 ? "" : "s") in this doc, not listed", at: SourceLocation(file: doc.path),
                                            hint: "fix the ones listed, then check again"))
            }
        }
        return diagnostics
    }

    /// Why `target` leads nowhere the site publishes, or nil (an address with a scheme is not checked).
    private static func problem(with target: String, in folder: String, doc: String, headings: [String: Set<String>], images: Set<String>) -> String? {
        let end = target.firstIndex { $0 == "?" || $0 == "#" } ?? target.endIndex
        let path = String(target[..<end])
        let fragment = target.firstIndex(of: "#").map { String(target[target.index(after: $0)...]) }
        if let colon = path.firstIndex(of: ":"), !path[..<colon].contains("/") { return nil }
        if path.hasPrefix("/") { return nil }
        guard !path.isEmpty else {
            guard let fragment, !fragment.isEmpty, !(headings[doc]?.contains(fragment.removingPercentEncoding ?? fragment) ?? true) else { return nil }
            return "names no heading of this doc"
        }
        // Other pages of the site (`../plugins/index.html`) are not checked here: only docs and images.
        let isDoc = path.hasSuffix(".md"), isImage = DocImage.suffixes.contains { path.lowercased().hasSuffix($0) }
        guard isDoc || isImage else { return nil }
        guard let resolved = resolve(path.removingPercentEncoding ?? path, in: folder) else { return "leads out of the docs folder" }
        if isDoc {
            guard let ids = headings[resolved] else { return "names no doc: there is no \(resolved)" }
            if let fragment, !fragment.isEmpty, !ids.contains(fragment.removingPercentEncoding ?? fragment) { return "names no heading of \(resolved)" }
            return nil
        }
        return images.contains(resolved) ? nil : "names no image beside the docs: there is no \(resolved)"
    }

    /// A relative path from a doc's folder, as a content path (`docs/a/../b.md` → `docs/b.md`); nil
    /// when it leaves `docs/`.
    private static func resolve(_ path: String, in folder: String) -> String? {
        var parts = folder.split(separator: "/").map(String.init)
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard parts.count > 1 else { return nil }
                parts.removeLast()
            } else {
                parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }

    /// Where the link is written: the first `(target)`, `(target "title")` or `<target>` (else the
    /// first place the target is written at all).
    private static func location(of target: String, in doc: DocFile, lines: [Substring]) -> SourceLocation {
        for pattern in ["(\(target))", "(\(target) ", "<\(target)>", target] {
            for (index, line) in lines.enumerated() {
                guard let range = line.range(of: pattern) else { continue }
                let start = pattern == target ? range.lowerBound : line.index(after: range.lowerBound)
                return SourceLocation(file: doc.path, line: index + 1, column: line.unicodeScalars.distance(from: line.unicodeScalars.startIndex, to: start) + 1)
            }
        }
        return SourceLocation(file: doc.path)
    }
}
