import Diagnostics
import PromptTemplates

/// A value from a closed set, as written: `text` is kept even when it names no
/// known case (the PixSim7 format keeps growing), so checks can report it and pages show it.
public struct Choice<Value: RawRepresentable & Hashable & Sendable>: Hashable, Sendable where Value.RawValue == String {
    public let text: String
    public let location: SourceLocation

    public init(_ text: String, at location: SourceLocation) {
        self.text = text
        self.location = location
    }

    /// The case `text` names, nil when it names none.
    public var known: Value? { Value(rawValue: text) }
}

public enum BlockKind: String, Sendable, CaseIterable {
    case singleState = "single_state"
    case transition
}

public enum CameraMovementType: String, Sendable, CaseIterable {
    case `static`, rotation, dolly, tracking, handheld
}

public enum CameraSpeed: String, Sendable, CaseIterable {
    case slow, medium, fast
}

public enum CameraPath: String, Sendable, CaseIterable {
    case circular, arc, linear
}

public enum IntensityPattern: String, Sendable, CaseIterable {
    case steady, building, pulsing, declining
}

/// One action block from `action-blocks/**/*.json` (SPEC §2.4): a 5–8 second
/// clip description. Every value keeps the place it was written; fields the
/// loader does not know are kept in `unknownFields`, never reported.
public struct ActionBlock: Sendable {
    public let id: String
    /// Content-relative path of the file that defines the block.
    public let file: String
    /// Where the block's `{` is.
    public let location: SourceLocation
    /// Where the block's `id` value is.
    public let idLocation: SourceLocation
    /// The name of the package the block came from (`package_info.name`, else the
    /// file name without `.json`); nil for a block from a library (a JSON array).
    public let package: String?
    public let kind: Choice<BlockKind>?
    public let tags: BlockTags
    /// `prompt`, parsed once. Positions inside are relative to the prompt text.
    public let prompt: Template
    /// Where the `prompt` string is in the file; nil when the block has none.
    public let promptLocation: SourceLocation?
    public let negativePrompt: Located<String>?
    public let style: Located<String>?
    public let durationSec: Located<Double>?
    public let compatibleNext: [Located<String>]
    public let compatiblePrev: [Located<String>]
    /// `referenceImage` as written (a mapping such as `{tags, crop, npcId}`).
    public let referenceImage: SourceNode?
    public let isImageToVideo: Located<Bool>?
    /// `startPose`/`endPose` of a single-state block.
    public let startPose: Located<String>?
    public let endPose: Located<String>?
    /// `from`/`to` of a transition block.
    public let from: BlockEndpoint?
    public let to: BlockEndpoint?
    public let cameraMovement: CameraMovement?
    public let consistency: Consistency?
    public let intensityProgression: IntensityProgression?
    /// Top-level fields this loader does not know, in file order.
    public let unknownFields: [SourceNode.Member]
    /// The prompt followed by the sentences of `layeredSentences`; see `LayeredPrompt`.
    public let layeredPrompt: Template

    public init(id: String, file: String, location: SourceLocation, idLocation: SourceLocation? = nil, package: String? = nil,
                kind: Choice<BlockKind>? = nil, tags: BlockTags = BlockTags(), prompt: Template, promptLocation: SourceLocation? = nil,
                negativePrompt: Located<String>? = nil, style: Located<String>? = nil, durationSec: Located<Double>? = nil,
                compatibleNext: [Located<String>] = [], compatiblePrev: [Located<String>] = [], referenceImage: SourceNode? = nil,
                isImageToVideo: Located<Bool>? = nil, startPose: Located<String>? = nil, endPose: Located<String>? = nil,
                from: BlockEndpoint? = nil, to: BlockEndpoint? = nil, cameraMovement: CameraMovement? = nil,
                consistency: Consistency? = nil, intensityProgression: IntensityProgression? = nil,
                unknownFields: [SourceNode.Member] = []) {
        self.id = id
        self.file = file
        self.location = location
        self.idLocation = idLocation ?? location
        self.package = package
        self.kind = kind
        self.tags = tags
        self.prompt = prompt
        self.promptLocation = promptLocation
        self.negativePrompt = negativePrompt
        self.style = style
        self.durationSec = durationSec
        self.compatibleNext = compatibleNext
        self.compatiblePrev = compatiblePrev
        self.referenceImage = referenceImage
        self.isImageToVideo = isImageToVideo
        self.startPose = startPose
        self.endPose = endPose
        self.from = from
        self.to = to
        self.cameraMovement = cameraMovement
        self.consistency = consistency
        self.intensityProgression = intensityProgression
        self.unknownFields = unknownFields
        self.layeredPrompt = LayeredPrompt.compose(prompt, LayeredPrompt.sentences(camera: cameraMovement, consistency: consistency,
                                                                                    intensity: intensityProgression))
    }

