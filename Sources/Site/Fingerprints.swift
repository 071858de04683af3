import Analytics
import Checks
import Diagnostics
import Foundation
import PageTemplates
import Project
import PromptCatalog

/// A streaming 64-bit fingerprint (XXH64) of everything an output file is made from.
struct Fingerprint: PageValueHasher {
    private var state: XXH64

    init(seed: UInt64) { state = XXH64(seed: seed) }

    mutating func add(bytes: UnsafeRawBufferPointer) { state.update(bytes) }

    mutating func add(_ text: String) {
        var copy = text
        copy.withUTF8 { state.update(UnsafeRawBufferPointer($0)) }
        add(UInt64(text.utf8.count))
    }

    mutating func add(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { state.update($0) }
    }

    mutating func add(tag: UInt8) {
        withUnsafeBytes(of: tag) { state.update($0) }
    }

    var digest: UInt64 { state.digest }

    /// A JSON document by its values (cheaper than serializing it; equal values, equal bytes).
    mutating func add(json: JSONValue) {
        switch json {
        case .null: add(tag: 0)
        case .bool(let flag): add(tag: flag ? 2 : 1)
        case .int(let number): add(tag: 3); add(UInt64(bitPattern: Int64(number)))
        case .double(let number): add(tag: 4); add(number.bitPattern)
        case .string(let text): add(tag: 5); add(text)
        case .array(let items):
            add(tag: 6)
            add(UInt64(items.count))
            for item in items { add(json: item) }
        case .object(let members):
            add(tag: 7)
            add(UInt64(members.count))
            for (key, value) in members {
                add(key)
                add(json: value)
            }
        }
    }

    /// The Site.json settings the pages show or are computed with.
    mutating func add(settings config: SiteConfig) {
        add(config.title)
        add(config.baseURL)
        add(config.defaultProviders.joined(separator: "\u{0}"))
        add(UInt64(config.minSamples))
        add(config.confidence.bitPattern)
        add(config.similarityThreshold.bitPattern)
        add(tag: config.unsafeHTML ? 1 : 0)
        add(config.logPreset)
        add(UInt64(config.maximumLogLineBytes))
        add(config.flaggedWords.map { $0.pattern + "\u{0}" + $0.suggestion }.joined(separator: "\u{1}"))
    }
}

/// What every output file is also made from: this binary, the theme and the site settings.
enum BuildSalt {
    /// Changes whenever the way files are made may change. Bump it with the output format.
    static let formatVersion = "promptsite-site-cache-5"

    /// `verifyingKeys`: keyed files are then fingerprinted by what they hold, not by their keys,
    /// so such a build's records are never compared with another's.
    static func of(theme: Theme, config: SiteConfig, verifyingKeys: Bool = false) -> UInt64 {
        var hasher = Fingerprint(seed: 0x5175_7E5A_17ED_0001)
        hasher.add(formatVersion)
        hasher.add(tag: verifyingKeys ? 1 : 0)
        hasher.add(BinaryIdentity.current)
        for (name, text) in theme.templates.sorted(by: { $0.key < $1.key }) {
            hasher.add(name)
            hasher.add(text)
        }
        for (name, data) in theme.assets.sorted(by: { $0.key < $1.key }) {
            hasher.add("assets/" + name)
            data.withUnsafeBytes { hasher.add(bytes: $0) }
        }
        hasher.add(settings: config)
        return hasher.digest
    }
}

/// The running executable, as size and modification time: a rebuilt binary never reuses output.
enum BinaryIdentity {
    static let current: String = {
        let path = "/proc/self/exe"
        var info = stat()
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? CommandLine.arguments.first ?? "promptsite"
        if stat(target, &info) == 0 {
            return "\(target):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }
        return target
    }()
}

/// Every file and folder a build reads, as path, size, modification and change times: equal
/// fingerprints mean nothing the site is made from changed (as `make` decides).
struct InputFingerprint: Sendable, Equatable {
    let digest: UInt64
    /// A file changed within this many seconds before the fingerprint was taken (its time stamp
    /// may not tell a later edit apart): such a fingerprint is never trusted as up to date.
    let newestChange: Double
    /// A symbolic link to a folder was met: the walk does not follow it, so the fingerprint cannot vouch for it.
    let complete: Bool
    let takenAt: Double
    /// Every version file's stamp as the walk saw it, with its path: the loader need not `stat`
    /// them again (made into a dictionary only when the content is loaded: not on a no-op build).
    let versionStamps: [(String, LoadMemo.Stamp)]

