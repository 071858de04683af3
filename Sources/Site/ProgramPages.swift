import Diagnostics
import PromptCatalog
import PromptTemplates

/// Where each program's page lives: `programs/<segment>/index.html`, the segment made from the
/// id (`SitePaths.pathSegment`). Only the first program with an id gets a page (a second one is
/// `program-duplicate-id`); ids that differ only in case get `~d2`, `~d3`… so no two pages share
/// a folder on a case-insensitive disk.
struct ProgramAddresses: Sendable {
    /// The programs that get a page, in catalog order, with their page.
    let pages: [(program: PromptProgram, path: String)]

    init(_ programs: [PromptProgram]) {
        var ids = Set<String>()
        // `programs/index.html` is the index: no program folder may take that name.
        var taken: Set<String> = ["index.html"]
        var pages: [(program: PromptProgram, path: String)] = []
        for program in programs where ids.insert(program.id).inserted {
            let base = SitePaths.pathSegment(program.id)
            var segment = base, number = 2
            while !taken.insert(segment.lowercased()).inserted {
                segment = base + "~d\(number)"
                number += 1
            }
            pages.append((program, SitePaths.program(segment: segment)))
        }
        self.pages = pages
    }
}

/// What a program yields for one context: the final text and each stage's output.
struct ProgramPreviewRun: Sendable {
    let context: PreviewContext
    let run: ProgramRun

    static func all(_ program: PromptProgram, contexts: [PreviewContext]) -> [ProgramPreviewRun] {
        contexts.map { ProgramPreviewRun(context: $0, run: program.program.run($0.values)) }
    }
}

extension PagePlanner {
    func programPages() -> [PlannedPage] {
        let addresses = ProgramAddresses(catalog.programs)
        return [programsIndex(addresses)] + addresses.pages.map { programPage($0.program, path: $0.path) }
    }

    private func programsIndex(_ addresses: ProgramAddresses) -> PlannedPage {
        let path = SitePaths.programs
        let rows = addresses.pages.map { program, target in
            ProgramRow(id: program.id, url: SitePaths.link(from: path, to: target), file: program.file, version: program.version,
                       description: program.description, required: program.inputs.required.map(\.value),
                       optional: program.inputs.optional.map(\.value), stageCount: program.stages.count)
        }
        let model = ProgramsPage(page: PageFrame(path: path, title: "Programs", section: "programs", site: site),
                                 programs: rows, contexts: catalog.contexts.map(\.id),
                                 apiURL: SitePaths.link(from: path, to: SitePaths.programsAPI))
        return PlannedPage(path: path, template: "programs", model: model)
    }

    private func programPage(_ program: PromptProgram, path: String) -> PlannedPage {
        let previews = ProgramPreviewRun.all(program, contexts: catalog.contexts).map { preview in
            let stages = preview.run.outputs.enumerated().map { index, output in
                ProgramStageOutput(id: output.stage, anchor: ProgramView.stageAnchor(index), produced: output.text != nil,
                                   length: output.text?.count ?? 0)
            }
            return ProgramPreview(context: preview.context.id, file: preview.context.file, text: preview.run.finalText,
                                  length: preview.run.finalText.count, stages: stages, producedCount: stages.filter(\.produced).count,
                                  stageCount: stages.count,
                                  failure: preview.run.failure.map { "PixSim7 raises \($0.exception) here and sends no prompt: \($0.message)" })
        }
        let model = ProgramPage(
            page: PageFrame(path: path, title: "Program \(program.id)", section: "programs", site: site),
            id: program.id, file: program.file, version: program.version, description: program.description,
            required: program.inputs.required.map(\.value), optional: program.inputs.optional.map(\.value),
            stages: program.stages.enumerated().map { ProgramView.stage($1, index: $0) },
            paths: ProgramView.paths(program, contexts: catalog.contexts),
            previews: previews,
            otherFields: program.unknownFields.map { ProgramField(name: $0.key, json: DisplayJSON.text(BlockJSON.value($0.value))) },
            diagnostics: diagnostics.filter { $0.location?.file == program.file }.map { row($0, from: path) },
            programsURL: SitePaths.link(from: path, to: SitePaths.programs),
            apiURL: SitePaths.link(from: path, to: SitePaths.programsAPI))
        return PlannedPage(path: path, template: "program", model: model)
    }
}

/// A program's stages as the page shows them.
enum ProgramView {
    static func stageAnchor(_ index: Int) -> String { "stage-\(index + 1)" }