    /// The plain-language sentences appended to the prompt, in order: camera, consistency, intensity.
    public var layeredSentences: [String] {
        LayeredPrompt.sentences(camera: cameraMovement, consistency: consistency, intensity: intensityProgression)
    }

    /// The pose the clip starts in: `startPose`, else `from.pose`.
    public var firstPose: Located<String>? { startPose ?? from?.pose }
    /// The pose the clip ends in: `endPose`, else `to.pose`.
    public var lastPose: Located<String>? { endPose ?? to?.pose }

    /// Every unknown field of the block and of its nested objects, by dotted path
    /// (`mood_score`, `tags.creature`, `cameraMovement.height`), for pages to show.
    public var allUnknownFields: [(path: String, value: SourceNode)] {
        func prefixed(_ prefix: String, _ members: [SourceNode.Member]?) -> [(path: String, value: SourceNode)] {
            (members ?? []).map { ("\(prefix).\($0.key)", $0.value) }
        }
        return unknownFields.map { ($0.key, $0.value) }
            + prefixed("tags", tags.unknownFields)
            + prefixed("from", from?.unknownFields)
            + prefixed("to", to?.unknownFields)
            + prefixed("cameraMovement", cameraMovement?.unknownFields)
            + prefixed("consistency", consistency?.unknownFields)
            + prefixed("intensityProgression", intensityProgression?.unknownFields)
    }
}

/// `tags` of a block. `location` is the place tag (`bench_park`), not a source location.
public struct BlockTags: Sendable {
    public let location: Located<String>?
    public let pose: Located<String>?
    public let intimacyLevel: Located<String>?
    public let mood: Located<String>?
    public let contentRating: Located<String>?
    public let timeOfDay: Located<String>?
    public let indoors: Located<Bool>?
    public let branchType: Located<String>?
    /// 1–10 in the format; the loader keeps any whole number (the range is a check).
    public let intensity: Located<Int>?
    public let custom: [Located<String>]
    public let unknownFields: [SourceNode.Member]

    public init(location: Located<String>? = nil, pose: Located<String>? = nil, intimacyLevel: Located<String>? = nil,
                mood: Located<String>? = nil, contentRating: Located<String>? = nil, timeOfDay: Located<String>? = nil,
                indoors: Located<Bool>? = nil, branchType: Located<String>? = nil, intensity: Located<Int>? = nil,
                custom: [Located<String>] = [], unknownFields: [SourceNode.Member] = []) {
        self.location = location
        self.pose = pose
        self.intimacyLevel = intimacyLevel
        self.mood = mood
        self.contentRating = contentRating
        self.timeOfDay = timeOfDay
        self.indoors = indoors
        self.branchType = branchType
        self.intensity = intensity
        self.custom = custom
        self.unknownFields = unknownFields
    }
}

/// `from` or `to` of a transition block.
public struct BlockEndpoint: Sendable {
    public let location: SourceLocation
    public let pose: Located<String>?
    public let referenceImage: SourceNode?
    public let unknownFields: [SourceNode.Member]

