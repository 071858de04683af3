import Foundation

/// Why the base revision cannot be reviewed against (exit 2).
public struct ReviewError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let hint: String

    public init(_ message: String, hint: String) {
        self.message = message
        self.hint = hint
    }

    public var description: String { "\(message)\n  hint: \(hint)" }
}

/// The content folder as it was at a git revision, written with `git archive` into a
/// temporary folder: the working tree is never checked out or touched. Removed on deinit.
public final class BaseRevision: @unchecked Sendable {
    /// The revision as given (`origin/main`) and the commit it names.
    public let revision: String
    public let commit: String
    /// The content folder of that revision, inside `folder`.
    public let contentDirectory: URL
    private let folder: URL
    /// What could not be read at the base, for the report (a submodule whose commit is not here).
    public private(set) var notes: [String] = []

    /// `workingContent` is the working tree's content folder; it must be inside a git repository.
    public init(_ revision: String, workingContent: URL, git: GitRunner = GitRunner()) throws {
        self.revision = revision
        let content = workingContent.standardizedFileURL
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: content.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ReviewError("the content folder \(content.path) does not exist", hint: "check `content` in Site.json, or `--content`")
        }
        guard case .success(let prefix) = git.run(["rev-parse", "--show-prefix"], in: content),
              case .success(let top) = git.run(["rev-parse", "--show-toplevel"], in: content) else {
            throw ReviewError("\(content.path) is not inside a git repository", hint: "run review from a clone: it reads the base revision with git")
        }
        guard revision.first != "-", case .success(let sha) = git.run(["rev-parse", "--verify", "--quiet", revision + "^{commit}"], in: content) else {
            throw ReviewError("`\(revision)` is not a revision of this repository",
                              hint: "give a branch, tag or commit that exists locally (in CI fetch it first, e.g. `git fetch origin main` and `--base origin/main`)")
        }
        commit = sha.trimmingCharacters(in: .whitespacesAndNewlines)
        let path = prefix.trimmingCharacters(in: .whitespacesAndNewlines)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-review-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let shownPath = path.isEmpty ? "." : String(path.dropLast())
        // `<commit>:<folder>` archives the folder's contents at the archive's root.
        contentDirectory = folder
        let archive = folder.appendingPathComponent(".base.tar")
        let treeish = path.isEmpty ? commit : "\(commit):\(path)"
        // Run from the top: in a subfolder, `git archive` only looks at that folder.
        let root = URL(fileURLWithPath: top.trimmingCharacters(in: .whitespacesAndNewlines), isDirectory: true)
        guard case .success = git.run(["archive", "--format=tar", "-o", archive.path, treeish], in: root) else {
            throw ReviewError("the content folder `\(shownPath)` does not exist at `\(revision)` (\(commit.prefix(12)))",
                              hint: "review compares the same content folder at two revisions; pick a base where it exists")
        }
        // `-m`: the files' times are not restored (no "time stamp … in the future" per file).
        guard case .success = GitRunner.run(executable: "tar", ["-xmf", archive.path, "-C", folder.path], in: folder) else {
            throw ReviewError("cannot unpack `\(revision)` into \(folder.path)", hint: "check that `tar` is installed and the temporary folder is writable")
        }
        try? FileManager.default.removeItem(at: archive)
        // `git archive` writes a submodule as an empty folder: each is read at the commit the base
        // records, from its checkout in the working tree.
        notes = Self.readSubmodules(of: treeish, in: root, at: path, into: folder, workingContent: content, git: git, depth: 0)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: contentDirectory.appendingPathComponent("prompts").path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReviewError("`\(shownPath)` at `\(revision)` is not a catalog: it has no prompts/ folder",
                              hint: "give a base revision where the content folder holds prompts/<family>/")
        }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Unpacks every submodule (a gitlink, mode 160000) of `treeish` into `folder` at its place,
    /// read with `git archive` at the recorded commit in the working tree's checkout of it; the
    /// ones that cannot be read are returned as notes. Nested submodules a few levels deep.
    private static func readSubmodules(of treeish: String, in repository: URL, at prefix: String, into folder: URL, workingContent: URL,
                                       git: GitRunner, depth: Int) -> [String] {
        guard depth < 4, case .success(let listing) = git.run(["ls-tree", "-r", "-z", treeish], in: repository) else { return [] }
        var notes: [String] = []
        for entry in listing.split(separator: "\0") {
            // `<mode> <type> <object>\t<path>`
            guard let tab = entry.firstIndex(of: "\t") else { continue }
            let fields = entry[..<tab].split(separator: " ")
            guard fields.count == 3, fields[0] == "160000" else { continue }
            let sha = String(fields[2]), path = String(entry[entry.index(after: tab)...])
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else { continue }
            let checkout = workingContent.appendingPathComponent(path)
            let target = folder.appendingPathComponent(path)
            let archive = folder.appendingPathComponent(".submodule-\(UUID().uuidString).tar")
            defer { try? FileManager.default.removeItem(at: archive) }
            guard FileManager.default.fileExists(atPath: checkout.path),
                  case .success = git.run(["archive", "--format=tar", "-o", archive.path, sha], in: checkout),
                  (try? FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)) != nil,
                  case .success = GitRunner.run(executable: "tar", ["-xmf", archive.path, "-C", target.path], in: folder) else {
                notes.append("the submodule `\(prefix)\(path)` could not be read at the base (commit \(sha.prefix(12)) is not in its checkout): its files are left out of the base")
                continue
            }
            notes += readSubmodules(of: sha, in: checkout, at: prefix + path + "/", into: target, workingContent: checkout, git: git, depth: depth + 1)
        }
        return notes
    }
}

/// Runs `git` (or another tool) and returns its standard output, or its standard error on failure.
public struct GitRunner: Sendable {
    public init() {}

    public func run(_ arguments: [String], in directory: URL) -> Result<String, GitFailure> {
        Self.run(executable: "git", arguments, in: directory)
    }

    static func run(executable: String, _ arguments: [String], in directory: URL) -> Result<String, GitFailure> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.currentDirectoryURL = directory
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return .failure(GitFailure(message: "\(executable): \(error)")) }
        // Both pipes are drained at once, before waiting: a child that fills one while the other is
        // read to its end (tar's warnings on standard error) would block forever.
        let errorsRead = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var err = Data()
        DispatchQueue.global().async {
            err = errors.fileHandleForReading.readDataToEndOfFile()
            errorsRead.signal()
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        errorsRead.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return .failure(GitFailure(message: String(decoding: err, as: UTF8.self))) }
        return .success(String(decoding: out, as: UTF8.self))
    }
}

public struct GitFailure: Error, Sendable {
    public let message: String
}
