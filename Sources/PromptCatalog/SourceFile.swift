import Diagnostics
import Foundation

/// Reading content files as UTF-8 text, with a diagnostic for anything else.
public enum SourceFile {
    /// The largest content file read (16 MB): far beyond any prompt, pack or doc, and short of a
    /// sparse or generated file of gigabytes taking the build's memory with it.
    static let maximumBytes = 16 << 20

    /// A content entry's text: from memory for an in-memory tree, else from its file.
    /// `keepingByteOrderMark`: a leading byte-order mark stays in the text (for readers that refuse it).
    static func read(_ entry: ContentEntry, relativePath: String? = nil, keepingByteOrderMark: Bool = false) -> Result<String, Diagnostic> {
        guard let data = entry.data else {
            return read(path: entry.filePath, relativePath: relativePath ?? entry.path, knownRegular: entry.isRegularFile, keepingByteOrderMark: keepingByteOrderMark)
        }
        if data.count > maximumBytes { return .failure(tooLarge(data.count, relativePath: relativePath ?? entry.path)) }
        return decode(data, relativePath: relativePath ?? entry.path, keepingByteOrderMark: keepingByteOrderMark)
    }

    static func tooLarge(_ size: Int, relativePath: String) -> Diagnostic {
        .error("file-too-large", "the file is \(String(format: "%.1f", Double(size) / 1_048_576)) MB; content files are read up to \(maximumBytes >> 20) MB",
               at: SourceLocation(file: relativePath), hint: "split it into smaller files, or keep large data outside the content folder")
    }

    static func read(_ url: URL, relativePath: String) -> Result<String, Diagnostic> {
        read(path: url.path, relativePath: relativePath)
    }

    /// `knownRegular`: the walk already saw a regular file there (no link), so it is opened
    /// without a `stat` first: one `open`, `fstat` and `read` per file.
    private static func read(path: String, relativePath: String, knownRegular: Bool = false, keepingByteOrderMark: Bool = false) -> Result<String, Diagnostic> {
        bytes(path: path, relativePath: relativePath, knownRegular: knownRegular).flatMap {
            decode($0, relativePath: relativePath, keepingByteOrderMark: keepingByteOrderMark)
        }
    }

    /// The bytes of a file that is not text (an image beside the docs), with the same bounds.
    static func readData(_ entry: ContentEntry) -> Result<Data, Diagnostic> {
        guard let data = entry.data else { return bytes(path: entry.filePath, relativePath: entry.path, knownRegular: entry.isRegularFile) }
        return data.count > maximumBytes ? .failure(tooLarge(data.count, relativePath: entry.path)) : .success(data)
    }

    private static func bytes(path: String, relativePath: String, knownRegular: Bool) -> Result<Data, Diagnostic> {
        // A FIFO or a device would block the read or never end: only regular files are read.
        var info = stat()
        if !knownRegular, stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG { return .failure(notRegular(info, relativePath: relativePath)) }
        switch contents(of: path) {
        case .success(let data): return .success(data)
        case .failure(.notRegular(let info)): return .failure(notRegular(info, relativePath: relativePath))
        case .failure(.tooLarge(let size)): return .failure(tooLarge(size, relativePath: relativePath))
        case .failure(.unreadable):
            let reason = access(path, R_OK) != 0 ? String(cString: strerror(errno)) : "the file could not be read"
            return .failure(.error("unreadable-file", "cannot read the file: \(reason)",
                                   at: SourceLocation(file: relativePath), hint: "check that the file exists and is readable"))
        }
    }

    private static func notRegular(_ info: stat, relativePath: String) -> Diagnostic {
        let kind = info.st_mode & S_IFMT == S_IFIFO ? "a FIFO" : info.st_mode & S_IFMT == S_IFDIR ? "a folder" : "a device or socket"
        return .error("unreadable-file", "cannot read the file: it is \(kind), not a regular file",
                      at: SourceLocation(file: relativePath), hint: "replace it with a regular text file")
    }