    public init(location: SourceLocation, pose: Located<String>? = nil, referenceImage: SourceNode? = nil, unknownFields: [SourceNode.Member] = []) {
        self.location = location
        self.pose = pose
        self.referenceImage = referenceImage
        self.unknownFields = unknownFields
    }
}

/// `cameraMovement`: `{type, speed, path, focus}`.
public struct CameraMovement: Sendable {
    public let location: SourceLocation
    public let type: Choice<CameraMovementType>?
    public let speed: Choice<CameraSpeed>?
    public let path: Choice<CameraPath>?
    public let focus: Located<String>?
    public let unknownFields: [SourceNode.Member]

    public init(location: SourceLocation, type: Choice<CameraMovementType>? = nil, speed: Choice<CameraSpeed>? = nil,
                path: Choice<CameraPath>? = nil, focus: Located<String>? = nil, unknownFields: [SourceNode.Member] = []) {
        self.location = location
        self.type = type
        self.speed = speed
        self.path = path
        self.focus = focus
        self.unknownFields = unknownFields
    }
}

/// `consistency` flags (also a template's `consistency_defaults`); nil means not given.
public struct Consistency: Sendable {
    public let location: SourceLocation
    public let maintainPose: Bool?
    public let preserveLighting: Bool?
    public let preserveClothing: Bool?
    public let preservePosition: Bool?
    public let unknownFields: [SourceNode.Member]

    public init(location: SourceLocation, maintainPose: Bool? = nil, preserveLighting: Bool? = nil, preserveClothing: Bool? = nil,
                preservePosition: Bool? = nil, unknownFields: [SourceNode.Member] = []) {
        self.location = location
        self.maintainPose = maintainPose
        self.preserveLighting = preserveLighting
        self.preserveClothing = preserveClothing
        self.preservePosition = preservePosition
        self.unknownFields = unknownFields
    }
}

/// `intensityProgression`: `{start, peak, end}` (1–10 in the format) and a pattern.
public struct IntensityProgression: Sendable {
    public let location: SourceLocation
    public let start: Located<Int>?
    public let peak: Located<Int>?
    public let end: Located<Int>?
    public let pattern: Choice<IntensityPattern>?
    public let unknownFields: [SourceNode.Member]

    public init(location: SourceLocation, start: Located<Int>? = nil, peak: Located<Int>? = nil, end: Located<Int>? = nil,
                pattern: Choice<IntensityPattern>? = nil, unknownFields: [SourceNode.Member] = []) {
        self.location = location
        self.start = start
        self.peak = peak
        self.end = end
        self.pattern = pattern
        self.unknownFields = unknownFields
    }
}

/// An action-block package: a JSON object with `package_info`, `creatures`,
/// `templates` and `action_blocks`.
public struct ActionBlockPackage: Sendable {
    /// Content-relative path of the package file.
    public let file: String
    public let location: SourceLocation
    /// `package_info.name`, else the file name without `.json`.
    public let name: String
    public let info: PackageInfo?
    /// `creatures` as written (free-form descriptions keyed by creature id).
    public let creatures: SourceNode?
    /// `templates`, in file order.
    public let templates: [BlockTemplate]
    /// Ids of the blocks the package defines, in file order.
    public let blockIDs: [String]
    public let unknownFields: [SourceNode.Member]

    public func template(_ key: String) -> BlockTemplate? { templates.first { $0.key == key } }
}

/// `package_info`.
public struct PackageInfo: Sendable {
    public let location: SourceLocation
    public let name: String?
    public let version: String?
    public let author: String?
    public let description: String?
    public let contentRatingMax: String?
    public let createdDate: String?
    public let unknownFields: [SourceNode.Member]
}

/// One entry of a package's `templates`, keyed by `key`.
public struct BlockTemplate: Sendable {
    public let key: String
    public let location: SourceLocation
    public let name: String?
    public let template: Template?
    public let requiredParams: [Located<String>]
    public let optionalParams: [Located<String>]
    public let cameraTemplate: Template?
    public let consistencyDefaults: Consistency?
    public let unknownFields: [SourceNode.Member]
}
