import Analytics
import Checks
import Diagnostics
import Foundation
import Project
import PromptCatalog

/// A streaming 64-bit fingerprint (XXH64) of everything an output file is made from.
struct Fingerprint {
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
    static let formatVersion = "promptsite-site-cache-1"

    static func of(theme: Theme, config: SiteConfig) -> UInt64 {
        var hasher = Fingerprint(seed: 0x5175_7E5A_17ED_0001)
        hasher.add(formatVersion)
        hasher.add(BinaryIdentity.current)
        for (name, text) in (theme.templates.map { ($0.key, $0.value) } + theme.assets.map { ("assets/" + $0.key, $0.value) }).sorted(by: { $0.0 < $1.0 }) {
            hasher.add(name)
            hasher.add(text)
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

/// What the last build recorded for one output file.
struct OutputRecord: Sendable, Equatable {
    let fingerprint: UInt64
    let size: Int
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
        if let file = config.file { InputFingerprint.add(file.path, name: "Site.json", to: &hasher, newest: &newest) }
        for root in [config.contentDirectory, config.templatesDirectory] {
            hasher.add(tag: 0xEE)
            InputFingerprint.walk(root.path, relative: "", into: &hasher, newest: &newest, complete: &complete)
        }
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
        hasher.add(name)
        guard stat(path, &info) == 0 else {
            hasher.add(tag: 0xFF)
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

    /// Every entry under `path` in name order (folders too: a deleted file changes its folder).
    private static func walk(_ path: String, relative: String, into hasher: inout Fingerprint, newest: inout Double, complete: inout Bool) {
        add(path, name: relative, to: &hasher, newest: &newest)
        guard let directory = opendir(path) else { return }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(directory)
        for name in names.sorted() {
            let child = path + "/" + name
            var info = stat()
            guard lstat(child, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                walk(child, relative: relative + "/" + name, into: &hasher, newest: &newest, complete: &complete)
            } else {
                if (info.st_mode & S_IFMT) == S_IFLNK {
                    var target = stat()
                    if stat(child, &target) == 0, (target.st_mode & S_IFMT) == S_IFDIR { complete = false }
                }
                add(child, name: relative + "/" + name, to: &hasher, newest: &newest)
            }
        }
    }
}

/// The site cache: what the last build into an output folder was made from, file by file, kept
/// beside the log cache (`.promptsite-cache/site/`). Anything unreadable, damaged or made for
/// another output is ignored with a note, never trusted.
struct SiteCache: Sendable {
    static let markerName = ".promptsite-build"
    let folder: URL

    init(config: SiteConfig) {
        let key = XXH64.hash(Array(config.outputDirectory.standardizedFileURL.path.utf8))
        folder = config.cacheDirectory.appendingPathComponent("site").appendingPathComponent(String(key, radix: 16))
    }

    private var stateFile: URL { folder.appendingPathComponent("state.json") }
    private var filesFile: URL { folder.appendingPathComponent("files.txt") }
    /// What `.Output.spare` holds (the site the last build replaced).
    private var spareFile: URL { folder.appendingPathComponent("spare.txt") }

    /// The output's marker: a fingerprint of every file's fingerprint, the same for the same output.
    static func marker(for records: [String: OutputRecord]) -> String {
        var hasher = Fingerprint(seed: 0x0DD_BA11)
        for (path, record) in records.sorted(by: { $0.key < $1.key }) {
            hasher.add(path)
            hasher.add(record.fingerprint)
        }
        return "promptsite output \(String(hasher.digest, radix: 16))\n"
    }

    enum Freshness {
        case upToDate(State)
        case changed
        case ignored(String)
    }

    /// What the last build stored about itself.
    struct State {
        let inputs: UInt64
        let takenAt: Double
        let marker: String
        let salt: UInt64
        let filesChecksum: UInt64
        let spareChecksum: UInt64?
        let spareMarker: String?
        let diagnostics: [Diagnostic]
        let checkedFiles: [String]
        let pageCount: Int
        let fileCount: Int
        let policyStrict: Bool

        /// What a build that found nothing changed reports: the last build's diagnostics and counts.
        func result(request: BuildRequest, seconds: Double, steps: [StepTime]) -> BuildResult {
            var policy = request.config.checks
            policy.strict = policy.strict || request.strict
            let outcome = CheckOutcome(diagnostics: diagnostics, policy: policy)
            return BuildResult(project: nil, check: outcome, checkedFiles: checkedFiles, wrote: !(request.strict && outcome.failed),
                               pageCount: pageCount, fileCount: fileCount, rendered: 0, reused: fileCount, upToDate: true,
                               notes: [], seconds: seconds, steps: steps)
        }
    }

    /// What writing the output did: every file's record, how many were rendered and reused, and
    /// what the spare holds now (the replaced site, when the cache knew it).
    struct Written {
        let records: [String: OutputRecord]
        let rendered: Int
        let reused: Int
        let spare: (records: [String: OutputRecord], marker: String)?
    }

    /// Writes the prepared files into the output atomically: into the spare when the cache knows
    /// what it holds, else into a fresh folder; unchanged files come from the previous output.
    static func write(_ prepared: PendingOutputs, into output: URL, previous: [String: OutputRecord], cache: SiteCache?,
                      progress: BuildProgress?) throws -> Written {
        let previousMarker = try? String(contentsOf: output.appendingPathComponent(markerName), encoding: .utf8)
        let spare = previous.isEmpty ? nil : cache?.spareFiles(output: output)
        var records: [String: OutputRecord] = [:]
        var rendered = 0, reused = 0
        try OutputWriter.update(output, reuseSpare: spare != nil, invalidate: { cache?.invalidateSpare() }) { staging, usingSpare in
            progress?.total(prepared.count)
            let outcomes: [WriteOutcome]
            if usingSpare, let spare {
                outcomes = try staging.fillSpare(prepared, spare: spare, live: previous, liveRoot: output, progress: progress)
            } else {
                try staging.makeFolders(for: prepared.paths + [markerName])
                outcomes = try staging.writeIncrementally(prepared, previous: previous, previousRoot: output, progress: progress)
            }
            for (path, outcome) in zip(prepared.paths, outcomes) {
                records[path] = OutputRecord(fingerprint: outcome.fingerprint, size: outcome.size)
                if outcome.reused { reused += 1 } else { rendered += 1 }
            }
            unlink(staging.root.appendingPathComponent(markerName).path)
            try staging.write(Data(marker(for: records).utf8), to: markerName)
        }
        // The replaced site is now the spare; the cache knows its files when it knew the previous output's.
        let spareNow = previous.isEmpty ? nil : previousMarker.map { (records: previous, marker: $0) }
        return Written(records: records, rendered: rendered, reused: reused, spare: spareNow)
    }

    func upToDate(inputs: InputFingerprint, output: URL) -> Freshness {
        guard FileManager.default.fileExists(atPath: stateFile.path) else { return .changed }
        guard let state = readState() else { return .ignored("\(stateFile.path) is damaged or from another version") }
        guard let marker = try? String(contentsOf: output.appendingPathComponent(Self.markerName), encoding: .utf8), marker == state.marker else {
            return .changed
        }
        return inputs.matches(state.inputs, recordedAt: state.takenAt) ? .upToDate(state) : .changed
    }

    /// The previous output's files by path, when the output is the one the cache describes and
    /// was made with the same binary, theme and settings.
    /// The previous output's files by path, when the output is the one the cache describes, and
    /// whether they were made with this binary, theme and settings (`sameSalt`). Made otherwise, no
    /// fingerprint can match (each is seeded with the salt), but the records still say what the
    /// output — soon the spare — holds, so the next build refills it instead of re-creating it.
    func previousFiles(output: URL, salt: UInt64, notes: inout [String]) -> (records: [String: OutputRecord], sameSalt: Bool)? {
        guard FileManager.default.fileExists(atPath: stateFile.path) else { return nil }
        guard let state = readState(), let data = try? Data(contentsOf: filesFile) else {
            notes.append("site cache ignored: \(folder.path) is damaged or from another version; every file is rendered")
            return nil
        }
        guard XXH64.hash(Array(data)) == state.filesChecksum, let text = String(data: data, encoding: .utf8) else {
            notes.append("site cache ignored: \(filesFile.path) does not match its checksum; every file is rendered")
            return nil
        }
        guard let marker = try? String(contentsOf: output.appendingPathComponent(Self.markerName), encoding: .utf8), marker == state.marker else {
            return nil
        }
        guard let records = Self.parse(text) else {
            notes.append("site cache ignored: \(filesFile.path) has a damaged line; every file is rendered")
            return nil
        }
        return (records, state.salt == salt)
    }

    /// What the spare folder holds, when the cache describes it and its marker says it is that site.
    func spareFiles(output: URL) -> [String: OutputRecord]? {
        guard let state = readState(), let checksum = state.spareChecksum, let marker = state.spareMarker,
              let data = try? Data(contentsOf: spareFile), XXH64.hash(Array(data)) == checksum,
              let text = String(data: data, encoding: .utf8),
              let found = try? String(contentsOf: OutputWriter.spare(of: output).appendingPathComponent(Self.markerName), encoding: .utf8),
              found == marker else { return nil }
        return Self.parse(text)
    }

    /// Called before the spare folder is touched: from then on the cache no longer vouches for it.
    func invalidateSpare() {
        unlink(spareFile.path)
    }

    private static func parse(_ text: String) -> [String: OutputRecord]? {
        var records: [String: OutputRecord] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 2)
            guard parts.count == 3, let fingerprint = UInt64(parts[0], radix: 16), let size = Int(parts[1]) else { return nil }
            records[String(parts[2])] = OutputRecord(fingerprint: fingerprint, size: size)
        }
        return records
    }

    private static func listing(_ records: [String: OutputRecord]) -> Data {
        var text = ""
        for (path, record) in records.sorted(by: { $0.key < $1.key }) {
            text += String(record.fingerprint, radix: 16) + " \(record.size) " + path + "\n"
        }
        return Data(text.utf8)
    }

    /// Stores what this build was made from (after the new output is in place).
    /// `spare`: what `.Output.spare` now holds (the replaced site), with its marker.
    func record(files: [String: OutputRecord], spare: (records: [String: OutputRecord], marker: String)?, salt: UInt64, inputs: InputFingerprint?,
                output: URL, diagnostics: [Diagnostic], checkedFiles: [String], pageCount: Int) {
        guard let inputs else { return }
        let data = Self.listing(files)
        let spareData = spare.map { Self.listing($0.records) }
        let state = JSONValue.object([
            ("format", .string(BuildSalt.formatVersion)),
            ("inputs", .string(String(inputs.digest, radix: 16))), ("taken_at", .double(inputs.takenAt)),
            ("marker", .string(SiteCache.marker(for: files))), ("salt", .string(String(salt, radix: 16))),
            ("files_checksum", .string(String(XXH64.hash(Array(data)), radix: 16))),
            ("spare_checksum", .optional(spareData.map { String(XXH64.hash(Array($0)), radix: 16) })),
            ("spare_marker", .optional(spare?.marker)),
            ("page_count", .int(pageCount)), ("file_count", .int(files.count)),
            ("checked_files", .array(checkedFiles.map(JSONValue.string))),
            ("diagnostics", .array(diagnostics.map(SiteCache.encode))),
        ])
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // Files first, state last: a state is only ever next to the files it describes.
            try? FileManager.default.removeItem(at: stateFile)
            try data.write(to: filesFile, options: .atomic)
            if let spareData { try spareData.write(to: spareFile, options: .atomic) } else { unlink(spareFile.path) }
            try Data(state.serialized().utf8).write(to: stateFile, options: .atomic)
        } catch {
            try? FileManager.default.removeItem(at: stateFile)
        }
    }

    private func readState() -> State? {
        guard let data = try? Data(contentsOf: stateFile),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["format"] as? String == BuildSalt.formatVersion,
              let inputs = (object["inputs"] as? String).flatMap({ UInt64($0, radix: 16) }),
              let takenAt = (object["taken_at"] as? NSNumber)?.doubleValue,
              let marker = object["marker"] as? String,
              let salt = (object["salt"] as? String).flatMap({ UInt64($0, radix: 16) }),
              let checksum = (object["files_checksum"] as? String).flatMap({ UInt64($0, radix: 16) }),
              let pageCount = object["page_count"] as? Int, let fileCount = object["file_count"] as? Int,
              let checked = object["checked_files"] as? [String], let list = object["diagnostics"] as? [[String: Any]] else { return nil }
        let diagnostics = list.compactMap(SiteCache.decode)
        guard diagnostics.count == list.count else { return nil }
        return State(inputs: inputs, takenAt: takenAt, marker: marker, salt: salt, filesChecksum: checksum,
                     spareChecksum: (object["spare_checksum"] as? String).flatMap { UInt64($0, radix: 16) },
                     spareMarker: object["spare_marker"] as? String, diagnostics: diagnostics,
                     checkedFiles: checked, pageCount: pageCount, fileCount: fileCount, policyStrict: false)
    }

    static func encode(_ diagnostic: Diagnostic) -> JSONValue {
        .object([
            ("level", .string(diagnostic.level.rawValue)), ("code", .string(diagnostic.code)), ("message", .string(diagnostic.message)),
            ("file", .optional(diagnostic.location?.file)), ("line", .optional(diagnostic.location?.line)),
            ("column", .optional(diagnostic.location?.column)), ("hint", .optional(diagnostic.hint)),
        ])
    }

    static func decode(_ object: [String: Any]) -> Diagnostic? {
        guard let level = (object["level"] as? String).flatMap(Severity.init(rawValue:)), let code = object["code"] as? String,
              let message = object["message"] as? String else { return nil }
        let location = (object["file"] as? String).map {
            SourceLocation(file: $0, line: object["line"] as? Int, column: object["column"] as? Int)
        }
        return Diagnostic(level, code, message, at: location, hint: object["hint"] as? String)
    }
}

/// What happened to one file of the output.
struct WriteOutcome: Sendable {
    let reused: Bool
    let size: Int
    let fingerprint: UInt64
}

/// The files to write, each fingerprinted (and its view model boxed) only when the writer reaches
/// it, on the core that writes it: no boxed page waits in memory for the others.
struct PendingOutputs: Sendable {
    let files: [OutputFile]
    let prepare: @Sendable (OutputFile) -> PreparedOutput

