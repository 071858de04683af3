import Foundation

/// A content directory in a fresh temporary folder, written from a map of
/// relative paths to file contents, removed when the value is no longer used.
public final class TemporaryContent: @unchecked Sendable {
    public let project: URL
    public let root: URL

    public init(_ files: [String: String] = [:]) throws {
        project = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-test-\(UUID().uuidString)")
        root = project.appendingPathComponent("Content")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (path, contents) in files { try write(path, contents) }
    }

    deinit { try? FileManager.default.removeItem(at: project) }

    public func write(_ path: String, _ contents: String) throws {
        try write(path, data: Data(contents.utf8))
    }

    public func write(_ path: String, data: Data) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Writes a file beside the content directory (e.g. Site.json) and returns its URL.
    @discardableResult
    public func writeProjectFile(_ path: String, _ contents: String) throws -> URL {
        let url = project.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
        return url
    }
}

/// The repository's own folders, found from this file's location.
public enum Repository {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let sampleContent = root.appendingPathComponent("Content")
    public static let siteConfig = root.appendingPathComponent("Site.json")
    /// ../shared/pixsim7 beside the repository, when present.
    public static let pixsim7 = root.deletingLastPathComponent().appendingPathComponent("shared/pixsim7")
}

/// Small builders for version files, so tests show only what matters.
public enum Fixture {
    /// A provider file with a prompt limit and a few parameters.
    public static func provider(_ id: String, limit: Int = 1000, negativeLimit: Int = 200) -> String {
        """
        id: \(id)
        name: \(id.capitalized)
        prompt_limit: \(limit)
        negative_prompt_limit: \(negativeLimit)
        parameters:
          - { name: duration, type: int, min: 5, max: 8 }
          - { name: quality, type: enum, values: [540p, 720p] }
          - { name: loop, type: bool }
        """
    }

    public static func family(title: String = "Test family", type: String = "visual", extra: String = "") -> String {
        "title: \(title)\nprompt_type: \(type)\n\(extra)"
    }

    /// `---\n<frontMatter>\n---\n<body>\n`
    public static func version(_ frontMatter: String, _ body: String) -> String {
        "---\n\(frontMatter)\n---\n\(body)\n"
    }
}
