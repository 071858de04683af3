import Diagnostics
import PromptTemplates

// The schemas of the files promptsite reads in PixSim7's own formats: action blocks and programs
// (JSON, read through these schemas by `JSONObjectReader`). Unknown fields are allowed where the
// loaders keep or ignore them, as PixSim7 does.

extension ContentSchemas {
    // MARK: Shapes PixSim7's formats share

    /// The characters Python's `str.isspace()` accepts (what `str.strip()` removes), as the body of a regex class.
    static let pythonSpaces = #"\u0009-\u000d\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"#

    /// A string with something besides spaces (PixSim7's `isinstance(x, str) and x.strip()`).
    static let nonBlank: FieldShape = .constrained(.string, [("pattern", .string("[^\(pythonSpaces)]"))])

    /// A string that, spaces around it stripped and in any case, is one of `words` (`mode: " Hybrid "`).
    static func word(among words: [String]) -> FieldShape {
        func anyCase(_ word: String) -> String {
            word.map { $0.isLetter ? "[\($0.lowercased())\($0.uppercased())]" : String($0) }.joined()
        }
        let alternatives = words.map(anyCase).joined(separator: "|")
        return .constrained(.string, [("pattern", .string("^[\(pythonSpaces)]*(?:\(alternatives))[\(pythonSpaces)]*$"))])
    }

    static let emptyString: FieldShape = .constrained(.string, [("maxLength", .int(0))])
    static let emptyMapping: FieldShape = .constrained(.map(.any), [("maxProperties", .int(0))])
    /// A mapping whose keys are not blank.
    static func keyed(_ value: FieldShape) -> FieldShape {
        .constrained(.map(value), [("propertyNames", .object([("pattern", .string("[^\(pythonSpaces)]"))]))])
    }

    /// `{"if": {property: const value}, "then": then}`: a rule for objects whose `property` is `value`.
    static func when(_ property: String, is values: [String], _ then: [(String, JSONValue)]) -> JSONValue {
        let test: JSONValue = values.count == 1 ? .object([("const", .string(values[0]))]) : .object([("enum", .array(values.map(JSONValue.string)))])
        return .object([
            ("if", .object([("properties", .object([(property, test)])), ("required", .array([.string(property)]))])),
            ("then", .object(then)),
        ])
    }

    static func names(_ names: String...) -> JSONValue { .array(names.map(JSONValue.string)) }

    // MARK: action-blocks/**/*.json

