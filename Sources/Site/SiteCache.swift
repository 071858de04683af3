import Analytics
import Checks
import Diagnostics
import Foundation
import Project
import PromptCatalog
import Similarity

/// What the last build recorded for one output file.
struct OutputRecord: Sendable, Equatable {
    let fingerprint: UInt64
    let size: Int
    /// A keyed page's inputs (PageKeys.swift): the next build skips planning it when they are the same.
    var key: UInt64? = nil
    /// The file's modification time as written (nanoseconds since 1970): a page edited by hand
    /// keeping its size has another, and is not taken as the build's.
    var modified: Int64 = 0

    /// Whether `info` is this record's file as written: a plain file of its size and time.
    func describes(_ info: stat) -> Bool {
        (info.st_mode & S_IFMT) == S_IFREG && Int(info.st_size) == size && info.modifiedNanoseconds == modified
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

    /// Whether a build into this output recorded itself: a first build (none did) keeps no memos.
    var recordedBefore: Bool { access(stateFile.path, F_OK) == 0 }

    /// The output's marker: a fingerprint of every file's path and fingerprint, the same for the same
    /// output. Each file is hashed on its own and the hashes are summed (two independent sums, 128
    /// bits), so no order is needed: a build computes it four times over tens of thousands of
    /// files, and sorting them each time was most of a one-edit rebuild's serial tail.
    static func marker(for records: [String: OutputRecord]) -> String {
        var sum: UInt64 = 0, mixed: UInt64 = 0
        for (path, record) in records {
            var hasher = Fingerprint(seed: 0x0DD_BA11)
            hasher.add(path)
            hasher.add(record.fingerprint)
            let digest = hasher.digest
            sum &+= digest
            mixed &+= mix(digest ^ 0x9E37_79B9_7F4A_7C15)
        }
        return "promptsite output \(String(records.count, radix: 16))-\(String(sum, radix: 16))-\(String(mixed, radix: 16))\n"
    }

    /// A 64-bit finaliser (splitmix64's): one file's hash, spread again for the second sum.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
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
        /// When the output went live, and when the spare did (it was the output before): a folder
        /// of theirs changed since holds something a build did not put there (`fillSpare`).
        let liveSince: Double?
        let spareLiveSince: Double?
        let diagnostics: [Diagnostic]
        let checkedFiles: [String]
        let pageCount: Int
        let fileCount: Int

        /// What a build that found nothing changed reports: the last build's diagnostics and counts.
        func result(request: BuildRequest, seconds: Double, steps: [StepTime]) -> BuildResult {
            var policy = request.config.checks
            policy.strict = policy.strict || request.strict
            let outcome = CheckOutcome(diagnostics: diagnostics, policy: policy)
            return BuildResult(project: nil, check: outcome, checkedFiles: checkedFiles, wrote: !(policy.strict && outcome.failed),
                               pageCount: pageCount, fileCount: fileCount, rendered: 0, reused: fileCount, upToDate: true,
                               notes: [], seconds: seconds, steps: steps)
        }
    }

    /// What writing the output did: every file's record, how many were rendered and reused, and
    /// what the spare holds now (the replaced site, when the cache knew it).
    struct Written {
        let records: [String: OutputRecord]
        /// The new output's marker (`marker(for: records)`).
        let marker: String
        let rendered: Int
        let reused: Int
        let keyMatched: Int
        let spare: SpareRecord?
    }

    /// What the spare holds, its marker, and when it went live as the output.
    struct SpareRecord {
        let records: [String: OutputRecord]
        let marker: String
        let liveSince: Double?
    }

