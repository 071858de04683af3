import Foundation
import PageTemplates

/// The page templates and assets: the user's Templates folder file by file, falling
/// back to the built-in theme (the project's Templates/, embedded at build time).
public struct Theme: Sendable {
    /// Template name (`version` for `version.mustache`) → source.
    public let templates: [String: String]
    /// Asset path under `assets/` → contents.
    public let assets: [String: String]
    /// Files taken from the user's folder, for the build report.
    public let overridden: [String]

    public static let builtIn = Theme(files: DefaultTheme.files, overrides: [:])

    /// The built-in theme with every file of `directory` replacing the file of the same name.
    public static func load(overridesIn directory: URL?) -> Theme {
        var overrides: [String: String] = [:]
        if let directory, let names = FileManager.default.enumerator(atPath: directory.path) {
            let root = directory.resolvingSymlinksInPath().standardizedFileURL.path
            for case let name as String in names where !name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                let url = directory.appendingPathComponent(name)
                // A template linked to a file outside the templates folder (`passwd.mustache ->
                // /etc/passwd`) is not read: the site would publish it.
                let resolved = url.resolvingSymlinksInPath().standardizedFileURL.path
                guard resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/") else { continue }
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                      let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
                overrides[name] = text
            }
        }
        return Theme(files: DefaultTheme.files, overrides: overrides)
    }

    init(files: [String: String], overrides: [String: String]) {
        let merged = files.merging(overrides) { _, user in user }
        var templates: [String: String] = [:]
        var assets: [String: String] = [:]
        for (name, text) in merged {
            if name.hasSuffix(".mustache") {
                templates[String(name.dropLast(9))] = text
            } else if name.hasPrefix("assets/") {
                assets[String(name.dropFirst(7))] = text
            }
        }
        self.templates = templates
        self.assets = assets
        self.overridden = overrides.keys.sorted()
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