    /// An id with a character other than a space or tab (the loader trims `CharacterSet.whitespaces`).
    static let blockID: FieldShape = .constrained(.string, [("pattern", .string(#"[^\u0009\u0020\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"#))])

    /// 1–10, as `block-range` holds intensities.
    static let intensity: FieldShape = .integer(minimum: 1, maximum: 10)

    public static let blockTags = ObjectSchema("block tags", open: true, [
        FieldSchema("location", .string, "The place, e.g. `bench_park`."),
        FieldSchema("pose", .string, "The pose the block shows."),
        FieldSchema("intimacy_level", .string, "How intimate the moment is."),
        FieldSchema("mood", .string, "The mood, e.g. `playful`."),
        FieldSchema("content_rating", .string, "The content rating, e.g. `general`."),
        FieldSchema("time_of_day", .string, "When it happens, e.g. `night`."),
        FieldSchema("indoors", .boolean, "Whether it happens indoors."),
        FieldSchema("branch_type", .string, "The kind of branch this block starts."),
        FieldSchema("intensity", intensity, "Intensity, 1 to 10."),
        FieldSchema("custom", .list(.string), "Free tags."),
    ])

    public static let blockEndpoint = ObjectSchema("transition endpoint", open: true, [
        FieldSchema("pose", .string, "The pose at this end of the transition."),
        FieldSchema("referenceImage", .map(.any), "A reference image for this end (`{tags, crop, npcId}`)."),
    ])

    public static let cameraMovement = ObjectSchema("cameraMovement", open: true, [
        FieldSchema("type", .text(values: CameraMovementType.allCases.map(\.rawValue)), "static, rotation, dolly, tracking or handheld."),
        FieldSchema("speed", .text(values: CameraSpeed.allCases.map(\.rawValue)), "slow, medium or fast."),
        FieldSchema("path", .text(values: CameraPath.allCases.map(\.rawValue)), "circular, arc or linear."),
        FieldSchema("focus", .string, "What the camera keeps in focus."),
    ])

    public static let consistency = ObjectSchema("consistency", open: true, [
        FieldSchema("maintainPose", .boolean, "Keep the pose from the previous clip."),
        FieldSchema("preserveLighting", .boolean, "Keep the lighting."),
        FieldSchema("preserveClothing", .boolean, "Keep the clothing."),
        FieldSchema("preservePosition", .boolean, "Keep the position in the frame."),
    ])

    public static let intensityProgression = ObjectSchema("intensityProgression", open: true, [
        FieldSchema("start", intensity, "Intensity at the start, 1 to 10."),
        FieldSchema("peak", intensity, "Highest intensity, 1 to 10 (not below start or end: `check` holds that)."),
        FieldSchema("end", intensity, "Intensity at the end, 1 to 10."),
        FieldSchema("pattern", .text(values: IntensityPattern.allCases.map(\.rawValue)), "steady, building, pulsing or declining."),
    ])

    public static let actionBlock = ObjectSchema("action block", open: true, [
        FieldSchema("id", blockID, required: true, "Unique across all action-block files; other blocks link to it."),
        FieldSchema("kind", .text(values: BlockKind.allCases.map(\.rawValue)), required: true, "single_state or transition."),
        FieldSchema("prompt", .string, required: true, "The prompt template, with `{{paths}}`."),
        FieldSchema("tags", .object(blockTags), "Where, who and how intense."),
        FieldSchema("negativePrompt", .string, "The negative prompt."),
        FieldSchema("style", .string, "A style name."),
        FieldSchema("durationSec", .constrained(.number, [("exclusiveMinimum", .int(0))]), "Clip length in seconds, above 0 (and within the default providers' `duration`: `check` holds that)."),
        FieldSchema("compatibleNext", .list(.string), "Ids of blocks that may follow."),
        FieldSchema("compatiblePrev", .list(.string), "Ids of blocks that may come before."),
        FieldSchema("referenceImage", .map(.any), "A reference image (`{tags, crop, npcId}`)."),
        FieldSchema("isImageToVideo", .boolean, "Whether the clip starts from an image."),
        FieldSchema("startPose", .string, "The pose a single_state block starts in."),
        FieldSchema("endPose", .string, "The pose a single_state block ends in."),
        FieldSchema("from", .object(blockEndpoint), "Where a transition starts."),
        FieldSchema("to", .object(blockEndpoint), "Where a transition ends."),
        FieldSchema("cameraMovement", .object(cameraMovement), "How the camera moves (a sentence of the layered prompt)."),
        FieldSchema("consistency", .object(consistency), "What stays the same (a sentence of the layered prompt)."),
        FieldSchema("intensityProgression", .object(intensityProgression), "How intensity moves through the clip."),
    ])

    public static let blockPackageInfo = ObjectSchema("package_info", open: true, [
        FieldSchema("name", .string, "The package's name (default: the file name)."),
        FieldSchema("version", .string, "The package's version."),
        FieldSchema("author", .string, "Who wrote it."),
        FieldSchema("description", .string, "What it holds."),
        FieldSchema("content_rating_max", .string, "The highest content rating of its blocks."),
        FieldSchema("created_date", .string, "When it was made."),
    ])

    public static let blockTemplate = ObjectSchema("package template", open: true, [
        FieldSchema("name", .string, "Display name."),
        FieldSchema("template", .string, "A prompt template; its `{{params}}` must be listed in required_params or optional_params."),
        FieldSchema("required_params", .list(.string), "Parameters the template needs."),
        FieldSchema("optional_params", .list(.string), "Parameters the template may use."),
        FieldSchema("camera_template", .string, "A template for the camera sentence."),
        FieldSchema("consistency_defaults", .object(consistency), "Consistency flags blocks made from it start with."),
    ])

    public static let actionBlockPackage = ObjectSchema("action-block package", open: true, [
        FieldSchema("package_info", .object(blockPackageInfo), "Name, version, author and rating of the package."),
        FieldSchema("creatures", .map(.any), "Creature descriptions by id, kept as written."),
        FieldSchema("templates", .map(.object(blockTemplate)), "Templates by key."),
        FieldSchema("action_blocks", .list(.object(actionBlock)), required: true, nullable: true, "The package's blocks."),
    ])

    /// An action-block file: a library (a JSON array of blocks) or a package.
    static func actionBlockFile(id: String, description: String) -> JSONValue {
        .object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string(id)),
            ("title", .string("action-blocks/**/*.json")),
            ("description", .string(description)),
            ("anyOf", .array([
                .object([("title", .string("action-block library")), ("description", .string("A JSON array of blocks.")),
                         ("type", .string("array")), ("items", actionBlock.objectJSON())]),
                actionBlockPackage.objectJSON(),
            ])),
        ])
    }

    // MARK: programs/**/*.json

    public static let programInputs = ObjectSchema("program inputs", open: true,
                                                   together: [("additionalProperties", FieldShape.list(.string).json())], [
        FieldSchema("required", .list(.string), nullable: false, "Variables the program needs (dotted paths)."),
        FieldSchema("optional", .list(.string), nullable: false, "Variables the program may use."),
    ])

    public static let programCondition = ObjectSchema("program condition", open: true, [
        FieldSchema("test", .string, required: true, "An expression: paths, numbers, quoted strings, `== != < <= > >=`, `&& || !`, `BETWEEN … AND …`."),
        FieldSchema("template", .string, required: true, "The text this condition adds when its test holds."),
    ])

    /// PixSim7's `MatchCriteria`: text keys compare text, range keys take `{min, max}`; other keys are ignored (a warning).
    public static let programMatch = ObjectSchema("selector match", open: true,
        ProgramStage.textMatchKeys.map { FieldSchema($0, .string, "Equal to this text.") }
        + ProgramStage.rangeMatchKeys.map {
            FieldSchema($0, .map(.oneOf([.number, .boolean, floatText])), "`{min, max}`, inclusive (min ≤ max is not checked here).")
        })

    /// Text pydantic reads as a float (`"50"`, `" 1e2 "`, `"-inf"`, `"1_000"`): digits, signs, points, exponents and
    /// underscores with a digit, or the letters of inf, infinity and nan (a superset: which arrangements are numbers is not checked here).
    static let floatText: FieldShape = {
        let spaces = #"\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"#
        return .constrained(.string, [("pattern", .string("^[\(spaces)]*(?:[-+_0-9.eE]*[0-9][-+_0-9.eE]*|[-+]?[_iInNfFtTyYaA]*[iInNaA][_iInNfFtTyYaA]*)[\(spaces)]*$"))])
    }()

    /// A selector as PixSim7 validates it in any stage; a selector stage's also types its `match`.
    public static let programSelector = ObjectSchema("program selector", open: true, [
        FieldSchema("match", .map(.any), required: true, "Variable → value or `{min, max}`; every key must hold."),
        FieldSchema("template", .string, required: true, "The text when this selector matches."),
    ])
    static let typedSelector = ObjectSchema("program selector", open: true, [
        FieldSchema("match", .object(programMatch), required: true, "Variable → value or `{min, max}`; every key must hold."),
        FieldSchema("template", .string, required: true, "The text when this selector matches."),
    ])

    public static let programDefault = ObjectSchema("selector default", open: true,
                                                    together: [("additionalProperties", FieldShape.string.json())], [
        FieldSchema("template", .string, "The text when no selector matches (required in a selector stage)."),
    ])

    /// A formatter as PixSim7 validates it in any stage; a formatter stage's also holds its `type` and `template`.
    public static let programFormatter = ObjectSchema("program formatter", open: true, [
        FieldSchema("type", .string, required: true, "combine, append or prepend."),
        FieldSchema("template", .string, "The text append or prepend adds."),
        FieldSchema("separator", .string, "What combine puts between outputs (default a newline)."),
        FieldSchema("sources", .list(.string), "The stage ids combine joins."),
    ])

    public static let programIntent = ObjectSchema("suggested intent", open: true, [
        FieldSchema("condition", .string, nullable: false, "When to suggest these intents (a condition expression)."),
        FieldSchema("intents", .oneOf([.string, .list(.any), .map(.any)]), nullable: false, "The intents (a list)."),
    ])

    public static let programVisualPrompt = ObjectSchema("visual_prompt", open: true, [
        FieldSchema("condition", .string, nullable: false, "When it applies (a condition expression)."),
        FieldSchema("template", .oneOf([.constrained(.any, [("enum", .array([.bool(false), .int(0)]))]),
                                        .constrained(.list(.any), [("maxItems", .int(0))]), emptyMapping, .string]),
                    "The visual prompt, with `{{variables}}` (or a value Python reads as false)."),
    ])

    public static let programExpressionHint = ObjectSchema("expression_hint", open: true, [
        FieldSchema("condition", .string, nullable: false, "When it applies (a condition expression)."),
    ])

    public static let programMetadata = ObjectSchema("stage metadata", open: true, [
        FieldSchema("suggested_intents", .list(.object(programIntent)), "Intents to suggest after the stage."),
        FieldSchema("visual_prompt", .object(programVisualPrompt), "A visual prompt to generate."),
        FieldSchema("expression_hint", .object(programExpressionHint), "How the NPC's face should look."),
    ])

    /// A field a stage of another type does not read, which PixSim7 still validates (and iterates): absent, empty, or a list of models.
    static func stageList(_ schema: ObjectSchema) -> FieldShape { .oneOf([emptyString, emptyMapping, .list(.object(schema))]) }

    public static let programStage = ObjectSchema("program stage", open: true, together: [
        ("allOf", .array([
            when("type", is: ["template"], [("required", names("template")), ("properties", .object([("template", .object([("type", .string("string"))]))]))]),
            when("type", is: ["conditional"], [("required", names("conditions")), ("properties", .object([("conditions", .object([("type", .string("array"))]))]))]),
            when("type", is: ["selector"], [
                ("properties", .object([
                    ("selectors", .object([("type", .string("array")), ("items", typedSelector.objectJSON())])),
                    ("default", .object([("if", .object([("type", .string("object"))])), ("then", .object([("required", names("template"))]))])),
                ])),
                ("anyOf", .array([
                    .object([("required", names("selectors")), ("properties", .object([("selectors", .object([("minItems", .int(1))]))]))]),
                    .object([("required", names("default")), ("properties", .object([("default", .object([("type", .string("object"))]))]))]),
                ])),
            ]),
            when("type", is: ["formatter"], [
                ("required", names("formatters")),
                ("properties", .object([("formatters", .object([("type", .string("array")), ("items", .object([
                    ("properties", .object([("type", .object([("enum", .array(ProgramLoader.formatterTypes.map(JSONValue.string)))]))])),
                    ("allOf", .array([when("type", is: ["append", "prepend"], [("required", names("template")),
                                                                               ("properties", .object([("template", .object([("type", .string("string"))]))]))])])),
                ]))]))])),
            ]),
        ])),
    ], [
        FieldSchema("id", .string, required: true, "Unique in the program; formatters name stages by id."),
        FieldSchema("type", .text(values: ProgramLoader.stageTypes), required: true, "template, conditional, selector or formatter."),
        FieldSchema("description", .string, "What the stage does."),
        FieldSchema("template", .string, "A template stage's text, with `{{paths}}`."),
        FieldSchema("conditions", stageList(programCondition), nullable: false, "A conditional stage's conditions: every one that holds adds its text."),
        FieldSchema("selectors", stageList(programSelector), nullable: false, "A selector stage's selectors: the first that matches wins."),
        FieldSchema("default", .object(programDefault), "A selector stage's text when no selector matches."),
        FieldSchema("formatters", stageList(programFormatter), nullable: false, "A formatter stage's steps, in order."),
        FieldSchema("metadata", .object(programMetadata), "Intents, a visual prompt and an expression hint, kept and shown."),
    ])

    public static let program = ObjectSchema("programs/**/*.json", open: true, [
        FieldSchema("id", .string, required: true, "The program's id (programs are also found by file name)."),
        FieldSchema("version", .string, nullable: false, "The program's version (default 1.0.0)."),
        FieldSchema("description", .string, "What the program writes."),
        FieldSchema("inputs", .object(programInputs), nullable: false, "The variables it reads: `required` and `optional` lists."),
        FieldSchema("stages", .list(.object(programStage)), required: true, "The stages, run in order; the last one with output gives the text."),
    ])
}