    /// Writes the prepared files into the output atomically: into the spare when the cache knows
    /// what it holds, else into a fresh folder; unchanged files come from the previous output.
    /// `spare`: what the spare folder holds, when the cache describes it (`Previous.spare`).
    /// `liveSince`: when the output went live; `spareLiveSince`: when the spare did.
    static func write(_ prepared: PendingOutputs, into output: URL, previous: [String: OutputRecord], spare: [String: OutputRecord]?,
                      liveSince: Double? = nil, spareLiveSince: Double? = nil, cache: SiteCache?, progress: BuildProgress?) throws -> Written {
        var records: [String: OutputRecord] = [:]
        var rendered = 0, reused = 0, keyMatched = 0
        var marker = ""
        // Checked under the lock: a build that started earlier may have replaced the output and the
        // spare since the cache was read (its records then describe sites that are gone).
        var trusted = true
        let described = {
            trusted = Self.holds(output, previous) && (spare.map { Self.holds(OutputWriter.spare(of: output), $0) } ?? true)
            return trusted
        }
        try OutputWriter.update(output, reuseSpare: spare != nil, described: described, invalidate: { cache?.invalidateSpare() }) { staging, use in
            progress?.total(prepared.count)
            let live = trusted ? previous : [:]
            let outcomes: [WriteOutcome]
            if use != .fresh {
                // A spare taken as unknown has no records and no time it went live: every folder is
                // swept, every file written or linked from the live output.
                let described = use == .described
                outcomes = try staging.fillSpare(prepared, spare: described ? spare ?? [:] : [:], changedSince: described ? spareLiveSince : nil,
                                                 live: live, liveRoot: output, progress: progress)
            } else {
                try staging.makeFolders(for: prepared.paths + [markerName])
                outcomes = try staging.writeIncrementally(prepared, previous: live, previousRoot: output, progress: progress)
            }
            for (path, outcome) in zip(prepared.paths, outcomes) {
                records[path] = outcome.record
                if outcome.reused { reused += 1 } else { rendered += 1 }
                if outcome.keyMatched { keyMatched += 1 }
            }
            marker = Self.marker(for: records)
            if let problem = OutputWriter.replaceFile(Data(marker.utf8), at: staging.path(of: markerName)) { throw OutputWriter.Refusal(description: problem) }
        }
        // The replaced site is now the spare; the cache knows its files when it knew the previous output's.
        let spareNow = previous.isEmpty || !trusted ? nil : SpareRecord(records: previous, marker: Self.marker(for: previous), liveSince: liveSince)
        return Written(records: records, marker: marker, rendered: rendered, reused: reused, keyMatched: keyMatched, spare: spareNow)
    }

    /// Whether `folder` is the site `records` describe (its marker is theirs); no records, no claim.
    static func holds(_ folder: URL, _ records: [String: OutputRecord]) -> Bool {
        records.isEmpty || (try? String(contentsOf: folder.appendingPathComponent(markerName), encoding: .utf8)) == marker(for: records)
    }

    func upToDate(inputs: InputFingerprint, output: URL) -> Freshness {
        guard FileManager.default.fileExists(atPath: stateFile.path) else { return .changed }
        guard let state = readState() else { return .ignored("\(stateFile.path) is damaged or from another version") }
        guard let marker = try? String(contentsOf: output.appendingPathComponent(Self.markerName), encoding: .utf8), marker == state.marker else {
            return .changed
        }
        guard inputs.matches(state.inputs, recordedAt: state.takenAt) else { return .changed }
        return outputIsIntact(state: state, output: output) ? .upToDate(state) : .changed
    }

