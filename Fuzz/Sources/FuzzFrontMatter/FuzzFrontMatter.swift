@testable import PromptCatalog

/// A version file: front matter split, YAML read into source nodes, the fields read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    guard case .success(let parts) = FrontMatter.split(text, file: "fuzz.prompt") else { return 0 }
    guard case .success(let node?) = YAMLReader.parse(parts.yaml, file: "fuzz.prompt", lineOffset: parts.yamlLine - 1) else { return 0 }
    var reader = FieldReader(node, what: "fuzz")
    _ = reader.int("version")
    _ = reader.strings("tags")
    _ = node.templateValue
    _ = node.flattenedLeaves()
    return 0
}
