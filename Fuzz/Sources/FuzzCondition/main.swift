import Foundation
import PromptTemplates

/// Program conditions: parse, evaluate, and print back: the printed text must parse to the same
/// expression (a failure is a finding).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    guard case .success(let expression) = ProgramExpression.parse(text) else { return 0 }
    _ = expression.evaluate(TemplateValues())
    _ = expression.paths
    let printed = expression.description
    guard case .success(let again) = ProgramExpression.parse(printed), again == expression else {
        fatalError("`\(text)` prints as `\(printed)`, which does not parse back to the same expression")
    }
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
