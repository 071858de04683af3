// View models of the narrative-program pages (`programs/index.html`, `programs/<id>/index.html`).
// Text fields are escaped by Mustache; `...HTML` fields are markup the build made and escaped itself.

struct ProgramsPage: Encodable, Sendable {
    let page: PageFrame
    let programs: [ProgramRow]
    let contexts: [String]
    let apiURL: String
}

struct ProgramRow: Encodable, Sendable {
    let id: String
    let url: String
    let file: String
    let version: String?
    let description: String?
    let required: [String]
    let optional: [String]
    let stageCount: Int
}

struct ProgramPage: Encodable, Sendable {
    let page: PageFrame
    let id: String
    let file: String
    let version: String?
    let description: String?
    let required: [String]
    let optional: [String]
    let stages: [ProgramStageView]
    /// Every path a condition or template reads, the targets of the highlighted variables.
    let paths: [ProgramPathRow]
    let previews: [ProgramPreview]
    /// Fields PixSim7 may add that this version does not read, as compact JSON.
    let otherFields: [ProgramField]
    let diagnostics: [DiagnosticRow]
    let programsURL: String
    let apiURL: String
}

struct ProgramPathRow: Encodable, Sendable {
    let anchor: String
    let path: String
    /// `input`, `context` (a key of PixSim7's narrative context) or `unknown` (a `program-variable` warning).
    let source: String
    /// How it is read: `condition`, `selector`, `template`, comma-separated.
    let uses: String
    /// The contexts that do not provide it, as PixSim7 looks it up; nil when all do.
    let missingFrom: String?
}

struct ProgramField: Encodable, Sendable {
    let name: String
    let json: String
}

/// One stage, in order; only the parts that apply to its type are filled.
struct ProgramStageView: Encodable, Sendable {
    let number: Int
    let id: String
    let type: String
    let anchor: String
    /// A `template` stage's template.
    let templateHTML: String?
    let conditions: [ProgramConditionView]
    let selectors: [ProgramSelectorView]
    let defaultHTML: String?
    let formatters: [ProgramFormatterView]
    /// Templates that could not be paired with a condition (a condition without `test` or `template`).
    let otherTemplatesHTML: [String]
    /// `metadata` as indented JSON text.
    let metadata: String?
    let isUnknown: Bool
}

struct ProgramConditionView: Encodable, Sendable {
    let test: String
    /// The parse error ("… at character N"), nil when the test parses.
    let error: String?
    let templateHTML: String?
}

struct ProgramSelectorView: Encodable, Sendable {
    let rules: [ProgramMatchRule]
    let templateHTML: String
}

struct ProgramMatchRule: Encodable, Sendable {
    let path: String
    /// `= "friend"`, `70 – 100`, `≥ 70`.
    let rule: String
}

struct ProgramFormatterView: Encodable, Sendable {
    let type: String
    /// `persona, setting joined by "\n"` for combine.
    let detail: String?
    let templateHTML: String?
}

/// A program run against one context.
struct ProgramPreview: Encodable, Sendable {
    let context: String
    let file: String
    let text: String
    let length: Int
    let stages: [ProgramStageOutput]
    let producedCount: Int
    let stageCount: Int
    /// Why PixSim7 would raise instead of sending a prompt.
    let failure: String?
}

struct ProgramStageOutput: Encodable, Sendable {
    let id: String
    let anchor: String
    let produced: Bool
    let length: Int
}