    private enum ReadFailure: Error {
        case notRegular(stat)
        case unreadable
        case tooLarge(Int)
    }

    /// A cache file's bytes: a regular file (not through a link: the cache folder is the build's
    /// own) of at most `maximumBytes`; nil when there is none, else why it is not read.
    public static func cacheFile(_ url: URL, maximumBytes: Int) -> Result<Data?, CacheFileProblem> {
        switch contents(of: url.path, maximumBytes: maximumBytes, followingLinks: false) {
        case .success(let data): return .success(data)
        case .failure(.unreadable) where errno == ENOENT: return .success(nil)
        case .failure(.unreadable): return .failure(CacheFileProblem(reason: "it cannot be read"))
        case .failure(.notRegular): return .failure(CacheFileProblem(reason: "it is not a regular file"))
        case .failure(.tooLarge): return .failure(CacheFileProblem(reason: "it is over \(maximumBytes >> 20) MB"))
        }
    }

    public struct CacheFileProblem: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// A regular file's bytes: opened without blocking (a FIFO put there since the walk is
    /// refused by `fstat`, not waited on), then its size read (as `Data(contentsOf:)` does),
    /// or up to its end when it tells no size.
    private static func contents(of path: String, maximumBytes: Int = maximumBytes, followingLinks: Bool = true) -> Result<Data, ReadFailure> {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW))
        guard descriptor >= 0 else { return .failure(.unreadable) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(.unreadable) }
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(.notRegular(info)) }
        let size = Int(info.st_size)
        guard size <= maximumBytes else { return .failure(.tooLarge(size)) }
        var data = Data(count: size > 0 ? size : 4096)
        var filled = 0
        while size == 0 || filled < size {
            if filled == data.count {
                // A file that tells no size (procfs and the like) is read up to the bound.
                guard data.count <= maximumBytes else { return .failure(.tooLarge(filled)) }
                data.count *= 2
            }
            let count = data.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + filled, buffer.count - filled, off_t(filled))
            }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return .failure(.unreadable) }
            if count == 0 { break }
            filled += count
        }
        data.count = filled
        return .success(data)
    }

    /// UTF-8 text without a byte-order mark, or an `encoding` diagnostic at the first bad line.
    static func decode(_ data: Data, relativePath: String, keepingByteOrderMark: Bool = false) -> Result<String, Diagnostic> {
        var bytes = data[...]
        if !keepingByteOrderMark, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let (line, column) = firstInvalidPlace(in: bytes)
            return .failure(.error("encoding", "the file is not valid UTF-8 text", at: SourceLocation(file: relativePath, line: line, column: column),
                                   hint: "save the file as UTF-8"))
        }
        return .success(text)
    }

    /// The line of the first byte sequence that is not UTF-8.
    /// The line and column (in code points) of the first byte that is not UTF-8.
    private static func firstInvalidPlace(in bytes: Data.SubSequence) -> (line: Int, column: Int) {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var line = 1, column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1, encoded.first == 0x0A { line += 1; column = 1 } else { column += 1 }
            case .error, .emptyInput:
                return (line, column)
            }
        }
    }
}

/// Walks the content tree: skips names starting with `.` or `_` (`_` is read under `content-packs/`,
/// see `reads(_:inContentFolder:)`), symlinks that lead outside
/// the content directory, and every symlink to a folder (it would be walked twice: a link to a
/// folder of the tree repeats it, a link to an ancestor loops forever). `skippedLinks` says so,
/// once per link.
///
/// Listings carry each entry's type (`d_type`), so a plain file or folder costs no `stat`; only
/// links are resolved, and a folder is resolved once, not once per file in it.
struct ContentTree {
    let root: URL
    /// An in-memory tree (content-relative path → bytes) instead of the folder: rule tests load
    /// catalogs without touching the disk.
    var memory: [String: Data]? = nil
    /// Versions parsed by an earlier load in this process.
    var memo: LoadMemo? = nil
    /// The root with symlinks resolved, as every entry's resolved path is compared with it.
    private let resolvedRoot: String