    var count: Int { files.count }
    var paths: [String] { files.map(\.path) }
    subscript(index: Int) -> PreparedOutput { prepare(files[index]) }
}

extension StagingFolder {
    /// Writes every file on all cores: a file whose fingerprint the previous output recorded (with
    /// the same size on disk) is hard-linked from it (copied where links are not possible); the
    /// others are rendered right before being written.
    func writeIncrementally(_ outputs: PendingOutputs, previous: [String: OutputRecord], previousRoot: URL,
                            progress: BuildProgress?) throws -> [WriteOutcome] {
        let results = parallelMap(Array(0..<outputs.count)) { index -> Result<WriteOutcome, BuildError> in
            let output = outputs[index]
            defer { progress?.advance() }
            if let record = previous[output.path], record.fingerprint == output.fingerprint,
               reuse(output.path, from: previousRoot, size: record.size) {
                return .success(WriteOutcome(reused: true, size: record.size, fingerprint: output.fingerprint))
            }
            return render(output)
        }
        return try results.map { try $0.get() }
    }

    /// Renders one file and writes it (its folder exists).
    func render(_ output: PreparedOutput) -> Result<WriteOutcome, BuildError> {
        do {
            let data = try output.produce()
            try write(data, to: output.path)
            return .success(WriteOutcome(reused: false, size: data.count, fingerprint: output.fingerprint))
        } catch let error as BuildError {
            return .failure(error)
        } catch {
            return .failure(BuildError(step: "render and write", message: "\(output.path): \(error)"))
        }
    }

    /// Takes `path` from the previous output when it is a plain file of the recorded size.
    private func reuse(_ path: String, from previousRoot: URL, size: Int) -> Bool {
        guard OutputWriter.isSafeRelativePath(path) else { return false }
        let old = previousRoot.appendingPathComponent(path).path, new = root.appendingPathComponent(path).path
        var info = stat()
        guard lstat(old, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == size else { return false }
        if link(old, new) == 0 { return true }
        guard let data = FileManager.default.contents(atPath: old), data.count == size else { return false }
        return OutputWriter.writeFile(data, to: new) == nil
    }
}
