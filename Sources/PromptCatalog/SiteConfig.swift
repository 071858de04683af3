import Diagnostics
import Foundation

/// `Site.json`: where things are and how the site and checks behave.
public struct SiteConfig: Sendable {
    public var title = "Prompt catalog"
    public var baseURL = "/"
    /// Folders, resolved against the directory that holds Site.json.
    public var contentDirectory: URL
    public var templatesDirectory: URL
    public var outputDirectory: URL
    /// Where log aggregates are kept between builds (`cache` in Site.json; default `.promptsite-cache`).
    public var cacheDirectory: URL
    public var defaultProviders: [String] = []
    /// Where each of `defaultProviders` is written in Site.json (line, column), for the diagnostics about it.
    public var defaultProviderLines: [String: (line: Int, column: Int?)] = [:]
    public var minSamples = 30
    public var confidence = 0.95
    public var similarityThreshold = 0.85
    /// Log lines longer than this many bytes are skipped as malformed (`logs.maxLineBytes`).
    public var maximumLogLineBytes = 1 << 20
    /// The column names of the log files: `promptsite` (SPEC §2.10) or `langfuse` (`logs.preset`).
    public var logPreset = "promptsite"
    public static let logPresets = ["promptsite", "langfuse"]
    /// Generation logs in PostgreSQL (`logs.postgres`), read as aggregates; nil when not configured.
    public var logDatabase: LogDatabaseConfig?
    public var checks = CheckPolicy()
    /// The `checks.ignore`/`checks.errors` patterns naming plugin codes, where they are written.
    public var pluginCodePatterns: [(key: String, pattern: Located<String>)] = []
    public var unsafeHTML = false
    /// `contentPacks.flaggedWords`: words added to PixSim7's flagged-word lint of content-pack texts.
    public var flaggedWords: [FlaggedWord] = []
    /// The config file, when one was read.
    public var file: URL?
    /// `build --base <rev>`: the git revision the site's review page compares with (not read from Site.json).
    public var reviewBase: String?

    /// Defaults for a project rooted at `root`, as if Site.json were empty.
    public init(root: URL) {
        contentDirectory = root.appendingPathComponent("Content")
        templatesDirectory = root.appendingPathComponent("Templates")
        outputDirectory = root.appendingPathComponent("Output")
        cacheDirectory = root.appendingPathComponent(".promptsite-cache")
    }

    /// Why a config could not be used; `check` and `build` exit with 2.
    public struct Unreadable: Error, Sendable {
        public let diagnostics: [Diagnostic]
    }

    /// Reads Site.json. Unknown fields are warnings; anything that leaves the
    /// configuration unusable (unreadable file, bad JSON, wrong types) is `Unreadable`.
    public static func load(from file: URL) -> Result<(SiteConfig, [Diagnostic]), Unreadable> {
        let name = file.lastPathComponent
        let text: String
        switch SourceFile.read(file, relativePath: name) {
        case .success(let read): text = read
        case .failure(let diagnostic): return .failure(Unreadable(diagnostics: [diagnostic]))
        }
        // Valid JSON the YAML reader refuses (a repeated key, a key over 1,024 characters) is
        // reported where it is, not as "must be a JSON object" at 1:1.
        let parsed: SourceNode
        switch readJSONDocument(text, file: name, what: name) {
        case .success(let node): parsed = node
        case .failure(let problem): return .failure(Unreadable(diagnostics: [problem]))
        }
        guard let node = Optional(parsed), node.members != nil else {
            return .failure(Unreadable(diagnostics: [.error("invalid-field", "\(name) must be a JSON object", at: SourceLocation(file: name, line: 1, column: 1),
                                                            hint: "start from the example in the README")]))
        }
        var config = SiteConfig(root: file.deletingLastPathComponent())
        config.file = file
        let diagnostics = config.read(node, name: name)
        if diagnostics.contains(where: { $0.level == .error }) { return .failure(Unreadable(diagnostics: diagnostics)) }
        return .success((config, diagnostics))
    }