    static func == (a: InputFingerprint, b: InputFingerprint) -> Bool {
        (a.digest, a.newestChange, a.complete, a.takenAt) == (b.digest, b.newestChange, b.complete, b.takenAt)
    }

    init(_ request: BuildRequest) {
        var hasher = Fingerprint(seed: 0x1A7E_5EED_0000_0002)
        let config = request.config
        hasher.add(BuildSalt.formatVersion)
        hasher.add(BinaryIdentity.current)
        for url in [config.contentDirectory, config.templatesDirectory, config.outputDirectory, config.cacheDirectory] { hasher.add(url.standardizedFileURL.path) }
        hasher.add(tag: request.strict ? 1 : 0)
        hasher.add(tag: request.logs.cache == nil ? 1 : 0)
        // The settings Site.json gave (and the command line changed).
        hasher.add(settings: config)
        hasher.add(tag: config.checks.strict ? 1 : 0)
        hasher.add(config.checks.ignore.sorted().joined(separator: "\u{0}"))
        hasher.add(config.checks.errors.sorted().joined(separator: "\u{0}"))
        var newest = 0.0
        // A review page reads a git revision, and a database (`logs.postgres`) holds logs: both change without a file changing.
        var complete = config.reviewBase == nil && config.logDatabase == nil
        var stamps: [(String, LoadMemo.Stamp)] = []
        if let file = config.file { InputFingerprint.add(file.path, name: "Site.json", to: &hasher, newest: &newest) }
        // The content root as the loader reads it: its content folders, without names starting
        // with `.` or `_` (a `node_modules/` or `.git/` beside them is never walked); the theme whole.
        for (root, walk) in [(config.contentDirectory, Walk.content), (config.templatesDirectory, Walk.everything)] {
            hasher.add(tag: 0xEE)
            InputFingerprint.add(root.path, name: "", to: &hasher, newest: &newest)
            let folder = InputFingerprint.folder(root.path, relative: "", walk: walk)
            hasher.add(folder.digest)
            newest = max(newest, folder.newest)
            complete = complete && folder.complete
            if walk == .content { stamps = folder.stamps }
        }
        versionStamps = stamps
        digest = hasher.digest
        newestChange = newest
        self.complete = complete
        takenAt = request.wallClock()
    }

    /// Whether this fingerprint can be trusted to mean "unchanged" against one recorded earlier.
    func matches(_ recorded: UInt64, recordedAt: Double) -> Bool {
        complete && digest == recorded && newestChange < recordedAt - 1
    }

    private static func add(_ path: String, name: String, to hasher: inout Fingerprint, newest: inout Double) {
        var info = stat()
        add(stat(path, &info) == 0 ? info : nil, name: name, to: &hasher, newest: &newest)
    }

    /// One entry as `stat` saw it (nil: it could not be seen). A folder counts by what it is, not
    /// by its times or size: those change with any entry made or removed in it, also one the
    /// loader never reads (`_draft.prompt`, an editor's `.swp`); its walk hashes the entries it reads.
    private static func add(_ info: stat?, name: String, to hasher: inout Fingerprint, newest: inout Double) {
        hasher.add(name)
        guard let info else {
            hasher.add(tag: 0xFF)
            return
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            hasher.add(UInt64(info.st_ino))
            hasher.add(UInt64(info.st_mode))
            return
        }
        hasher.add(UInt64(bitPattern: Int64(info.st_size)))
        hasher.add(UInt64(bitPattern: Int64(info.st_mtim.tv_sec)))
        hasher.add(UInt64(bitPattern: Int64(info.st_mtim.tv_nsec)))
        hasher.add(UInt64(bitPattern: Int64(info.st_ctim.tv_sec)))
        hasher.add(UInt64(bitPattern: Int64(info.st_ctim.tv_nsec)))
        hasher.add(UInt64(info.st_ino))
        hasher.add(UInt64(info.st_mode))
        newest = max(newest, Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9,
                     Double(info.st_ctim.tv_sec) + Double(info.st_ctim.tv_nsec) / 1e9)
    }

