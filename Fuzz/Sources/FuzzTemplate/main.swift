import Foundation
import PromptTemplates

/// The `{{path}}` template language: parse, list variables, worst-case length, render.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let template = Template(parsing: text)
    _ = template.worstCaseLength { $0.description.count % 3 == 0 ? nil : Int.max / 2 }
    var values = TemplateValues()
    for reference in template.references { values.set(.string("v"), at: reference.path) }
    _ = template.render(with: values)
    _ = template.render(with: TemplateValues())
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