    static func stage(_ stage: PromptProgram.Stage, index: Int) -> ProgramStageView {
        var templateHTML: String?
        var conditions: [ProgramConditionView] = []
        var selectors: [ProgramSelectorView] = []
        var defaultHTML: String?
        var formatters: [ProgramFormatterView] = []
        var otherTemplates: [String] = []
        var isUnknown = false
        switch stage.kind {
        case .template(let template):
            templateHTML = TemplateHighlighter.html(template)
        case .conditional:
            // Each condition object holds one `test` and one `template`; when one of them is
            // missing the pairs cannot be told apart, so the templates are listed on their own.
            let paired = stage.conditions.count == stage.templates.count
            conditions = stage.conditions.enumerated().map { number, condition in
                ProgramConditionView(test: condition.source, error: error(condition),
                                     templateHTML: paired ? TemplateHighlighter.html(stage.templates[number].value) : nil)
            }
            if !paired { otherTemplates = stage.templates.map { TemplateHighlighter.html($0.value) } }
        case .selector(let list, let fallback):
            selectors = list.map { selector in
                ProgramSelectorView(rules: selector.match.map { ProgramMatchRule(path: $0.key.description, rule: rule($0.value)) }
                                        .sorted { $0.path < $1.path },
                                    templateHTML: TemplateHighlighter.html(selector.template))
            }
            defaultHTML = fallback.map { TemplateHighlighter.html($0) }
        case .formatter(let list):
            formatters = list.map(formatter)
        case .unknown:
            isUnknown = true
        }
        return ProgramStageView(number: index + 1, id: stage.id, type: stage.type.isEmpty ? "(none)" : stage.type, anchor: stageAnchor(index),
                                templateHTML: templateHTML, conditions: conditions, selectors: selectors, defaultHTML: defaultHTML,
                                formatters: formatters, otherTemplatesHTML: otherTemplates,
                                metadata: stage.metadata.map { DisplayJSON.text(BlockJSON.value($0)) }, isUnknown: isUnknown)
    }

    /// The paths the program reads (conditions, the selector keys PixSim7 reads, template keys), in
    /// order of first use: how each is read, where it may come from, and the contexts that lack it.
    static func paths(_ program: PromptProgram, contexts: [PreviewContext]) -> [ProgramPathRow] {
        let inputs = program.inputs.names
        var order: [String] = []
        var uses: [String: [ProgramPathUse]] = [:]
        for read in program.pathsRead {
            let key = read.path.description
            if uses[key] == nil { order.append(key) }
            if !(uses[key] ?? []).contains(read.use) { uses[key, default: []].append(read.use) }
        }
        return order.map { key in
            let root = String(key.split(separator: ".", omittingEmptySubsequences: false).first ?? "")
            let source = if inputs.contains(root) || inputs.contains(key) { "input" }
                else if ContextSchema.isProgramVariable(key) { "context" }
                else { "unknown" }
            let readBy = uses[key] ?? []
            let lacking = contexts.filter { context in readBy.contains { !context.provides(VariablePath(key), for: $0) } }.map(\.id)
            return ProgramPathRow(anchor: TemplateHighlighter.anchor(VariablePath(key)), path: key, source: source,
                                  uses: readBy.map(\.rawValue).joined(separator: ", "),
                                  missingFrom: lacking.isEmpty ? nil : lacking.joined(separator: ", "))
        }
    }

    static func error(_ condition: PromptProgram.Condition) -> String? {
        guard case .failure(let error) = condition.parsed else { return nil }
        return "\(error.message) at character \(error.offset + 1); \(error.hint)"
    }

    static func rule(_ rule: ProgramStage.MatchRule) -> String {
        switch rule {
        case .equals(.string(let text)): "= " + BlockImport.quoted(text)
        case .equals(let value): "= " + value.renderedText
        case .range(let min?, let max?): "\(TemplateValue.format(min)) – \(TemplateValue.format(max))"
        case .range(let min?, nil): "≥ \(TemplateValue.format(min))"
        case .range(nil, let max?): "≤ \(TemplateValue.format(max))"
        case .range(nil, nil): "any number"
        }
    }


    static func formatter(_ formatter: ProgramStage.Formatter) -> ProgramFormatterView {
        switch formatter {
        case .combine(let sources, let separator):
            ProgramFormatterView(type: "combine", detail: "\(sources.joined(separator: ", ")) joined by \(BlockImport.quoted(separator))",
                                 templateHTML: nil)
        case .append(let template):
            ProgramFormatterView(type: "append", detail: nil, templateHTML: TemplateHighlighter.html(template))
        case .prepend(let template):
            ProgramFormatterView(type: "prepend", detail: nil, templateHTML: TemplateHighlighter.html(template))
        }
    }
}

extension MachineOutputs {
    /// `api/v1/programs.json`: every program with its inputs, stages and final text per context.
    func programs() -> JSONValue {
        .object([("programs", .array(ProgramAddresses(catalog.programs).pages.map { program, path in
            .object([
                ("id", .string(program.id)), ("version", .optional(program.version)), ("description", .optional(program.description)),
                ("file", .string(program.file)),
                ("inputs", .object([
                    ("required", .array(program.inputs.required.map { .string($0.value) })),
                    ("optional", .array(program.inputs.optional.map { .string($0.value) })),
                ])),
                ("stages", .array(program.stages.map { stage in
                    .object([
                        ("id", .string(stage.id)), ("type", .string(stage.type)),
                        ("conditions", .array(stage.conditions.map { .string($0.source) })),
                    ])
                })),
                ("previews", .array(ProgramPreviewRun.all(program, contexts: catalog.contexts).map { preview in
                    .object([
                        ("context", .string(preview.context.id)), ("final_text", .string(preview.run.finalText)),
                        ("stages_with_output", .array(preview.run.outputs.filter { $0.text != nil }.map { .string($0.stage) })),
                        ("raises", .optional(preview.run.failure?.exception)),
                    ])
                })),
                ("url", .string(path)),
            ])
        }))])
    }
}
