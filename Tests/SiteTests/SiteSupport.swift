import Checks
import Foundation
import PromptCatalog
import Site
import TestSupport

/// Builds a content folder into a temporary output folder and reads the result.
struct BuiltSite {
    let output: URL
    let result: BuildResult

    static func build(content: URL, project: URL? = nil, templates: URL? = nil, output: URL? = nil, strict: Bool = false,
                      configure: (inout SiteConfig) -> Void = { _ in }) throws -> BuiltSite {
        let root = project ?? FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-site-\(UUID().uuidString)")
        var config = SiteConfig(root: root)
        config.contentDirectory = content
        config.templatesDirectory = templates ?? root.appendingPathComponent("Templates")
        config.outputDirectory = output ?? root.appendingPathComponent("Output")
        config.defaultProviders = ["inkwell"]
        config.title = "Lanternfall prompt catalog"
        configure(&config)
        let result = try buildSite(BuildRequest(config: config, strict: strict, project: root))
        return BuiltSite(output: config.outputDirectory, result: result)
    }

    static func sample() throws -> BuiltSite {
        try build(content: Repository.sampleContent)
    }

    func text(_ path: String) throws -> String {
        try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
    }

    func json(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent(path)))
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: output.appendingPathComponent(path).path)
    }

    /// Every file of the output, relative, sorted.
    func files() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: output.path)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: output.appendingPathComponent(path).path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }
}

func count(_ needle: String, in haystack: String) -> Int {
    haystack.components(separatedBy: needle).count - 1
}
