import Foundation
@testable import PromptCatalog

/// A version file: front matter split, YAML read into source nodes, the fields read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
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

// SwiftPM links executables with its own entry point, so libFuzzer's `main` is not used:
// run its driver from here.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argc, &argv, { data, count in fuzz(data, count) }))
