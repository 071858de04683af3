import PromptTemplates

/// The `{{path}}` template language: parse, list variables, worst-case length, render.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let template = Template(parsing: text)
    _ = template.worstCaseLength { $0.description.count % 3 == 0 ? nil : Int.max / 2 }
    var values = TemplateValues()
    for reference in template.references { values.set(.string("v"), at: reference.path) }
    _ = template.render(with: values)
    _ = template.render(with: TemplateValues())
    return 0
}
