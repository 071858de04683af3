import Diagnostics
import PromptTemplates

/// How a program reads a path, which decides how PixSim7 looks it up.
public enum ProgramPathUse: String, Sendable {
    /// A condition's `test`: the key written whole, else a walk through nested maps; nothing found reads as 0.
    case condition
    /// A selector `match` key PixSim7 reads (`relationship_tier`, `affinity`…): one top-level key.
    case selector
    /// A template's `{{key}}`: one flat key; nothing found renders "".
    case template

    /// What PixSim7 makes of a path no variable holds.
    public var whenMissing: String {
        switch self {
        case .condition: "the condition reads it as 0"
        case .selector: "the selector compares 0 (a number) or nothing (a text)"
        case .template: "the template renders it as empty text"
        }
    }
}

/// One read of a path by a program, with where it is written.
public struct ProgramPathRead: Sendable {
    public let path: VariablePath
    public let location: SourceLocation
    public let stage: String
    public let use: ProgramPathUse
}

extension PromptProgram {
    /// Every path the program reads, in order: condition paths, the selector keys PixSim7 reads,
    /// template keys (`{{ key }}` with its spaces removed, as PixSim7 looks it up).
    public var pathsRead: [ProgramPathRead] {
        let selectorKeys = ProgramStage.textMatchKeys + ProgramStage.rangeMatchKeys
        return stages.flatMap { stage in
            stage.conditions.flatMap { condition in
                (condition.expression?.paths ?? []).map { ProgramPathRead(path: $0, location: condition.location, stage: stage.id, use: .condition) }
            }
            + stage.matchKeys.filter { selectorKeys.contains($0.value) }
                .map { ProgramPathRead(path: VariablePath([$0.value]), location: $0.location, stage: stage.id, use: .selector) }
            + stage.templates.flatMap { template in
                PixSimTemplate.keys(in: template.value.source)
                    .map { ProgramPathRead(path: VariablePath([$0]), location: template.location, stage: stage.id, use: .template) }
            }
        }
    }
}

extension PreviewContext {
    /// Whether the context holds what PixSim7 looks up for this use of the path.
    public func provides(_ path: VariablePath, for use: ProgramPathUse) -> Bool {
        let root = values.root
        switch use {
        case .condition: return ProgramExpression.lookup(path, in: root) != nil
        case .selector, .template: return root[path.description] != nil
        }
    }
}