    private mutating func read(_ node: SourceNode, name: String) -> [Diagnostic] {
        let root = file?.deletingLastPathComponent() ?? URL(fileURLWithPath: ".")
        var reader = FieldReader(node, schema: ContentSchemas.site, what: name)
        title = reader.string("title") ?? title
        if let url = reader.string("baseURL") {
            if Self.isSafeBaseURL(url) {
                baseURL = url
            } else {
                reader.report(.error("invalid-field", "`baseURL` must be a path starting with `/` or an http(s) address, not `\(url.visibleControls())`",
                                     at: node["baseURL"]?.location, hint: "e.g. \"/\" or \"https://example.org/prompts/\""))
            }
        }
        if let path = reader.string("content") { contentDirectory = Self.resolve(path, against: root) }
        if let path = reader.string("templates") { templatesDirectory = Self.resolve(path, against: root) }
        if let path = reader.string("output") { outputDirectory = Self.resolve(path, against: root) }
        if let path = reader.string("cache") { cacheDirectory = Self.resolve(path, against: root) }
        if reader.field("defaultProviders") != nil {
            let named = reader.strings("defaultProviders")
            defaultProviders = named.map(\.value)
            for provider in named where defaultProviderLines[provider.value] == nil {
                defaultProviderLines[provider.value] = provider.location.line.map { ($0, provider.location.column) }
            }
        }
        var diagnostics: [Diagnostic] = []
        if let analytics = reader.mapping("analytics") {
            var section = FieldReader(analytics, schema: ContentSchemas.siteAnalytics, what: "\(name) analytics")
            minSamples = section.int("minSamples", in: 1...FieldReader.largestInt) ?? minSamples
            confidence = section.double("confidence", in: 0...1, openBelow: true, openAbove: true) ?? confidence
            section.reportUnknownFields()
            diagnostics += section.diagnostics
        }
        if let logs = reader.mapping("logs") {
            var section = FieldReader(logs, schema: ContentSchemas.siteLogs, what: "\(name) logs")
            if let bytes = section.int("maxLineBytes") {
                if bytes >= 64 {
                    maximumLogLineBytes = bytes
                } else {
                    diagnostics.append(.error("invalid-field", "`logs.maxLineBytes` must be at least 64, found \(bytes)",
                                              at: logs["maxLineBytes"]?.location ?? logs.location,
                                              hint: "the default is 1048576 (1 MiB)"))
                }
            }
            if let preset = section.string("preset") {
                if Self.logPresets.contains(preset) {
                    logPreset = preset
                } else {
                    diagnostics.append(.error("invalid-field", "`logs.preset` must be \(Self.logPresets.joined(separator: " or ")), found `\(preset)`",
                                              at: logs["preset"]?.location ?? logs.location,
                                              hint: "`langfuse` reads Langfuse observation exports; leave it out for the columns in the README"))
                }
            }
            if let postgres = section.mapping("postgres") {
                var database = FieldReader(postgres, schema: ContentSchemas.siteLogsPostgres, what: "\(name) logs.postgres")
                var settings = LogDatabaseConfig(location: postgres.location)
                settings.url = database.string("url")
                settings.urlEnvironment = database.string("urlEnv")
                if let preset = database.string("preset") {
                    if LogDatabaseConfig.presets.contains(preset) {
                        settings.preset = preset
                    } else {
                        diagnostics.append(.error("invalid-field", "`logs.postgres.preset` must be \(LogDatabaseConfig.presets.joined(separator: " or ")), found `\(preset)`",
                                                  at: postgres["preset"]?.location ?? postgres.location,
                                                  hint: "`pixsim7` reads PixSim7's generations tables; `promptsite` a table with the log columns"))
                    }
                }
                settings.table = database.string("table") ?? settings.table
                settings.timeoutSeconds = database.int("timeoutSeconds", in: 1...86_400) ?? settings.timeoutSeconds
                database.reportUnknownFields()
                diagnostics += database.diagnostics
                logDatabase = settings
            }
            section.reportUnknownFields()
            diagnostics += section.diagnostics
        }
        if let similarity = reader.mapping("similarity") {
            var section = FieldReader(similarity, schema: ContentSchemas.siteSimilarity, what: "\(name) similarity")
            similarityThreshold = section.double("threshold", in: 0...1, openBelow: true) ?? similarityThreshold
            section.reportUnknownFields()
            diagnostics += section.diagnostics
        }
        if let checksNode = reader.mapping("checks") {
            var section = FieldReader(checksNode, schema: ContentSchemas.siteChecks, what: "\(name) checks")
            checks.strict = section.bool("strict") ?? false
            let ignore = section.strings("ignore"), errors = section.strings("errors")
            checks.ignore = Set(ignore.map(\.value))
            checks.errors = Set(errors.map(\.value))
            // A misspelled code would silence nothing and fail nothing, in silence.
            for (key, patterns) in [("ignore", ignore), ("errors", errors)] {
                for pattern in patterns {
                    // Plugin codes are known once the plugins are loaded (`PluginRules`).
                    if pattern.value.hasPrefix("plugin:") { pluginCodePatterns.append((key: key, pattern: pattern)) }
                    guard let problem = DiagnosticCodes.problem(with: pattern.value) else { continue }
                    let suggestion = closestMatch(to: pattern.value, in: DiagnosticCodes.all.sorted()).map { "did you mean `\($0)`? " } ?? ""
                    diagnostics.append(.warning("invalid-field", "`checks.\(key)` names `\(pattern.value)`, which \(problem)", at: pattern.location,
                                                hint: "\(suggestion)codes are listed in the README's Checks table; `pack-*` matches a prefix"))
                }
            }
            section.reportUnknownFields()
            diagnostics += section.diagnostics
        }
        if let packs = reader.mapping("contentPacks") {
            var section = FieldReader(packs, schema: ContentSchemas.siteContentPacks, what: "\(name) contentPacks")
            if let list = section.field("flaggedWords") {
                if let items = list.items {
                    for item in items {
                        switch FlaggedWord.read(item) {
                        case .success(let word): flaggedWords.append(word)
                        case .failure(let diagnostic): diagnostics.append(diagnostic)
                        }
                    }
                } else {
                    section.mistyped("flaggedWords", list, expected: "a list of `{ pattern, suggestion }`")
                }
            }
            section.reportUnknownFields()
            diagnostics += section.diagnostics
        }
        if let markdown = reader.mapping("markdown") {
            var section = FieldReader(markdown, schema: ContentSchemas.siteMarkdown, what: "\(name) markdown")
            unsafeHTML = section.bool("unsafeHTML") ?? false
            section.reportUnknownFields()
            diagnostics += section.diagnostics
        }
        reader.reportUnknownFields()
        return reader.diagnostics + diagnostics
    }

