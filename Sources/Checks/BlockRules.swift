import Diagnostics
import PromptCatalog
import PromptTemplates

/// Action blocks (SPEC §2.4): block-unknown-link, block-asymmetric-link (info),
/// block-pose-gap, block-range, template-syntax, and over-limit of the layered prompt;
/// package templates: template-syntax, undefined-variable, unused-variable.
///
/// A block with a duplicate id is reported by the loader (`block-duplicate-id`);
/// links resolve to the first block with that id.
enum BlockRules {
    static func check(_ context: CheckContext) -> [Diagnostic] {
        let catalog = context.catalog
        let byID = Dictionary(catalog.blocks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var links = LinkIndex(byID)
        var diagnostics: [Diagnostic] = []
        for block in catalog.blocks {
            diagnostics += linkProblems(block, links: &links)
            diagnostics += rangeProblems(block, context: context)
            diagnostics += promptProblems(block, context: context)
        }
        for package in catalog.packages {
            diagnostics += package.templates.flatMap(templateProblems)
        }
        return diagnostics
    }

    // MARK: Links

    /// How many unknown links of one block are reported one by one; past them they are counted
    /// (a block listing a thousand ids no block defines is fifty warnings and a count).
    static let unknownLinksListed = Diagnostic.listedPerFileAndCode / 2

    /// What link checks share across blocks, made once: the blocks by id, their ids sorted for
    /// suggestions, each block's links as sets, and the suggestions already made.
    ///
    /// A suggestion measures the unknown id against every block id, so one per unknown link
    /// made check quadratic in the blocks (ten thousand blocks, each with a typo, was a hundred
    /// million edit distances). Only the first `Diagnostic.listedPerFileAndCode` unknown links of a
    /// file get one — the report lists no more of them (`Diagnostic.capped`) — and each unknown id
    /// is measured once.
    struct LinkIndex {
        let blocks: [String: ActionBlock]
        let known: [String]
        private var nextOf: [String: Set<String>] = [:]
        private var previousOf: [String: Set<String>] = [:]
        private var suggestions: [String: String?] = [:]
        private var suggestedInFile: [String: Int] = [:]

        init(_ blocks: [String: ActionBlock]) {
            self.blocks = blocks
            known = blocks.keys.sorted()
        }

        /// Whether `other` links back to `id` in `field` (`compatibleNext` or `compatiblePrev`).
        mutating func links(_ other: ActionBlock, backTo id: String, in field: String) -> Bool {
            if field == "compatibleNext" {
                if nextOf[other.id] == nil { nextOf[other.id] = Set(other.compatibleNext.map(\.value)) }
                return nextOf[other.id]!.contains(id)
            }
            if previousOf[other.id] == nil { previousOf[other.id] = Set(other.compatiblePrev.map(\.value)) }
            return previousOf[other.id]!.contains(id)
        }

        /// The closest block id to an unknown one, while the file still has suggestions to give.
        mutating func suggestion(for id: String, in file: String) -> String? {
            guard suggestedInFile[file, default: 0] < Diagnostic.listedPerFileAndCode else { return nil }
            suggestedInFile[file, default: 0] += 1
            if let made = suggestions[id] { return made }
            let made = closestMatch(to: id, in: known)
            suggestions[id] = made
            return made
        }
    }

    /// Links are visited in file order (both fields together), so the unknown links given a
    /// suggestion are the ones the capped report lists.
    static func linkProblems(_ block: ActionBlock, links index: inout LinkIndex) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let links = (block.compatibleNext.map { ("compatibleNext", "compatiblePrev", $0) } + block.compatiblePrev.map { ("compatiblePrev", "compatibleNext", $0) })
            .sorted { $0.2.location < $1.2.location }
        var unknown = 0
        for (field, opposite, link) in links {
            guard let other = index.blocks[link.value] else {
                unknown += 1
                guard unknown <= unknownLinksListed else { continue }
                let suggestion = index.suggestion(for: link.value, in: link.location.file).map { "did you mean `\($0)`? " } ?? ""
                diagnostics.append(.warning("block-unknown-link", "`\(field)` of block `\(block.id)` names `\(link.value)`, which no loaded block defines",
                                            at: link.location,
                                            hint: "\(suggestion)add the block under action-blocks/, or remove the link if it lives in a library this site does not load"))
                continue
            }
            if !index.links(other, backTo: block.id, in: opposite) {
                diagnostics.append(.info("block-asymmetric-link", "block `\(block.id)` lists `\(other.id)` in `\(field)`, but `\(other.id)` does not list `\(block.id)` in `\(opposite)`",
                                         at: link.location, hint: "add `\"\(block.id)\"` to `\(opposite)` of `\(other.id)` (\(other.idLocation)), or remove this link"))
            }
            if field == "compatibleNext", let end = block.lastPose, let start = other.firstPose, end.value != start.value {
                diagnostics.append(.warning("block-pose-gap", "block `\(block.id)` ends in pose `\(end.value)` but the next block `\(other.id)` starts in `\(start.value)`",
                                            at: link.location,
                                            hint: "match the poses, or put a transition block from `\(end.value)` to `\(start.value)` between them"))
            }
        }
        if unknown > unknownLinksListed {
            let more = unknown - unknownLinksListed
            diagnostics.append(.warning("block-unknown-link", "block `\(block.id)` names \(more) more id\(more == 1 ? "" : "s") no loaded block defines, not listed",
                                        at: block.idLocation, hint: "fix the links listed, then check again"))
        }
        return diagnostics
    }

