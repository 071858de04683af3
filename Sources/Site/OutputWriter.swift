import Foundation
import PromptCatalog

#if canImport(Glibc)
import Glibc
#endif

/// Writes a whole site into a hidden sibling folder and swaps it in at the end,
/// so a failed or killed build leaves the previous output as it was.
///
/// The output is ours only when it is missing, an empty folder, or a folder a build wrote
/// (it holds `.promptsite-output`); anything else is refused. A lock file beside the output
/// keeps a second build out while one is writing, and the swap is one atomic exchange on
/// Linux: at every instant the output path holds a whole site, the old or the new.
public enum OutputWriter {
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The file every output folder a build wrote carries, and which a build requires before
    /// it replaces an existing folder.
    public static let markerName = ".promptsite-output"
    static let markerText = "This folder was written by `promptsite build`; the next build replaces it whole.\n"

    /// Refuses output folders that a build must never replace: `/`, the home folder, the project
    /// root, the content folder, any folder that contains the content or the project, and
    /// anything that is not a folder a previous build wrote (or missing, or empty).
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
        try checkOwnership(of: output)
    }

    /// Whether `output` may be replaced: missing, an empty folder, or a folder with the marker
    /// (or, from builds before the marker existed, with the site's own `sitemap.xml`, `api/`
    /// and `assets/site.js`). Files, devices, links and other people's folders are refused.
    static func checkOwnership(of output: URL) throws {
        let path = output.path
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw Refusal(description: "refusing to write the site into \(path): \(String(cString: strerror(errno)))")
        }
        let type = info.st_mode & S_IFMT
        if type == S_IFLNK {
            throw Refusal(description: "refusing to replace \(path): it is a symbolic link; give the folder it points to with --output")
        }
        guard type == S_IFDIR else {
            let kind = type == S_IFREG ? "a file" : type == S_IFCHR || type == S_IFBLK ? "a device" : type == S_IFIFO ? "a FIFO" : "not a folder"
            throw Refusal(description: "refusing to replace \(path): it is \(kind), not a site folder; choose another --output")
        }
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: path) else {
            throw Refusal(description: "refusing to replace \(path): the folder cannot be read")
        }
        // `.promptsite-build` is the incremental build's fingerprint file: also only ever written by a build.
        if names.isEmpty || names.contains(markerName) || names.contains(".promptsite-build") { return }
        let earlierBuild = ["sitemap.xml", "api", "assets/site.js"].allSatisfy { manager.fileExists(atPath: output.appendingPathComponent($0).path) }
        if earlierBuild { return }
        throw Refusal(description: "refusing to replace \(path): it is not empty and was not written by promptsite (no \(markerName) file); "
                      + "choose another --output, or remove the folder yourself")
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
    /// sibling is removed and `output` is left as it was. The staging folder is a plain folder
    /// beside the output (same file system), so files may be hard-linked from the old site.
    public static func replace(_ output: URL, fill: (StagingFolder) throws -> Void) throws {
        let lock = try claim(output)
        defer { lock.release() }
        let staging = leftover(.staging, of: output)
        do {
            try makeStaging(staging, beside: output)
            try fill(StagingFolder(root: staging))
            if let problem = writeFile(Data(markerText.utf8), to: staging.appendingPathComponent(markerName).path) {
                throw Refusal(description: problem)
            }
            // The staging mark stays until the new site is in place (`swap` removes it then): a
            // build killed before leaves a folder the next one recognises and removes.
            try swap(staging, into: output)
        } catch {
            discard(staging)
            throw error
        }
    }

    /// Checks that `output` may be replaced, takes the lock beside it, and puts back or removes what a
    /// killed build left. The caller releases the lock.
    static func claim(_ output: URL) throws -> OutputLock {
        let parent = output.deletingLastPathComponent()
        // Refused before anything is created beside it (no lock file next to /dev/null).
        try checkOwnership(of: output)
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw Refusal(description: "cannot create the folder \(parent.path): \(reason(creating: parent))")
        }
        let lock = try OutputLock(beside: output)
        do {
            // Again under the lock: another build may have written the output meanwhile.
            try checkOwnership(of: output)
        } catch {
            lock.release()
            throw error
        }
        recoverInterruptedSwap(of: output)
        removeStaleSiblings(of: output)
        return lock
    }

    /// open/write/close: a plain new file, with none of Data.write's extra system calls (an existing
    /// plain file is truncated and rewritten; a symbolic link is never followed).
    static func writeFile(_ data: Data, to path: String) -> String? {
        var modified: Int64 = 0
        return writeFile(data, to: path, modified: &modified)
    }

    /// The same, giving the file's modification time as written (`OutputRecord.modified`, in nanoseconds).
    static func writeFile(_ data: Data, to path: String, modified: inout Int64) -> String? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { return "cannot create \(path): \(String(cString: strerror(errno)))" }
        defer { close(descriptor) }
        if let problem = write(data, to: descriptor, path: path) { return problem }
        return stamp(descriptor, path: path, modified: &modified)
    }

    /// Writes over an existing plain file, keeping its inode: from its start, then cut to the new
    /// length. Never truncated to nothing first: ext4 then starts writing the file out when it is
    /// closed (its guard for files replaced by truncation), a disk write per page.
    static func rewriteFile(_ data: Data, at path: String, modified: inout Int64) -> String? {
        let descriptor = open(path, O_WRONLY | O_NOFOLLOW)
        guard descriptor >= 0 else { return "cannot open \(path): \(String(cString: strerror(errno)))" }
        defer { close(descriptor) }
        if let problem = write(data, to: descriptor, path: path, positioned: true) { return problem }
        guard ftruncate(descriptor, off_t(data.count)) == 0 else { return "cannot write \(path): \(String(cString: strerror(errno)))" }
        return stamp(descriptor, path: path, modified: &modified)
    }

    private static func write(_ data: Data, to descriptor: Int32, path: String, positioned: Bool = false) -> String? {
        data.withUnsafeBytes { buffer -> String? in
            var offset = 0
            while offset < buffer.count {
                let written = positioned ? pwrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset, off_t(offset))
                    : Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return "cannot write \(path): \(String(cString: strerror(errno)))"
                }
                offset += written
            }
            return nil
        }
    }

    /// The written file's modification time, from its open descriptor. (A file system that sets
    /// it only when the file is closed — some FUSE and network ones — makes every record differ
    /// from the file: each build then renders every page, which is slower, never wrong.)
    private static func stamp(_ descriptor: Int32, path: String, modified: inout Int64) -> String? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return "cannot stat \(path): \(String(cString: strerror(errno)))" }
        modified = info.modifiedNanoseconds
        return nil
    }

    /// Replaces a file in one step: written beside it, then renamed over it. A build killed on the
    /// way leaves the old file or the new one, never none (a spare without its marker wedged every
    /// later build), and a file hard-linked elsewhere is never written through.
    static func replaceFile(_ data: Data, at path: String) -> String? {
        let fresh = path + ".new"
        if let problem = writeFile(data, to: fresh) { return problem }
        guard rename(fresh, path) == 0 else {
            unlink(fresh)
            return "cannot replace \(path): \(String(cString: strerror(errno)))"
        }
        return nil
    }

    /// Exchanges a staging folder (marked as the build's) with the live output so that whatever a
    /// kill leaves at the staging path is recognised as the build's and cleaned: the live site is
    /// marked with the staging folder's name before the exchange, and the new live site's mark is
    /// removed after it. False, with nothing changed, where the system cannot exchange.
    static func exchangeMarked(_ staging: URL, with output: URL) -> Bool {
        let liveMark = output.appendingPathComponent(stagingName).path
        _ = writeFile(Data(staging.lastPathComponent.utf8), to: liveMark)
        guard exchange(staging.path, output.path) else {
            unlink(liveMark)
            return false
        }
        unlink(liveMark)
        return true
    }

    /// One mkdir per folder, a level at a time so parents exist first, each level on all
    /// cores: on ext4 creating thousands of version folders one by one dominated the write.
    static func makeFolders(_ folders: Set<String>, in root: URL) throws {
        let levels = Dictionary(grouping: folders) { $0.split(separator: "/").count }
        // Paths as strings: URL.appendingPathComponent stats the file system to learn whether the
        // new component is a folder, once per folder.
        let rootPath = root.path
        for depth in levels.keys.sorted() {
            // One core per parent folder: two cores making entries in one folder wait on its lock
            // (the kernel spins for it), which cost more than the second core gained.
            let siblings = Dictionary(grouping: levels[depth]!, by: StagingFolder.parent(of:)).values.map { $0.sorted() }
            let failures = parallelMap(siblings.sorted { $0[0] < $1[0] }) { group -> String? in
                for folder in group where mkdir(rootPath + "/" + folder, 0o755) != 0 && errno != EEXIST {
                    return "cannot create \(folder): \(String(cString: strerror(errno)))"
                }
                return nil
            }
            if let failure = failures.compactMap({ $0 }).first { throw Refusal(description: failure) }
        }
    }

    /// Puts the new site in place. Linux: one `renameat2(RENAME_EXCHANGE)`, then the old site
    /// (now at the staging path) is removed. Elsewhere, or where the file system cannot exchange:
    /// the old site is renamed aside, the new one renamed in, and the old one removed only then;
    /// a build killed between the two renames finds the old site aside and puts it back.
    static func swap(_ staging: URL, into output: URL) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: output.path) else {
            try moveIn(staging, to: output)
            return
        }
        if exchangeMarked(staging, with: output) {
            discard(staging)
            return
        }
        let retired = leftover(.retired, of: output)
        try moveAside(output, to: retired)
        do {
            try moveIn(staging, to: output)
        } catch {
            if rename(retired.path, output.path) == 0 { unlink(output.appendingPathComponent(stagingName).path) }
            throw error
        }
        discard(retired)
    }

    /// Renames a marked staging folder to the output path (free), then takes its mark off.
    static func moveIn(_ staging: URL, to output: URL) throws {
        guard rename(staging.path, output.path) == 0 else {
            throw Refusal(description: "cannot move the new site into \(output.path): \(String(cString: strerror(errno)))")
        }
        unlink(output.appendingPathComponent(stagingName).path)
    }

    /// Moves the live site aside as a leftover (marked first with the name it is moved to, so a
    /// build killed before the new site is in puts it back).
    static func moveAside(_ output: URL, to retired: URL) throws {
        _ = writeFile(Data(retired.lastPathComponent.utf8), to: output.appendingPathComponent(stagingName).path)
        guard rename(output.path, retired.path) == 0 else {
            let problem = String(cString: strerror(errno))
            unlink(output.appendingPathComponent(stagingName).path)
            throw Refusal(description: "cannot move the previous site aside: \(problem)")
        }
    }

    /// Why a folder cannot be created, in the system's words (not Foundation's error dump): the
    /// first existing ancestor that is not writable, or not a folder.
    static func reason(creating folder: URL) -> String {
        var ancestor = folder
        while ancestor.path != "/", !FileManager.default.fileExists(atPath: ancestor.path) { ancestor = ancestor.deletingLastPathComponent() }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return "\(ancestor.path) is a file"
        }
        return access(ancestor.path, W_OK) == 0 ? "the system refused" : "\(ancestor.path): \(String(cString: strerror(errno)))"
    }

    /// Exchanges two paths atomically; false where the system or file system cannot.
    static func exchange(_ first: String, _ second: String) -> Bool {
        #if canImport(Glibc)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32
        // renameat2 is in glibc ≥ 2.28 but not in Swift's Glibc module; RENAME_EXCHANGE is 1 << 1.
        guard let symbol = dlsym(nil, "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        return renameat2(AT_FDCWD, first, AT_FDCWD, second, 1 << 1) == 0
        #else
        return false
        #endif
    }

    /// A build killed between the two renames of the fallback swap left no output but the old
    /// site in `.Output.old-*`: put the newest back before anything is cleaned.
    static func recoverInterruptedSwap(of output: URL) {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: output.path) else { return }
        let parent = output.deletingLastPathComponent()
        let prefix = LeftoverKind.retired.prefix(of: output)
        let retired = ((try? manager.contentsOfDirectory(atPath: parent.path)) ?? []).filter { isLeftover($0, prefix: prefix, in: parent) }
        let newest = retired.max { modified(parent.appendingPathComponent($0)) < modified(parent.appendingPathComponent($1)) }
        if let newest, rename(parent.appendingPathComponent(newest).path, output.path) == 0 {
            unlink(output.appendingPathComponent(stagingName).path)
        }
    }

    private static func modified(_ url: URL) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date) ?? .distantPast
    }

    /// The folders a build makes beside the output: a new site being written, an old one moved aside.
    enum LeftoverKind: String {
        /// A new site being written, an old one moved aside during a swap, a spare no build will fill.
        case staging = "tmp", retired = "old", unused = "del"

        /// `.Output.tmp-`, `.Output.old-`: the name up to the 8 hex digits of its token.
        func prefix(of output: URL) -> String { ".\(output.lastPathComponent).\(rawValue)-" }
    }

    /// A new folder name of that kind beside `output` (what `isLeftover` recognises, with its mark).
    static func leftover(_ kind: LeftoverKind, of output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(kind.prefix(of: output) + UUID().uuidString.prefix(8))
    }

    /// A folder a build made beside the output: the name it gives (the prefix, then 8 hex digits)
    /// and, inside, `stagingName` holding that very name — written when the build makes the folder
    /// (or moves an old site aside) and removed before a folder becomes the output, so no copy of
    /// a site (`cp -r Output .Output.old-20251130`) is ever taken for one.
    static func isLeftover(_ name: String, prefix: String, in parent: URL) -> Bool {
        guard name.hasPrefix(prefix) else { return false }
        let token = name.utf8.dropFirst(prefix.utf8.count)
        guard token.count == 8, token.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) }) else { return false }
        let mark = parent.appendingPathComponent(name).appendingPathComponent(stagingName).path
        return FileManager.default.contents(atPath: mark).map { String(decoding: $0, as: UTF8.self) == name } ?? false
    }

    /// The file that marks a folder beside the output as the build's own, while it is not the output.
    static let stagingName = ".promptsite-staging"

    /// Marks `folder` (beside the output) as the build's, with its own name; `at`: the folder that
    /// will be renamed to it.
    @discardableResult
    static func markAsLeftover(_ folder: URL, at current: URL? = nil) -> String? {
        writeFile(Data(folder.lastPathComponent.utf8), to: (current ?? folder).appendingPathComponent(stagingName).path)
    }

    /// Makes a staging folder beside the output, marked at once as the build's (so a build killed
    /// while filling it leaves a folder the next build recognises and removes).
    static func makeStaging(_ staging: URL, beside output: URL) throws {
        guard mkdir(staging.path, 0o755) == 0 else {
            throw Refusal(description: "cannot write beside \(output.path): \(String(cString: strerror(errno)))")
        }
        if let problem = markAsLeftover(staging) {
            rmdir(staging.path)
            throw Refusal(description: problem)
        }
    }

    /// Removes a folder of the build's, the file that marks it as the build's last: a build killed
    /// on the way leaves a folder the next one still recognises (removing in listing order took the
    /// marker out first and left a folder no build would touch again).
    /// `onAllCores`: the folders two levels down are removed in parallel (a whole site).
    static func removeOwnFolder(_ folder: URL, markedBy mark: String, onAllCores: Bool = false) {
        let manager = FileManager.default
        let children = ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0 != mark }.map { folder.path + "/" + $0 }
        if onAllCores {
            let grandchildren = children.flatMap { child in ((try? manager.contentsOfDirectory(atPath: child)) ?? []).map { child + "/" + $0 } }
            _ = parallelMap(grandchildren) { try? FileManager.default.removeItem(atPath: $0) }
        }
        for child in children { try? manager.removeItem(atPath: child) }
        unlink(folder.appendingPathComponent(mark).path)
        rmdir(folder.path)
    }

    /// The old site, moved aside or exchanged out: marked as a leftover, then removed.
    static func discard(_ folder: URL) {
        markAsLeftover(folder)
        removeOwnFolder(folder, markedBy: stagingName)
    }

    /// Leftovers of killed builds: `.Output.tmp-XXXXXXXX`, `.Output.old-XXXXXXXX` and `.Output.del-XXXXXXXX` beside the
    /// output that carry the build's marker. Only called under the lock, once the output is in
    /// place, so none of them is anyone's site.
    private static func removeStaleSiblings(of output: URL) {
        let parent = output.deletingLastPathComponent()
        let prefixes = [LeftoverKind.staging, .retired, .unused].map { $0.prefix(of: output) }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        where prefixes.contains(where: { isLeftover(name, prefix: $0, in: parent) }) {
            removeOwnFolder(parent.appendingPathComponent(name), markedBy: stagingName)
        }
    }

    /// Not empty, not absolute, and no empty, `.` or `..` component (checked on bytes: every
    /// output file is checked on every build).
    static func isSafeRelativePath(_ path: String) -> Bool {
        var componentLength = 0, dots = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if componentLength == 0 || dots == componentLength && dots <= 2 { return false }
                componentLength = 0
                dots = 0
            } else {
                componentLength += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return componentLength > 0 && !(dots == componentLength && dots <= 2)
    }

    /// The real path: the deepest part that exists resolved by the system (`realpath`, every link
    /// on the way), the parts that do not exist yet appended. (`resolvingSymlinksInPath` leaves a
    /// path whose last part is missing unresolved: `c/prompts/site` with `c → Content` passed
    /// as outside the content folder.)
    public static func canonical(_ url: URL) -> String {
        var existing = url.standardizedFileURL.path
        var missing: [String] = []
        while true {
            if let resolved = realpath(existing, nil) {
                defer { free(resolved) }
                var path = String(cString: resolved)
                for part in missing.reversed() { path += (path.hasSuffix("/") ? "" : "/") + part }
                return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
            }
            guard existing != "/", !existing.isEmpty, let slash = existing.lastIndex(of: "/") else { return url.standardizedFileURL.path }
            missing.append(String(existing[existing.index(after: slash)...]))
            existing = slash == existing.startIndex ? "/" : String(existing[..<slash])
        }
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
    /// `root` as a path, made once: files are addressed by string, tens of thousands per build.
    let rootPath: String

    public init(root: URL) {
        self.root = root
        rootPath = root.path
    }

    /// A site-relative path inside the folder (checked with `OutputWriter.isSafeRelativePath` first).
    func path(of relative: String) -> String { rootPath + "/" + relative }

    /// Creates every folder the paths need.
    public func makeFolders(for paths: [String]) throws {
        if let unsafe = paths.first(where: { !OutputWriter.isSafeRelativePath($0) }) {
            throw OutputWriter.Refusal(description: "refusing to write outside the output folder: \(unsafe)")
        }
        try OutputWriter.makeFolders(Self.folders(of: paths), in: root)
    }

    /// Every folder the site-relative paths lie in, their parents included (`a/b/c.html` → `a/b`, `a`).
    static func folders(of paths: some Sequence<String>) -> Set<String> {
        var folders = Set<String>()
        for path in paths {
            var folder = parent(of: path)
            while !folder.isEmpty, folders.insert(folder).inserted { folder = parent(of: folder) }
        }
        return folders
    }

    /// `a/b/c.html` → `a/b`, `a` → empty. (Foundation's `deletingLastPathComponent` traps on
    /// some one-character names on Linux.)
    static func parent(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
    }

    /// Writes one file whose folder exists; returns its modification time as written.
    @discardableResult
    public func write(_ data: Data, to path: String) throws -> Int64 {
        guard OutputWriter.isSafeRelativePath(path) else {
            throw OutputWriter.Refusal(description: "refusing to write outside the output folder: \(path)")
        }
        var modified: Int64 = 0
        if let problem = OutputWriter.writeFile(data, to: self.path(of: path), modified: &modified) {
            throw OutputWriter.Refusal(description: problem)
        }
        return modified
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

/// `.Output.lock` beside the output, held with `flock` while a build writes: the system drops
/// it when the process ends, however it ends, so a killed build leaves no stale lock.
struct OutputLock {
    let descriptor: Int32

    init(beside output: URL) throws {
        let path = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw OutputWriter.Refusal(description: "cannot create the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw OutputWriter.Refusal(description: "another build is writing \(output.path) (it holds \(path)); wait for it to finish")
        }
        self.descriptor = descriptor
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