    /// Why a folder the settings name cannot be read as one ("does not exist", "is not a folder"),
    /// nil when it is a folder: the content folder of every command that reads it, `--templates`.
    public static func folderProblem(_ folder: URL) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else { return "does not exist" }
        return isDirectory.boolValue ? nil : "is not a folder"
    }

    /// Why writing into `folder` (inside the cache folder) could land elsewhere: the cache folder, or
    /// a folder on the way down to `folder`, is a symbolic link or not a folder. A cache folder is in
    /// the checkout, so a pull request can commit `.promptsite-cache` as a link out of the project.
    /// Nil when each of them that exists is a folder of its own.
    public static func cacheFolderProblem(_ folder: URL, in cache: URL) -> String? {
        let root = cache.standardizedFileURL.path, target = folder.standardizedFileURL.path
        guard target == root || target.hasPrefix(root + "/") else { return "\(target) is not inside the cache folder \(root)" }
        var path = root
        let below = target.dropFirst(root.count).split(separator: "/")
        for next in [nil] + below.map(Optional.some) {
            if let next { path += "/" + next }
            var info = stat()
            guard lstat(path, &info) == 0 else { return nil }
            if info.st_mode & S_IFMT == S_IFLNK { return "\(path) is a symbolic link: the cache is not written through it" }
            if info.st_mode & S_IFMT != S_IFDIR { return "\(path) is not a folder" }
        }
        return nil
    }

    private static func resolve(_ path: String, against root: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
    }
}

