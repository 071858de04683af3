import Foundation
import PromptCatalog

/// Writes a whole site into a hidden sibling folder and swaps it in at the end,
/// so a failed or killed build leaves the previous output as it was.
public enum OutputWriter {
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Refuses output folders that a build must never replace: `/`, the home folder, the project
    /// root, the content folder, or any folder that contains the content or the project.
    public static func validate(output: URL, content: URL, project: URL) throws {
        let out = canonical(output), contentPath = canonical(content), projectPath = canonical(project)
        let home = canonical(FileManager.default.homeDirectoryForCurrentUser)
        if out == "/" || out == home { throw Refusal(description: "refusing to write the site into \(out)") }
        if out == projectPath { throw Refusal(description: "refusing to write the site into the project folder \(out); use e.g. Output/") }
        if out == contentPath { throw Refusal(description: "refusing to write the site into the content folder \(out)") }
        if isInside(contentPath, out) || isInside(projectPath, out) {
            throw Refusal(description: "refusing to write the site into \(out), which contains the content or the project")
        }
        if isInside(out, contentPath) { throw Refusal(description: "refusing to write the site inside the content folder (\(out))") }
    }

    /// Writes `files` (site-relative path → bytes) to `output` atomically.
    public static func write(_ files: [String: Data], to output: URL) throws {
        try replace(output) { staging in
            let entries = files.sorted { $0.key < $1.key }
            try staging.makeFolders(for: entries.map(\.key))
            try staging.write(entries.map { entry in (path: entry.key, produce: { @Sendable in entry.value }) })
        }
    }

    /// Fills a hidden sibling of `output` through `fill`, then swaps it in; on any error the
    /// sibling is removed and `output` is left as it was.
    public static func replace(_ output: URL, fill: (StagingFolder) throws -> Void) throws {
        let manager = FileManager.default
        let parent = output.deletingLastPathComponent()
        try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        removeStaleSiblings(of: output)
        let token = UUID().uuidString.prefix(8)
        let staging = parent.appendingPathComponent(".\(output.lastPathComponent).tmp-\(token)")
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            try fill(StagingFolder(root: staging))
            try swap(staging, into: output)
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
    }

    /// open/write/close: a plain new file, with none of Data.write's extra system calls.
    static func writeFile(_ data: Data, to path: String) -> String? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { return "cannot create \(path): \(String(cString: strerror(errno)))" }
        defer { close(descriptor) }
        return data.withUnsafeBytes { buffer -> String? in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return "cannot write \(path): \(String(cString: strerror(errno)))"
                }
                offset += written
            }
            return nil
        }
    }

    /// One mkdir per folder, a level at a time so parents exist first, each level on all
    /// cores: on ext4 creating thousands of version folders one by one dominated the write.
    static func makeFolders(_ folders: Set<String>, in root: URL) throws {
        let levels = Dictionary(grouping: folders) { $0.split(separator: "/").count }
        for depth in levels.keys.sorted() {
            let level = levels[depth]!.sorted()
            let failures = parallelMap(level) { folder -> String? in
                if mkdir(root.appendingPathComponent(folder).path, 0o755) != 0, errno != EEXIST {
                    return "cannot create \(folder): \(String(cString: strerror(errno)))"
                }
                return nil
            }
            if let failure = failures.compactMap({ $0 }).first { throw Refusal(description: failure) }
        }
    }

    private static func swap(_ staging: URL, into output: URL) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: output.path) else {
            try manager.moveItem(at: staging, to: output)
            return
        }
        let retired = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).old-\(UUID().uuidString.prefix(8))")
        try manager.moveItem(at: output, to: retired)
        do {
            try manager.moveItem(at: staging, to: output)
        } catch {
            try? manager.moveItem(at: retired, to: output)
            throw error
        }
        try? manager.removeItem(at: retired)
    }

    /// Leftovers of killed builds: `.Output.tmp-*` and `.Output.old-*` beside the output.
    private static func removeStaleSiblings(of output: URL) {
        let parent = output.deletingLastPathComponent()
        let prefixes = [".\(output.lastPathComponent).tmp-", ".\(output.lastPathComponent).old-"]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where prefixes.contains(where: name.hasPrefix) {
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
        }
    }

    static func isSafeRelativePath(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }

    private static func canonical(_ url: URL) -> String {
        let path = url.standardizedFileURL.resolvingSymlinksInPath().path
        return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// Whether `inner` is strictly inside `outer`.
    private static func isInside(_ inner: String, _ outer: String) -> Bool {
        inner != outer && inner.hasPrefix(outer == "/" ? "/" : outer + "/")
    }
}

/// The folder a new site is written into before it is swapped in. Paths are site-relative
/// and checked: nothing can be written outside it.
public struct StagingFolder: Sendable {
    public let root: URL

    /// Creates every folder the paths need.
    public func makeFolders(for paths: [String]) throws {
        var folders = Set<String>()
        for path in paths {
            guard OutputWriter.isSafeRelativePath(path) else {
                throw OutputWriter.Refusal(description: "refusing to write outside the output folder: \(path)")
            }
            var folder = (path as NSString).deletingLastPathComponent
            while !folder.isEmpty, folders.insert(folder).inserted { folder = (folder as NSString).deletingLastPathComponent }
        }
        try OutputWriter.makeFolders(folders, in: root)
    }

    /// Writes one file whose folder exists.
    public func write(_ data: Data, to path: String) throws {
        guard OutputWriter.isSafeRelativePath(path) else {
            throw OutputWriter.Refusal(description: "refusing to write outside the output folder: \(path)")
        }
        if let problem = OutputWriter.writeFile(data, to: root.appendingPathComponent(path).path) {
            throw OutputWriter.Refusal(description: problem)
        }
    }

    /// Writes files on all cores, each produced just before it is written.
    public func write(_ files: [(path: String, produce: @Sendable () throws -> Data)]) throws {
        let failures = parallelMap(files.indices.map { $0 }) { index -> String? in
            do {
                try write(try files[index].produce(), to: files[index].path)
                return nil
            } catch {
                return "\(files[index].path): \(error)"
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw OutputWriter.Refusal(description: failure) }
    }
}