    // MARK: Ranges and closed sets

    static func rangeProblems(_ block: ActionBlock, context: CheckContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        func outside(_ value: Located<Int>?, _ what: String) {
            guard let value, !(1...10).contains(value.value) else { return }
            diagnostics.append(.error("block-range", "\(what) of block `\(block.id)` is \(value.value), outside 1–10", at: value.location,
                                      hint: "use a whole number from 1 to 10"))
        }
        outside(block.tags.intensity, "`tags.intensity`")
        if let progression = block.intensityProgression {
            outside(progression.start, "`intensityProgression.start`")
            outside(progression.peak, "`intensityProgression.peak`")
            outside(progression.end, "`intensityProgression.end`")
            if let peak = progression.peak {
                let lower = [("start", progression.start), ("end", progression.end)].compactMap { name, value in
                    value.flatMap { $0.value > peak.value ? "\(name) (\($0.value))" : nil }
                }
                if !lower.isEmpty {
                    diagnostics.append(.error("block-range", "`intensityProgression.peak` of block `\(block.id)` is \(peak.value), below its \(lower.joined(separator: " and "))",
                                              at: peak.location, hint: "the peak is the highest intensity: raise it or lower the start/end"))
                }
            }
            diagnostics += unknownChoice(progression.pattern, "`intensityProgression.pattern`", block: block)
        }
        diagnostics += unknownChoice(block.kind, "`kind`", block: block)
        if let camera = block.cameraMovement {
            diagnostics += unknownChoice(camera.type, "`cameraMovement.type`", block: block)
            diagnostics += unknownChoice(camera.speed, "`cameraMovement.speed`", block: block)
            diagnostics += unknownChoice(camera.path, "`cameraMovement.path`", block: block)
        }
        if let duration = block.durationSec {
            let seconds = TemplateValue.format(duration.value)
            if duration.value <= 0 {
                diagnostics.append(.error("block-range", "`durationSec` of block `\(block.id)` is \(seconds); a clip must last more than 0 seconds",
                                          at: duration.location, hint: "clips are usually 5–8 seconds"))
            } else {
                for id in context.defaultProviders {
                    guard let max = context.catalog.provider(id)?.parameter("duration")?.max, duration.value > max else { continue }
                    diagnostics.append(.error("block-range", "`durationSec` of block `\(block.id)` is \(seconds), above \(id)'s maximum duration of \(TemplateValue.format(max))",
                                              at: duration.location, hint: "shorten the clip to at most \(TemplateValue.format(max)) seconds"))
                }
            }
        }
        return diagnostics
    }

