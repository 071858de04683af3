import Foundation

/// The built site as served: which file a request path names, never one outside the folder.
public struct SiteFolder: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public enum Resolution: Equatable, Sendable {
        case file(URL)
        /// A folder asked for without its final `/`: redirect so relative links resolve.
        case redirect(String)
        case notFound
        /// `..`, `.`, a backslash, a NUL or a symlink that leads out of the folder.
        case forbidden
        /// Percent-encoding that does not decode.
        case badRequest
    }

    /// The longest request path looked up.
    static let longestPath = 4096

    /// The file for a raw, percent-encoded request path (`/prompts/a%20b/`); the query is not part of it.
    public func resolve(_ rawPath: String) -> Resolution {
        guard rawPath.hasPrefix("/") else { return .badRequest }
        // No file of the site has a path this long (the system's own limit is 4,096 bytes).
        guard rawPath.utf8.count <= Self.longestPath else { return .notFound }
        guard let decoded = rawPath.removingPercentEncoding else { return .badRequest }
        if decoded.contains("\0") || decoded.contains("\\") { return .forbidden }
        let components = decoded.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if components.contains(where: { $0 == ".." || $0 == "." }) { return .forbidden }
        // One append, not one per component (each copies the whole path so far).
        let url = components.isEmpty ? root : root.appendingPathComponent(components.joined(separator: "/"))
        guard inside(url) else { return .forbidden }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return .notFound }
        if isDirectory.boolValue {
            // One leading `/`: `//prompts/` is another host to a browser (`http://prompts/`).
            guard decoded.hasSuffix("/") else { return .redirect("/" + rawPath.drop { $0 == "/" } + "/") }
            let index = url.appendingPathComponent("index.html")
            return FileManager.default.fileExists(atPath: index.path) && inside(index) ? .file(index) : .notFound
        }
        return .file(url)
    }

    /// Whether the path, with every symlink resolved, is still inside the folder.
    private func inside(_ url: URL) -> Bool {
        let base = root.resolvingSymlinksInPath().standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: url.path) else { return true }
        let real = url.resolvingSymlinksInPath().standardizedFileURL.path
        return real == base || real.hasPrefix(base.hasSuffix("/") ? base : base + "/")
    }

    /// The Content-Type of a served file.
    public static func contentType(of url: URL) -> String {
        switch url.pathExtension.lowercased() {
        case "html", "htm": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "json", "map": "application/json; charset=utf-8"
        case "xml": url.lastPathComponent == "feed.xml" ? "application/atom+xml; charset=utf-8" : "application/xml; charset=utf-8"
        case "svg": "image/svg+xml"
        case "txt", "md": "text/plain; charset=utf-8"
        case "sarif": "application/sarif+json; charset=utf-8"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "woff": "font/woff"
        default: "application/octet-stream"
        }
    }
}