    /// What one folder holds, recursively: every entry in name order (folders too: a deleted file
    /// changes its folder), each sub-folder as the digest of its own walk. Folders with many
    /// sub-folders (a catalog's families) are walked on all cores.
    private struct Folder: Sendable {
        var digest: UInt64
        var newest: Double
        var complete: Bool
        /// The version files' stamps under it.
        var stamps: [(String, LoadMemo.Stamp)] = []
    }

    /// Which entries a walk takes.
    private enum Walk: Sendable, Equatable {
        /// The content root: only the folders the loader reads (`CatalogLoader.contentFolders`).
        case content
        /// Inside the content folder `top`: the names the loader reads there (`CatalogLoader.reads`).
        case contentFolder(top: String)
        case everything

        func takes(_ name: String) -> Bool {
            switch self {
            case .content: CatalogLoader.contentFolders.contains(name)
            case .contentFolder(let top): CatalogLoader.reads(name, inContentFolder: top)
            case .everything: true
            }
        }

        /// The walk of a sub-folder `name` taken by this walk.
        func inside(_ name: String) -> Walk {
            switch self {
            case .content: .contentFolder(top: name)
            case .contentFolder, .everything: self
            }
        }
    }

    /// One `lstat` per entry: what is not a link, `stat` would see the same.
    private static func folder(_ path: String, relative: String, walk: Walk) -> Folder {
        var hasher = Fingerprint(seed: 0xF01D_E7)
        var newest = 0.0, complete = true
        guard let directory = opendir(path) else { return Folder(digest: hasher.digest, newest: 0, complete: true) }
        // Entries are looked at relative to the open folder: one name to resolve, not the whole path.
        defer { closedir(directory) }
        let folderDescriptor = dirfd(directory)
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            if name != "." && name != "..", walk.takes(name) { names.append(name) }
        }
        var subfolders: [(path: String, relative: String, walk: Walk)] = []
        var stamps: [(String, LoadMemo.Stamp)] = []
        var entries: [(name: String, info: stat?, isFolder: Bool)] = []
        for name in names.sorted() {
            let child = path + "/" + name
            var info = stat()
            guard fstatat(folderDescriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                subfolders.append((child, relative + "/" + name, walk.inside(name)))
                entries.append((relative + "/" + name, info, true))
            } else if (info.st_mode & S_IFMT) == S_IFLNK {
                var target = stat()
                let seen = fstatat(folderDescriptor, name, &target, 0) == 0
                if seen, (target.st_mode & S_IFMT) == S_IFDIR { complete = false }
                entries.append((relative + "/" + name, seen ? target : nil, false))
            } else {
                entries.append((relative + "/" + name, info, false))
                if name.hasSuffix(".prompt"), let stamp = LoadMemo.Stamp(info) { stamps.append((child, stamp)) }
            }
        }
        let walked = subfolders.count >= 16 ? parallelMap(subfolders) { folder($0.path, relative: $0.relative, walk: $0.walk) }
                                            : subfolders.map { folder($0.path, relative: $0.relative, walk: $0.walk) }
        var next = 0
        for entry in entries {
            add(entry.info, name: entry.name, to: &hasher, newest: &newest)
            guard entry.isFolder else { continue }
            let sub = walked[next]
            next += 1
            hasher.add(sub.digest)
            newest = max(newest, sub.newest)
            complete = complete && sub.complete
            stamps += sub.stamps
        }
        return Folder(digest: hasher.digest, newest: newest, complete: complete, stamps: stamps)
    }
}