    private static func unknownChoice<Value: CaseIterable>(_ choice: Choice<Value>?, _ what: String, block: ActionBlock) -> [Diagnostic] {
        guard let choice, choice.known == nil else { return [] }
        let names = Value.allCases.map(\.rawValue)
        let suggestion = closestMatch(to: choice.text, in: names).map { "did you mean `\($0)`? " } ?? ""
        return [.error("block-range", "\(what) of block `\(block.id)` is `\(choice.text)`, not a known value", at: choice.location,
                       hint: "\(suggestion)allowed: \(names.joined(separator: ", "))")]
    }

    // MARK: Prompts

    /// Syntax of the prompt, and the layered prompt's length against each default provider.
    ///
    /// A block declares no variables, so the worst case of `{{lead}}` cannot be known:
    /// the length checked is the layered prompt with every reference left as written
    /// (`{{lead}}` counts 8 characters). Over a limit that is an error.
    static func promptProblems(_ block: ActionBlock, context: CheckContext) -> [Diagnostic] {
        let at = block.promptLocation ?? block.idLocation
        let syntax: [Diagnostic] = block.prompt.errors.map { error in
            .error("template-syntax", "in the prompt of block `\(block.id)`: \(error.message)", at: at, hint: error.hint)
        }
        guard syntax.isEmpty else { return syntax }
        let length = lengthAsWritten(context.catalog.composed(block.layeredPrompt).template)
        var diagnostics: [Diagnostic] = []
        for id in context.defaultProviders {
            guard let limit = context.catalog.provider(id)?.promptLimit, length > limit else { continue }
            diagnostics.append(.error("over-limit", "the layered prompt of block `\(block.id)` is \(length) characters (variables counted as written), \(length - limit) over \(id)'s limit of \(limit)",
                                      at: at, hint: "shorten the prompt, or drop camera/consistency/intensity details that add sentences"))
        }
        return diagnostics
    }

    /// The rendered length with each `{{path}}` left as written.
    static func lengthAsWritten(_ template: Template) -> Int {
        template.segments.reduce(0) { total, segment in
            switch segment {
            case .text(let text): total + text.count
            case .variable(let reference): total + reference.source.count
            case .include(let reference): total + reference.source.count
            }
        }
    }

    /// A package template: syntax of `template` and `camera_template`; the variables of
    /// `template` against `required_params` and `optional_params`.
    static func templateProblems(_ template: BlockTemplate) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (field, parsed) in [("template", template.template), ("camera_template", template.cameraTemplate)] {
            for error in parsed?.errors ?? [] {
                diagnostics.append(.error("template-syntax", "in `\(field)` of template `\(template.key)`: \(error.message)", at: template.location, hint: error.hint))
            }
        }
        for (field, parsed) in [("template", template.template), ("camera_template", template.cameraTemplate)] {
            for include in parsed?.includes ?? [] {
                diagnostics.append(.error("template-syntax", "in `\(field)` of template `\(template.key)`: include `\(include.source)` is not supported in a package template",
                                          at: template.location, hint: "package templates are filled by the game, which does not follow includes; write the text out"))
            }
        }
        guard let body = template.template, body.errors.isEmpty, body.includes.isEmpty else { return diagnostics }
        let params = (template.requiredParams + template.optionalParams).map(\.value)
        var reported = Set<VariablePath>()
        for reference in body.references where !params.contains(reference.path.description) && reported.insert(reference.path).inserted {
            let suggestion = closestMatch(to: reference.path.description, in: params).map { "did you mean `\($0)`? " } ?? ""
            diagnostics.append(.error("undefined-variable", "template `\(template.key)` uses `\(reference.path)`, which is not in `required_params` or `optional_params`",
                                      at: template.location, hint: "\(suggestion)add `\"\(reference.path)\"` to `optional_params` or `required_params`"))
        }
        let used = Set(body.variablePaths.map(\.description))
        for param in template.requiredParams where !used.contains(param.value) {
            diagnostics.append(.warning("unused-variable", "required param `\(param.value)` of template `\(template.key)` is never used by its `template`",
                                        at: param.location, hint: "use `{{\(param.value)}}` in the template or remove it from `required_params`"))
        }
        return diagnostics
    }
}
