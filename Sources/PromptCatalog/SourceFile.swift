import Diagnostics
import Foundation

/// Reading content files as UTF-8 text, with a diagnostic for anything else.
enum SourceFile {
    static func read(_ url: URL, relativePath: String) -> Result<String, Diagnostic> {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            return .failure(.error("unreadable-file", "cannot read the file: \(error.localizedDescription)",
                                   at: SourceLocation(file: relativePath), hint: "check that the file exists and is readable"))
        }
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let line = firstInvalidLine(in: bytes)
            return .failure(.error("encoding", "the file is not valid UTF-8 text", at: SourceLocation(file: relativePath, line: line, column: nil),
                                   hint: "save the file as UTF-8"))
        }
        return .success(text)
    }

    /// The line of the first byte sequence that is not UTF-8.
    private static func firstInvalidLine(in bytes: Data.SubSequence) -> Int {
        var line = 1
        var start = bytes.startIndex
        for index in bytes.indices where bytes[index] == 0x0A {
            if String(validating: bytes[start..<index], as: UTF8.self) == nil { return line }
            line += 1
            start = index + 1
        }
        return line
    }
}

/// Walks the content tree: skips names starting with `.` or `_` and symlinks
/// that lead outside the content directory.
struct ContentTree {
    let root: URL

    /// Entries directly inside a content-relative folder, sorted by name.
    func entries(in relativeFolder: String) -> [ContentEntry] {
        let folder = relativeFolder.isEmpty ? root : root.appendingPathComponent(relativeFolder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.sorted().compactMap { name in
            guard !name.hasPrefix("."), !name.hasPrefix("_") else { return nil }
            let url = folder.appendingPathComponent(name)
            guard isInsideRoot(url) else { return nil }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return nil }
            let path = relativeFolder.isEmpty ? name : "\(relativeFolder)/\(name)"
            return ContentEntry(name: name, path: path, url: url, isDirectory: isDirectory.boolValue)
        }
    }

    /// Every `.json` file under a folder, recursively, in path order; other files get an
    /// `unexpected-file` warning (Markdown notes are allowed). `what` names the kind of file.
    func jsonFiles(under folder: String, what: String) -> (entries: [ContentEntry], diagnostics: [Diagnostic]) {
        files(under: folder, suffixes: [".json"], what: what)
    }

    /// Every file under a folder whose name ends with one of `suffixes`, recursively, in path
    /// order; other files get an `unexpected-file` warning (Markdown notes are allowed).
    func files(under folder: String, suffixes: [String], what: String) -> (entries: [ContentEntry], diagnostics: [Diagnostic]) {
        var entries: [ContentEntry] = []
        var diagnostics: [Diagnostic] = []
        var folders = [folder]
        let names = suffixes.map { "`\($0)`" }.joined(separator: ", ")
        while let current = folders.popLast() {
            for entry in self.entries(in: current) {
                if entry.isDirectory {
                    folders.append(entry.path)
                } else if suffixes.contains(where: entry.name.hasSuffix) {
                    entries.append(entry)
                } else if !entry.name.hasSuffix(".md") {
                    diagnostics.append(.warning("unexpected-file", "`\(entry.name)` is not a \(names) \(what) file and is ignored",
                                                at: SourceLocation(file: entry.path), hint: "\(what)s are read from `\(folder)/**/*\(suffixes[0])`"))
                }
            }
        }
        return (entries.sorted { $0.path < $1.path }, diagnostics)
    }

    /// Whether the entry, with symlinks resolved, stays inside the content directory.
    private func isInsideRoot(_ url: URL) -> Bool {
        let resolvedRoot = root.resolvingSymlinksInPath().standardizedFileURL.path
        let resolved = url.resolvingSymlinksInPath().standardizedFileURL.path
        return resolved == resolvedRoot || resolved.hasPrefix(resolvedRoot.hasSuffix("/") ? resolvedRoot : resolvedRoot + "/")
    }
}

struct ContentEntry {
    let name: String
    /// Relative to the content directory, `/`-separated.
    let path: String
    let url: URL
    let isDirectory: Bool
}