    init(root: URL, memory: [String: Data]? = nil) {
        self.root = root
        self.memory = memory
        resolvedRoot = memory == nil ? Self.resolved(root) : ""
    }

    /// The folders of the content root the loader reads, and only these: the walks that look at
    /// the whole tree (the links it skips, the build's input fingerprint) look at these too, so a
    /// `node_modules/` beside them, or a content root set to the repository, is never walked.
    static let contentFolders: Set<String> = [
        "providers", "prompts", ActionBlockLoader.folder, ProgramLoader.folder, ContextLoader.folder, PluginLoader.folder,
        NodeTypeLoader.folder, SceneLoader.folder, ContentPackLoader.folder, DocsLoader.folder, "logs",
    ]

    /// Content folders whose `_` names are read: PixSim7's loaders read every `*.yaml` of a pack
    /// (`rglob`/`glob`, which match `_shared.schema.yaml`); only prompt-pack folders named `_…` are
    /// skipped, and `ContentPackLoader` skips those itself.
    static let underscoreReadingFolders: Set<String> = [ContentPackLoader.folder]

    /// Whether the loader reads an entry named `name` somewhere under the content folder `top`:
    /// never a name starting with `.`; a name starting with `_` only under `underscoreReadingFolders`.
    static func reads(_ name: String, inContentFolder top: String) -> Bool {
        guard !name.hasPrefix(".") else { return false }
        return !name.hasPrefix("_") || underscoreReadingFolders.contains(top)
    }

    private static func topFolder(_ relativeFolder: String) -> String {
        String(relativeFolder.split(separator: "/", maxSplits: 1).first ?? "")
    }

