import Foundation
import PageTemplates

/// The page templates and assets: the user's Templates folder file by file, falling
/// back to the built-in theme (the project's Templates/, embedded at build time).
public struct Theme: Sendable {
    /// Template name (`version` for `version.mustache`) → source.
    public let templates: [String: String]
    /// Asset path under `assets/` → contents (images as well as text).
    public let assets: [String: Data]
    /// Files taken from the user's folder, for the build report.
    public let overridden: [String]
    /// Files of the user's folder that were not taken, and why (printed as notes).
    public let problems: [String]

    public static let builtIn = Theme(files: DefaultTheme.files.mapValues { Data($0.utf8) }, overrides: [:], problems: [])

    /// The largest theme file read: as for content files, a file of gigabytes is never read whole.
    static let maximumFileBytes = 16 << 20

    /// The built-in theme with every file of `directory` replacing the file of the same name.
    /// Only templates (`*.mustache`) and files under `assets/` are read; a template must be
    /// UTF-8, an asset may be anything (a PNG).
    public static func load(overridesIn directory: URL?) -> Theme {
        var overrides: [String: Data] = [:]
        var problems: [String] = []
        if let directory, let names = FileManager.default.enumerator(atPath: directory.path) {
            let root = directory.resolvingSymlinksInPath().standardizedFileURL.path
            for case let name as String in names where !name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                guard name.hasSuffix(".mustache") || name.hasPrefix("assets/") else { continue }
                let url = directory.appendingPathComponent(name)
                // A template linked to a file outside the templates folder (`passwd.mustache ->
                // /etc/passwd`) is not read: the site would publish it.
                let resolved = url.resolvingSymlinksInPath().standardizedFileURL.path
                guard resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
                    problems.append("\(name) links outside the templates folder and is not read; the built-in file is used (copy the file into the folder)")
                    continue
                }
                var info = stat()
                // Regular files only: a FIFO would block the read.
                guard stat(url.path, &info) == 0 else {
                    problems.append("\(name) cannot be read (a broken link?); the built-in file is used")
                    continue
                }
                guard info.st_mode & S_IFMT == S_IFREG else {
                    if info.st_mode & S_IFMT != S_IFDIR { problems.append("\(name) is not a regular file and is not read; the built-in file is used") }
                    continue
                }
                guard Int(info.st_size) <= maximumFileBytes else {
                    problems.append("\(name) is \(Int(info.st_size) >> 20) MB, over the \(maximumFileBytes >> 20) MB a theme file may be; the built-in file is used")
                    continue
                }
                guard let data = FileManager.default.contents(atPath: url.path), data.count <= maximumFileBytes else {
                    problems.append("\(name) cannot be read; the built-in file is used")
                    continue
                }
                if name.hasSuffix(".mustache"), String(data: data, encoding: .utf8) == nil {
                    problems.append("\(name) is not UTF-8 text; the built-in template is used (save it as UTF-8)")
                    continue
                }
                overrides[name] = data
            }
        }
        return Theme(files: DefaultTheme.files.mapValues { Data($0.utf8) }, overrides: overrides, problems: problems.sorted())
    }

    init(files: [String: Data], overrides: [String: Data], problems: [String]) {
        let merged = files.merging(overrides) { _, user in user }
        var templates: [String: String] = [:]
        var assets: [String: Data] = [:]
        for (name, data) in merged {
            if name.hasSuffix(".mustache") {
                templates[String(name.dropLast(9))] = String(decoding: data, as: UTF8.self)
            } else if name.hasPrefix("assets/") {
                assets[String(name.dropFirst(7))] = data
            }
        }
        self.templates = templates
        self.assets = assets
        self.overridden = overrides.keys.sorted()
        self.problems = problems
    }

    /// Compiles every template; a template that does not parse names its file.
    public func library() throws -> PageTemplateLibrary {
        var library = PageTemplateLibrary()
        for (name, source) in templates.sorted(by: { $0.key < $1.key }) {
            do {
                try library.register(source, named: name)
            } catch {
                throw ThemeError(message: "Templates/\(name).mustache does not parse: \(error)")
            }
        }
        return library
    }
}

public struct ThemeError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
