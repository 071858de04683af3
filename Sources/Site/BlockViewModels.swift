// View models of the action-block pages (SPEC §2.4, §5). Text fields are escaped by
// Mustache; fields named `...HTML` hold markup the build made itself (already escaped).

struct BlocksPage: Encodable, Sendable {
    let page: PageFrame
    let blocks: [BlockRow]
    let files: [BlockFileRow]
    let kinds: [String]
    /// One transition graph per location (else package, else file).
    let transitionGroups: [TransitionGroupView]
    let hasBlocks: Bool
    let apiURL: String
}

/// One block in a list: the index and every package or library page.
struct BlockRow: Encodable, Sendable {
    let id: String
    let url: String
    let packageName: String?
    let fileURL: String
    let fileName: String
    let kind: String
    let place: String?
    let mood: String?
    let intensity: String?
    let poseStart: String?
    let poseEnd: String?
    let duration: String?
    /// `data-type` for the filter script: the kind.
    let type: String
    /// Lowercased text the filter's search matches against.
    let searchText: String
}

struct BlockFileRow: Encodable, Sendable {
    let title: String
    let file: String
    let url: String
    let shape: String
    let blockCount: Int
}

/// A package (an object with `action_blocks`) or a library (a JSON array) page.
struct BlockFilePage: Encodable, Sendable {
    let page: PageFrame
    let title: String
    let file: String
    /// `package` or `library`; nil for a file that was rejected (no badge).
    let shape: String?
    let info: [FieldRow]
    let creaturesJSON: String?
    let templates: [BlockTemplateRow]
    let unknown: [FieldRow]
    let blocks: [BlockRow]
    let diagnostics: [DiagnosticRow]
    let indexURL: String
}

struct BlockTemplateRow: Encodable, Sendable {
    let key: String
    let name: String?
    let template: String?
    let cameraTemplate: String?
    let required: [String]
    let optional: [String]
    let consistencyDefaults: String?
}

/// A name and its value as text (a scalar as written, anything else as compact JSON).
struct FieldRow: Encodable, Sendable {
    let name: String
    let value: String
}

struct BlockPage: Encodable, Sendable {
    let page: PageFrame
    let id: String
    let kind: String
    let packageName: String?
    let file: String
    let fileURL: String
    let indexURL: String
    let fields: [FieldRow]
    let tags: [FieldRow]
    let custom: [String]
    let prompt: String
    let negativePrompt: String?
    let layeredPrompt: String
    let sentences: [String]
    let next: [BlockLinkRow]
    let previous: [BlockLinkRow]
    let unknown: [FieldRow]
    let family: Link?
    let diagnostics: [DiagnosticRow]
    let apiURL: String
}

/// A `compatibleNext`/`compatiblePrev` entry: a link when the block is loaded, else
/// marked "defined elsewhere"; `gapText` names the two poses when they differ.
struct BlockLinkRow: Encodable, Sendable {
    let target: String
    let targetURL: String?
    let elsewhere: Bool
    let gapText: String?
}

/// One group's transition graph and the transitions it lists instead of drawing.
struct TransitionGroupView: Encodable, Sendable {
    let title: String
    let blockCount: Int
    let transitionCount: Int
    let svg: String
    let outgoing: [TransitionOutgoingView]
}

struct TransitionOutgoingView: Encodable, Sendable {
    let from: String
    let fromURL: String?
    let to: String
    let url: String?
    /// "to <group>" or "defined elsewhere".
    let place: String
    let elsewhere: Bool
    let gap: Bool
}
