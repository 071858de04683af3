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
    public var minSamples = 30
    public var confidence = 0.95
    public var similarityThreshold = 0.85
    public var checks = CheckPolicy()
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
        if let problem = JSONSyntax.firstProblem(in: text, file: name) {
            return .failure(Unreadable(diagnostics: [problem]))
        }
        guard case .success(let parsed) = YAMLReader.parse(text, file: name), let node = parsed, node.members != nil else {
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
        var reader = FieldReader(node, what: name)
        title = reader.string("title") ?? title
        baseURL = reader.string("baseURL") ?? baseURL
        if let path = reader.string("content") { contentDirectory = Self.resolve(path, against: root) }
        if let path = reader.string("templates") { templatesDirectory = Self.resolve(path, against: root) }
        if let path = reader.string("output") { outputDirectory = Self.resolve(path, against: root) }
        if let path = reader.string("cache") { cacheDirectory = Self.resolve(path, against: root) }
        if reader.field("defaultProviders") != nil { defaultProviders = reader.strings("defaultProviders").map(\.value) }
        var diagnostics: [Diagnostic] = []
        if let analytics = reader.mapping("analytics") {
            var section = FieldReader(analytics, what: "\(name) analytics")
            minSamples = section.int("minSamples") ?? minSamples
            confidence = section.double("confidence") ?? confidence
            section.reportUnknownFields()
            diagnostics += section.diagnostics
        }
        if let similarity = reader.mapping("similarity") {
            var section = FieldReader(similarity, what: "\(name) similarity")
            similarityThreshold = section.double("threshold") ?? similarityThreshold
            section.reportUnknownFields()
            diagnostics += section.diagnostics
        }
        if let checksNode = reader.mapping("checks") {
            var section = FieldReader(checksNode, what: "\(name) checks")
            checks.strict = section.bool("strict") ?? false
            checks.ignore = Set(section.strings("ignore").map(\.value))
            checks.errors = Set(section.strings("errors").map(\.value))
            section.reportUnknownFields()
            diagnostics += section.diagnostics
        }
        if let packs = reader.mapping("contentPacks") {
            var section = FieldReader(packs, what: "\(name) contentPacks")
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
            var section = FieldReader(markdown, what: "\(name) markdown")
            unsafeHTML = section.bool("unsafeHTML") ?? false
            section.reportUnknownFields()
            diagnostics += section.diagnostics
        }
        reader.reportUnknownFields()
        return reader.diagnostics + diagnostics
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
            // An unterminated document is reported without an index: point at its end.
            if index == 0, detail.lowercased().contains("end of file") { index = text.utf8.count }
            let position = Self.position(ofUTF8Offset: index, in: text)
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