    /// Entries directly inside a content-relative folder, sorted by name.
    func entries(in relativeFolder: String) -> [ContentEntry] {
        assert(relativeFolder.split(separator: "/").first.map { Self.contentFolders.contains(String($0)) } ?? false,
               "\(relativeFolder) is not under a folder of `contentFolders`: add it there, or the input fingerprint misses its changes")
        if let memory { return Self.entries(in: relativeFolder, of: memory, root: root) }
        let folder = relativeFolder.isEmpty ? root : root.appendingPathComponent(relativeFolder, isDirectory: true)
        let folderPath = folder.path
        guard let listing = DirectoryListing.read(folderPath) else { return [] }
        // Everything in a folder inside the root that is not a link is inside the root too.
        let folderInside = isInsideRoot(relativeFolder: relativeFolder, folder: folder)
        let top = Self.topFolder(relativeFolder)
        return listing.compactMap { item in
            let name = item.name
            guard !item.isNotUTF8, Self.reads(name, inContentFolder: top) else { return nil }
            let path = relativeFolder.isEmpty ? name : "\(relativeFolder)/\(name)"
            if folderInside, item.kind != .symbolicLink, item.kind != .unknown {
                let isDirectory = item.kind == .directory
                return ContentEntry(name: name, path: path, folder: folder, folderPath: folderPath,
                                    isDirectory: isDirectory, isRegularFile: item.kind == .regularFile)
            }
            let url = folder.appendingPathComponent(name)
            guard isInsideRoot(url) else { return nil }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return nil }
            if isDirectory.boolValue, Self.isSymbolicLink(url) { return nil }
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

    /// One warning per symbolic link the walk does not follow: links to folders, links that lead
    /// outside the content directory, and links that lead nowhere (dangling, or a loop). One extra
    /// pass over the content folders, no link followed.
    func skippedLinks() -> [Diagnostic] {
        guard memory == nil else { return [] }
        var diagnostics: [Diagnostic] = []
        var folders = [""]
        let manager = FileManager.default
        while let current = folders.popLast() {
            let folder = current.isEmpty ? root : root.appendingPathComponent(current, isDirectory: true)
            guard let listing = DirectoryListing.read(folder.path) else {
                // A folder that is there but cannot be listed reads as empty: say why.
                let code = errno
                if code == EACCES || code == EPERM || code == EIO, !current.isEmpty {
                    diagnostics.append(.error("unreadable-file", "cannot read the folder `\(current)`: \(String(cString: strerror(code))); nothing in it is read",
                                              at: SourceLocation(file: current), hint: "let the user running promptsite list and read it (chmod a+rX)"))
                }
                continue
            }
            for item in listing where current.isEmpty ? Self.contentFolders.contains(item.name) : Self.reads(item.name, inContentFolder: Self.topFolder(current)) {
                let name = item.name
                let path = current.isEmpty ? name : "\(current)/\(name)"
                guard !item.isNotUTF8 else {
                    diagnostics.append(.error("encoding", "the name of `\(path)` is not UTF-8 (shown with \u{FFFD} where its bytes are not); it is not read",
                                              at: SourceLocation(file: path), hint: "rename it in UTF-8 (an old archive may have stored Latin-1 names)"))
                    continue
                }
                guard item.kind == .symbolicLink else {
                    if item.kind == .directory { folders.append(path) }
                    continue
                }
                let url = folder.appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                let exists = manager.fileExists(atPath: url.path, isDirectory: &isDirectory)
                if !exists {
                    diagnostics.append(.warning("symlink-skipped", "`\(path)` is a symbolic link that leads nowhere (its target is missing, or links loop); it is not read",
                                                at: SourceLocation(file: path), hint: "fix the link or remove it"))
                } else if !isInsideRoot(url) {
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
    /// rules as on disk (`reads(_:inContentFolder:)`).
    static func entries(in folder: String, of memory: [String: Data], root: URL) -> [ContentEntry] {
        let prefix = folder.isEmpty ? "" : folder + "/"
        let top = topFolder(folder)
        var found: [String: ContentEntry] = [:]
        for (path, data) in memory where path.hasPrefix(prefix) {
            let rest = path.dropFirst(prefix.count)
            guard let first = rest.split(separator: "/", omittingEmptySubsequences: false).first, !first.isEmpty else { continue }
            let name = String(first)
            guard reads(name, inContentFolder: top), found[name] == nil || found[name]!.isDirectory else { continue }
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

    private static func resolved(_ url: URL) -> String {
        url.resolvingSymlinksInPath().standardizedFileURL.path
    }

    /// Whether the entry, with symlinks resolved, stays inside the content directory.
    private func isInsideRoot(_ url: URL) -> Bool {
        let resolved = Self.resolved(url)
        return resolved == resolvedRoot || resolved.hasPrefix(resolvedRoot.hasSuffix("/") ? resolvedRoot : resolvedRoot + "/")
    }

    /// Whether a folder of the tree is inside the content directory: at once when every folder on
    /// the way from the root is a real folder (one `lstat` each), else by resolving its path.
    private func isInsideRoot(relativeFolder: String, folder: URL) -> Bool {
        guard !relativeFolder.isEmpty else { return true }
        var path = root.path
        for component in relativeFolder.split(separator: "/", omittingEmptySubsequences: false) {
            guard !component.isEmpty, component != ".", component != ".." else { return isInsideRoot(folder) }
            path += "/" + component
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return isInsideRoot(folder) }
        }
        return true
    }
}

/// The names in a folder with their types as the folder lists them (`d_type`, no link
/// followed), sorted by name; a type the file system does not list is asked of `lstat`.
struct DirectoryListing {
    enum Kind {
        case regularFile, directory, symbolicLink, other
        /// Neither the listing nor `lstat` told (the entry went away): looked at as a link is.
        case unknown
    }

    let name: String
    let kind: Kind
    /// The name's bytes are not UTF-8 (a Latin-1 `café` from an old archive): `name` is a lossy
    /// reading that opens nothing, so the entry is not read (the walk for links says so).
    var isNotUTF8 = false

    static func read(_ path: String) -> [DirectoryListing]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var items: [DirectoryListing] = []
        while let entry = readdir(directory) {
            let (name, valid) = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) {
                    (FileManager.default.string(withFileSystemRepresentation: $0, length: strlen($0)), Self.isUTF8($0))
                }
            }
            guard name != ".", name != ".." else { continue }
            items.append(DirectoryListing(name: name, kind: valid ? kind(Int32(entry.pointee.d_type), of: path + "/" + name) : .other, isNotUTF8: !valid))
        }
        return items.sorted { $0.name < $1.name }
    }

    /// An ASCII name (nearly all) is UTF-8 without decoding it.
    private static func isUTF8(_ name: UnsafePointer<CChar>) -> Bool {
        var byte = name
        while byte.pointee != 0 {
            if byte.pointee < 0 { return String(validatingCString: name) != nil }
            byte += 1
        }
        return true
    }

    private static func kind(_ type: Int32, of path: String) -> Kind {
        var mode = mode_t(0)
        switch type {
        case Int32(DT_REG): return .regularFile
        case Int32(DT_DIR): return .directory
        case Int32(DT_LNK): return .symbolicLink
        case Int32(DT_UNKNOWN):
            var info = stat()
            guard lstat(path, &info) == 0 else { return .unknown }
            mode = info.st_mode & S_IFMT
        default: return .other
        }
        switch mode {
        case S_IFREG: return .regularFile
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }
}

struct ContentEntry {
    let name: String
    /// Relative to the content directory, `/`-separated.
    let path: String
    let isDirectory: Bool
    /// The walk saw a regular file (not a link): it is read without a `stat` first.
    var isRegularFile = false
    /// The file's bytes, for an entry of an in-memory tree.
    var data: Data? = nil
    private let place: Place

    /// Where the entry is on disk. A walked entry keeps its folder and makes its URL only when
    /// asked (for log files): a URL per version file cost more than the file's `open` and `read`.
    private enum Place {
        case inFolder(URL, path: String)
        case at(URL)
    }

    init(name: String, path: String, url: URL, isDirectory: Bool, isRegularFile: Bool = false, data: Data? = nil) {
        self.name = name
        self.path = path
        self.isDirectory = isDirectory
        self.isRegularFile = isRegularFile
        self.data = data
        place = .at(url)
    }

    /// An entry directly inside `folder`, whose file system path is `folderPath`.
    init(name: String, path: String, folder: URL, folderPath: String, isDirectory: Bool, isRegularFile: Bool) {
        self.name = name
        self.path = path
        self.isDirectory = isDirectory
        self.isRegularFile = isRegularFile
        place = .inFolder(folder, path: folderPath)
    }

    var url: URL {
        switch place {
        case .inFolder(let folder, _): folder.appendingPathComponent(name, isDirectory: isDirectory)
        case .at(let url): url
        }
    }

    /// `url.path`, made without a URL for a walked entry.
    var filePath: String {
        switch place {
        case .inFolder(_, let folderPath): folderPath.hasSuffix("/") ? folderPath + name : folderPath + "/" + name
        case .at(let url): url.path
        }
    }
}

extension stat {
    /// The modification time in nanoseconds since 1970.
    public var modifiedNanoseconds: Int64 {
        #if canImport(Darwin)
        Self.nanoseconds(st_mtimespec)
        #else
        Self.nanoseconds(st_mtim)
        #endif
    }

    /// The change time in nanoseconds since 1970.
    public var changedNanoseconds: Int64 {
        #if canImport(Darwin)
        Self.nanoseconds(st_ctimespec)
        #else
        Self.nanoseconds(st_ctim)
        #endif
    }

    private static func nanoseconds(_ time: timespec) -> Int64 { Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec) }
}