/// Strict JSON validation (YAML accepts more than JSON), reporting the first problem's line.
enum JSONSyntax {
    static func firstProblem(in text: String, file: String) -> Diagnostic? {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            return nil
        } catch {
            let nsError = error as NSError
            let detail = (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
            // Darwin gives the index in userInfo; Linux only in the text ("around character 30").
            var index = (nsError.userInfo["NSJSONSerializationErrorIndex"] as? Int) ?? 0
            if index == 0, let match = try? /character (\d+)/.firstMatch(in: detail), let found = Int(match.1) { index = found }
            // A number out of range and a lone surrogate are reported without an index: find them.
            if index == 0, let match = try? /Number (\S+) is not representable/.firstMatch(in: detail),
               let range = text.range(of: String(match.1)) {
                index = text.utf8.distance(from: text.startIndex, to: range.lowerBound)
            }
            if index == 0, detail.contains("surrogate"),
               let match = try? /\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])/.firstMatch(in: text) {
                index = text.utf8.distance(from: text.startIndex, to: match.range.lowerBound)
            }
            // An unterminated document is reported without an index: point at its end.
            if index == 0, detail.lowercased().contains("end of file") { index = text.utf8.count }
            var position = Self.position(ofUTF8Offset: index, in: text)
            // When the message names a line and column, the location says the same.
            if let match = try? /line (\d+), column (\d+)/.firstMatch(in: detail), let line = Int(match.1), let column = Int(match.2) {
                position = (line, column)
            }
            return .error("json-syntax", "invalid JSON: \(detail)", at: SourceLocation(file: file, line: position.line, column: position.column),
                          hint: "check for a missing comma, quote or bracket near this position")
        }
    }

    static func position(ofUTF8Offset offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        var consumed = 0
        for character in text {
            if consumed >= offset { break }
            consumed += character.utf8.count
            if character == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}

extension SiteConfig {
    /// Every link of the site starts with the base URL: a `javascript:` or `data:` one would run
    /// or replace what a reader clicks. Paths (`/`, `/prompts/`) and http(s) addresses pass.
    static func isSafeBaseURL(_ url: String) -> Bool {
        guard !url.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || $0 == "\\" }) else { return false }
        if url.hasPrefix("/") { return !url.hasPrefix("//") }
        let lowered = url.lowercased()
        return (lowered.hasPrefix("https://") || lowered.hasPrefix("http://")) && url.count > lowered.prefix(while: { $0 != ":" }).count + 3
    }
}

/// `logs.postgres` in Site.json: where generation logs live in PostgreSQL and how they are laid out.
public struct LogDatabaseConfig: Sendable, Equatable {
    public static let presets = ["pixsim7", "promptsite"]
    /// A libpq connection URL or `key=value` string written in Site.json.
    public var url: String?
    /// An environment variable holding the URL (read at build time; it wins over `url` when set).
    public var urlEnvironment: String?
    public var preset = "promptsite"
    /// The table of generations (the preset's main table).
    public var table = "generations"
    public var timeoutSeconds = 30
    /// Where `logs.postgres` is written in Site.json: every database diagnostic points here.
    public var location: SourceLocation

    public init(url: String? = nil, urlEnvironment: String? = nil, preset: String = "promptsite", table: String = "generations",
                timeoutSeconds: Int = 30, location: SourceLocation) {
        self.url = url
        self.urlEnvironment = urlEnvironment
        self.preset = preset
        self.table = table
        self.timeoutSeconds = timeoutSeconds
        self.location = location
    }

    /// The URL to connect to: the environment variable's value when set and not empty, else `url`.
    public func resolvedURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let name = urlEnvironment, let value = environment[name], !value.isEmpty { return value }
        return url
    }
}

/// A word content-pack texts should avoid: a case-insensitive regular expression (`\bfrozen\b`) and what to write instead.
public struct FlaggedWord: Sendable, Hashable {
    public let pattern: String
    public let suggestion: String

    public init(pattern: String, suggestion: String) {
        self.pattern = pattern
        self.suggestion = suggestion
    }

    /// The pattern as a case-insensitive regular expression, nil when it is not one.
    public var regex: Regex<AnyRegexOutput>? { (try? Regex(pattern))?.ignoresCase() }

    /// `{ pattern, suggestion }` from Site.json; a pattern that is not a regular expression is an error at it.
    static func read(_ node: SourceNode) -> Result<FlaggedWord, Diagnostic> {
        guard let pattern = node["pattern"]?.string, !pattern.isEmpty else {
            return .failure(.error("invalid-field", "a flagged word needs a `pattern` (a regular expression such as `\\\\bfrozen\\\\b`)",
                                   at: node.location, hint: "write `{ \"pattern\": \"\\\\bword\\\\b\", \"suggestion\": \"use ...\" }`"))
        }
        let word = FlaggedWord(pattern: pattern, suggestion: node["suggestion"]?.string ?? "")
        guard word.regex != nil else {
            return .failure(.error("invalid-field", "flagged word pattern `\(pattern)` is not a regular expression", at: node["pattern"]!.location,
                                   hint: "escape special characters; in JSON a backslash is written `\\\\`"))
        }
        return .success(word)
    }
}
