import Diagnostics
import Foundation

/// Reading content files as UTF-8 text, with a diagnostic for anything else.
enum SourceFile {
    /// A content entry's text: from memory for an in-memory tree, else from its file.
    static func read(_ entry: ContentEntry, relativePath: String? = nil) -> Result<String, Diagnostic> {
        guard let data = entry.data else { return read(entry.url, relativePath: relativePath ?? entry.path) }
        return decode(data, relativePath: relativePath ?? entry.path)
    }

    static func read(_ url: URL, relativePath: String) -> Result<String, Diagnostic> {
        let data: Data
        // A FIFO or a device would block the read or never end: only regular files are read.
        var info = stat()
        if stat(url.path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            let kind = info.st_mode & S_IFMT == S_IFIFO ? "a FIFO" : info.st_mode & S_IFMT == S_IFDIR ? "a folder" : "a device or socket"
            return .failure(.error("unreadable-file", "cannot read the file: it is \(kind), not a regular file",
                                   at: SourceLocation(file: relativePath), hint: "replace it with a regular text file"))
        }
        do {
            data = try Data(contentsOf: url)
        } catch {
            let reason = access(url.path, R_OK) != 0 ? String(cString: strerror(errno)) : "the file could not be read"
            return .failure(.error("unreadable-file", "cannot read the file: \(reason)",
                                   at: SourceLocation(file: relativePath), hint: "check that the file exists and is readable"))
        }
        return decode(data, relativePath: relativePath)
    }

    /// UTF-8 text without a byte-order mark, or an `encoding` diagnostic at the first bad line.
    static func decode(_ data: Data, relativePath: String) -> Result<String, Diagnostic> {
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

/// Walks the content tree: skips names starting with `.` or `_`, symlinks that lead outside
/// the content directory, and every symlink to a folder (it would be walked twice: a link to a
/// folder of the tree repeats it, a link to an ancestor loops forever). `skippedLinks` says so,
/// once per link.
struct ContentTree {
    let root: URL
    /// An in-memory tree (content-relative path → bytes) instead of the folder: rule tests load
    /// catalogs without touching the disk.
    var memory: [String: Data]? = nil

    /// Entries directly inside a content-relative folder, sorted by name.
    func entries(in relativeFolder: String) -> [ContentEntry] {
        if let memory { return Self.entries(in: relativeFolder, of: memory, root: root) }
        let folder = relativeFolder.isEmpty ? root : root.appendingPathComponent(relativeFolder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.sorted().compactMap { name in
            guard !name.hasPrefix("."), !name.hasPrefix("_") else { return nil }
            let url = folder.appendingPathComponent(name)
            guard isInsideRoot(url) else { return nil }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return nil }
            if isDirectory.boolValue, Self.isSymbolicLink(url) { return nil }
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

    /// One warning per symbolic link the walk does not follow: links to folders, and links
    /// that lead outside the content directory. One extra pass over the folders, no link followed.
    func skippedLinks() -> [Diagnostic] {
        guard memory == nil else { return [] }
        var diagnostics: [Diagnostic] = []
        var folders = [""]
        let manager = FileManager.default
        while let current = folders.popLast() {
            let folder = current.isEmpty ? root : root.appendingPathComponent(current)
            guard let names = try? manager.contentsOfDirectory(atPath: folder.path) else { continue }
            for name in names.sorted() where !name.hasPrefix(".") && !name.hasPrefix("_") {
                let url = folder.appendingPathComponent(name)
                let path = current.isEmpty ? name : "\(current)/\(name)"
                guard Self.isSymbolicLink(url) else {
                    var isDirectory: ObjCBool = false
                    if manager.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue { folders.append(path) }
                    continue
                }
                var isDirectory: ObjCBool = false
                let exists = manager.fileExists(atPath: url.path, isDirectory: &isDirectory)
                if !isInsideRoot(url) {
                    diagnostics.append(.warning("symlink-skipped", "`\(path)` is a symbolic link that leads outside the content folder; it is not read",
                                                at: SourceLocation(file: path), hint: "copy the file into the content folder"))
                } else if exists, isDirectory.boolValue {
                    diagnostics.append(.warning("symlink-skipped", "`\(path)` is a symbolic link to a folder; it is not followed, so nothing is read twice or in a loop",
                                                at: SourceLocation(file: path), hint: "move the folder here instead of linking it"))
                }
            }
        }
        return diagnostics.sorted { ($0.location?.file ?? "") < ($1.location?.file ?? "") }
    }

    /// The files and folders directly inside `folder` of an in-memory tree, by name, with the same
    /// rules as on disk (names starting with `.` or `_` are skipped).
    static func entries(in folder: String, of memory: [String: Data], root: URL) -> [ContentEntry] {
        let prefix = folder.isEmpty ? "" : folder + "/"
        var found: [String: ContentEntry] = [:]
        for (path, data) in memory where path.hasPrefix(prefix) {
            let rest = path.dropFirst(prefix.count)
            guard let first = rest.split(separator: "/", omittingEmptySubsequences: false).first, !first.isEmpty else { continue }
            let name = String(first)
            guard !name.hasPrefix("."), !name.hasPrefix("_"), found[name] == nil || found[name]!.isDirectory else { continue }
            let isDirectory = rest.count > name.count
            found[name] = ContentEntry(name: name, path: prefix + name, url: root.appendingPathComponent(prefix + name), isDirectory: isDirectory,
                                       data: isDirectory ? nil : data)
        }
        return found.keys.sorted().map { found[$0]! }
    }

    static func isSymbolicLink(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
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
    /// The file's bytes, for an entry of an in-memory tree.
    var data: Data? = nil
}