    /// Whether every file the last build wrote is still in the output, a plain file of the size
    /// and modification time it was written with: a deleted or overwritten page (even to the same
    /// size) is written again by the next build
    /// instead of staying broken behind "up to date". One `lstat` per file, on all cores.
    private func outputIsIntact(state: State, output: URL) -> Bool {
        guard let data = try? Data(contentsOf: filesFile), XXH64.hash(Array(data)) == state.filesChecksum,
              let text = String(data: data, encoding: .utf8), let records = Self.parse(text) else { return false }
        let files = Array(records)
        // Paths are resolved from the open output folder, not from the root of the file system.
        let root = open(output.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { return false }
        defer { close(root) }
        let parts = max(1, min(files.count / 512, 64))
        return !parallelMap(Array(0..<parts)) { part -> Bool in
            var index = part
            while index < files.count {
                let (path, record) = files[index]
                var info = stat()
                guard OutputWriter.isSafeRelativePath(path), fstatat(root, path, &info, AT_SYMLINK_NOFOLLOW) == 0, record.describes(info) else { return false }
                index += parts
            }
            return true
        }.contains(false)
    }

    /// What the last build left: its output's files, what the spare holds, and notes for the user.
    struct Previous: Sendable {
        let files: (records: [String: OutputRecord], sameSalt: Bool)?
        let spare: [String: OutputRecord]?
        /// When the output and the spare went live (`State`).
        var liveSince: Double? = nil
        var spareLiveSince: Double? = nil
        /// The checksum of `files.txt`, which lists `files` (it becomes the spare's listing).
        let filesChecksum: UInt64?
        let notes: [String]
    }

    /// Reads what the last build recorded (on another thread while the content loads).
    func previous(output: URL, salt: UInt64) -> Previous {
        var notes: [String] = []
        guard FileManager.default.fileExists(atPath: stateFile.path) else { return Previous(files: nil, spare: nil, filesChecksum: nil, notes: []) }
        // The state is read once for both listings.
        let state = readState()
        let files = previousFiles(state: state, output: output, salt: salt, notes: &notes)
        let spare = files == nil ? nil : state.flatMap { spareFiles(state: $0, output: output, notes: &notes) }
        var previous = Previous(files: files, spare: spare, filesChecksum: files == nil ? nil : state?.filesChecksum, notes: notes)
        previous.liveSince = state?.liveSince
        previous.spareLiveSince = state?.spareLiveSince
        return previous
    }

    /// The previous output's files by path, when the output is the one the cache describes, and
    /// whether they were made with this binary, theme and settings (`sameSalt`). Made otherwise, no
    /// fingerprint can match (each is seeded with the salt), but the records still say what the
    /// output — soon the spare — holds, so the next build refills it instead of re-creating it.
    private func previousFiles(state: State?, output: URL, salt: UInt64, notes: inout [String]) -> (records: [String: OutputRecord], sameSalt: Bool)? {
        guard let state, let data = try? Data(contentsOf: filesFile) else {
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
    private func spareFiles(state: State, output: URL, notes: inout [String]) -> [String: OutputRecord]? {
        guard let checksum = state.spareChecksum, let marker = state.spareMarker, let data = try? Data(contentsOf: spareFile) else { return nil }
        guard XXH64.hash(Array(data)) == checksum, let text = String(data: data, encoding: .utf8), let records = Self.parse(text) else {
            notes.append("site cache: \(spareFile.path) does not match its checksum or cannot be read; the spare is refilled whole")
            return nil
        }
        guard let found = try? String(contentsOf: OutputWriter.spare(of: output).appendingPathComponent(Self.markerName), encoding: .utf8),
              found == marker else { return nil }
        return records
    }

    /// Called before the spare folder is touched: from then on the cache no longer vouches for it.
    func invalidateSpare() {
        unlink(spareFile.path)
    }

    /// `fingerprint size key|- modified path` per line (hexadecimal, decimal, hexadecimal, decimal), read on bytes:
    /// tens of thousands of lines per build.
    static func parse(_ text: String) -> [String: OutputRecord]? {
        var text = text
        return text.withUTF8 { bytes -> [String: OutputRecord]? in
            var records: [String: OutputRecord] = [:]
            records.reserveCapacity(bytes.count / 60)
            var position = 0
            func number(radix: UInt64, allowDash: Bool, allowMinus: Bool = false) -> UInt64?? {
                // A time before 1970 (a clock set wrong) is written with a minus.
                if allowMinus, position < bytes.count, bytes[position] == UInt8(ascii: "-") {
                    position += 1
                    guard let value = number(radix: radix, allowDash: false), let value, value <= UInt64(Int64.max) else { return nil }
                    return .some(UInt64(bitPattern: -Int64(value)))
                }
                if allowDash, position < bytes.count, bytes[position] == UInt8(ascii: "-") {
                    position += 1
                    guard position < bytes.count, bytes[position] == UInt8(ascii: " ") else { return nil }
                    position += 1
                    return .some(nil)
                }
                var value: UInt64 = 0, digits = 0
                while position < bytes.count, bytes[position] != UInt8(ascii: " ") {
                    let byte = bytes[position]
                    let digit: UInt64
                    switch byte {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
                    case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: digit = UInt64(byte - UInt8(ascii: "a") + 10)
                    default: return nil
                    }
                    let (shifted, overflow) = value.multipliedReportingOverflow(by: radix)
                    guard !overflow, digits < 20 else { return nil }
                    value = shifted &+ digit
                    digits += 1
                    position += 1
                }
                guard digits > 0, position < bytes.count else { return nil }
                position += 1
                return .some(value)
            }
            while position < bytes.count {
                guard let fingerprint = number(radix: 16, allowDash: false) ?? nil,
                      let size = number(radix: 10, allowDash: false) ?? nil, size <= UInt64(Int.max),
                      let key = number(radix: 16, allowDash: true),
                      let modified = number(radix: 10, allowDash: false, allowMinus: true) ?? nil else { return nil }
                let start = position
                while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
                guard position > start, position < bytes.count else { return nil }
                records[String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)] =
                    OutputRecord(fingerprint: fingerprint, size: Int(size), key: key, modified: Int64(bitPattern: modified))
                position += 1
            }
            return records
        }
    }

    static func listing(_ records: [String: OutputRecord]) -> Data {
        var text = ""
        text.reserveCapacity(records.count * 64)
        // In the dictionary's order: the listing is read back into a dictionary, and its checksum is
        // taken from the bytes written.
        for (path, record) in records {
            text += String(record.fingerprint, radix: 16)
            text += " "
            text += String(record.size)
            text += " "
            text += record.key.map { String($0, radix: 16) } ?? "-"
            text += " "
            text += String(record.modified)
            text += " "
            text += path
            text += "\n"
        }
        return Data(text.utf8)
    }

    /// Stores what this build was made from (after the new output is in place).
    /// `spare`: what `.Output.spare` now holds (the replaced site), with its marker.
    /// `spare`: the previous output's records, which `files.txt` lists as they are (its checksum
    /// `previousChecksum`): that listing becomes `spare.txt` (renamed, not written again).
    func record(files: [String: OutputRecord], marker: String, spare: SpareRecord?,
                previousChecksum: UInt64?, salt: UInt64, inputs: InputFingerprint?, output: URL, diagnostics: [Diagnostic],
                checkedFiles: [String], pageCount: Int) {
        guard let inputs else { return }
        let data = Self.listing(files)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // Files first, state last: a state is only ever next to the files it describes.
            try? FileManager.default.removeItem(at: stateFile)
            var spareChecksum: UInt64?
            if let spare {
                if let previousChecksum, rename(filesFile.path, spareFile.path) == 0 {
                    spareChecksum = previousChecksum
                } else {
                    let spareData = Self.listing(spare.records)
                    try spareData.write(to: spareFile, options: .atomic)
                    spareChecksum = XXH64.hash(Array(spareData))
                }
            } else {
                unlink(spareFile.path)
            }
            try data.write(to: filesFile, options: .atomic)
            let state = JSONValue.object([
                ("format", .string(BuildSalt.formatVersion)),
                ("inputs", .string(String(inputs.digest, radix: 16))), ("taken_at", .double(inputs.takenAt)),
                ("marker", .string(marker)), ("salt", .string(String(salt, radix: 16))),
                ("files_checksum", .string(String(XXH64.hash(Array(data)), radix: 16))),
                ("spare_checksum", .optional(spareChecksum.map { String($0, radix: 16) })),
                ("spare_marker", .optional(spare?.marker)),
                // The output went live just now (the real clock, as file times are).
                ("live_since", .double(Date().timeIntervalSince1970)), ("spare_live_since", spare?.liveSince.map { .double($0) } ?? .null),
                ("page_count", .int(pageCount)), ("file_count", .int(files.count)),
                ("checked_files", .array(checkedFiles.map(JSONValue.string))),
                ("diagnostics", .array(diagnostics.map(SiteCache.encode))),
            ])
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
                     spareMarker: object["spare_marker"] as? String,
                     liveSince: (object["live_since"] as? NSNumber)?.doubleValue, spareLiveSince: (object["spare_live_since"] as? NSNumber)?.doubleValue,
                     diagnostics: diagnostics,
                     checkedFiles: checked, pageCount: pageCount, fileCount: fileCount)
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

/// What earlier builds of this content parsed and measured, kept beside the site cache: the
/// parsed versions (`.promptsite-cache/versions/`: a build parses only the version files whose
/// `stat` stamp changed since) and what near-duplicate detection made of each prompt's text
/// (`.promptsite-cache/similar/`: only changed texts are cut into words and signed). Each is
/// written with the binary's identity: another binary's, or a damaged one, is ignored with a note.
public struct StoredMemos: Sendable {
    let versionsFile: URL
    let similarFile: URL
    public let versions: LoadMemo
    public let similar: SimilarityMemo

    /// The memos a build kept for this content, for a command that loads it without building
    /// (`check`): nil when no build kept any (or the cache folder cannot be used).
    public static func kept(for config: SiteConfig) -> StoredMemos? {
        guard FileManager.default.fileExists(atPath: file("versions", for: config).path) else { return nil }
        return StoredMemos(config: config, clock: { Date().timeIntervalSince1970 })
    }

    /// `<cache>/<kind>/<hash of the content folder's path>.bin`.
    private static func file(_ kind: String, for config: SiteConfig) -> URL {
        let key = String(XXH64.hash(Array(config.contentDirectory.standardizedFileURL.path.utf8)), radix: 16) + ".bin"
        return config.cacheDirectory.appendingPathComponent(kind).appendingPathComponent(key)
    }

    /// Nil when the cache folder cannot be written safely (`SiteConfig.cacheFolderProblem`).
    init?(config: SiteConfig, clock: @escaping @Sendable () -> Double) {
        versionsFile = Self.file("versions", for: config)
        similarFile = Self.file("similar", for: config)
        for file in [versionsFile, similarFile] {
            guard SiteConfig.cacheFolderProblem(file.deletingLastPathComponent(), in: config.cacheDirectory) == nil else { return nil }
        }
        // The similarity memo is read on another thread: it is needed only once the content is loaded.
        similar = SimilarityMemo.reading(identity: BinaryIdentity.current) { [similarFile] in
            SourceFile.cacheFile(similarFile, maximumBytes: SimilarityMemo.maximumFileBytes).mapError { $0 as any Error }
        }
        (versions, versionNote) = LoadMemo.reading(versionsFile, identity: BinaryIdentity.current, clock: clock)
    }

    private let versionNote: String?

    /// Why a memo on disk was not used (the similarity memo's once it is read).
    public var notes: [String] { [versionNote, similar.note].compactMap { $0 } }

    /// Writes each memo the build changed enough; why one could not be written.
    public func save() -> [String] {
        var problems: [String] = []
        if versions.changedByLastLoad, let problem = Self.replace(versionsFile, with: versions.encoded(identity: BinaryIdentity.current)) {
            problems.append("parsed-version cache not written: \(problem)")
        }
        if similar.changedByLastRun, let problem = Self.replace(similarFile, with: similar.encoded(identity: BinaryIdentity.current)) {
            problems.append("similarity cache not written: \(problem)")
        }
        return problems
    }

    /// Writes `data` beside `file` and renames it over it (a reader never sees half a memo); a
    /// build killed meanwhile leaves its temporary file, removed by a later write once it is an
    /// hour old (a younger one may be another build's, still writing). Why it failed, or nil.
    static func replace(_ file: URL, with data: Data) -> String? {
        let folder = file.deletingLastPathComponent()
        let prefix = ".\(file.lastPathComponent)."
        if let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) {
            for name in names where name.hasPrefix(prefix) {
                var info = stat()
                let path = folder.appendingPathComponent(name).path
                if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Double(info.st_mtim.tv_sec) < Date().timeIntervalSince1970 - 3600 { unlink(path) }
            }
        }
        let temporary = folder.appendingPathComponent(prefix + UUID().uuidString)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try data.write(to: temporary)
            guard rename(temporary.path, file.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
            return nil
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            return error.localizedDescription
        }
    }
}
