import Diagnostics
import PromptTemplates

// The schemas of the files promptsite reads in PixSim7's own formats: action blocks and programs
// (JSON, read through these schemas by `JSONObjectReader`) and content packs (YAML, read by
// `ContentPackLoader` as PixSim7's loaders read them; `PixSim7SchemaTests` keeps the two in step).
// Unknown fields are allowed where the loaders keep or ignore them, as PixSim7 does.

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

    // MARK: content-packs/*/<pack>/manifest.yaml

    public static let packMatrixQuery = ObjectSchema("matrix preset query", open: true, [
        FieldSchema("row_key", nonBlank, required: true, "Rows: category, package_name, role or tag:<key>."),
        FieldSchema("col_key", nonBlank, required: true, "Columns: category, package_name, role or tag:<key>."),
        FieldSchema("package_name", .any, "Only blocks of this package (text)."),
        FieldSchema("tags", .any, "Only blocks with these tags, `key:value` pairs separated by commas (text)."),
        FieldSchema("include_empty", .any, "true shows rows and columns without blocks."),
    ])

    public static let packMatrixPreset = ObjectSchema("matrix preset", open: true, [
        FieldSchema("label", nonBlank, required: true, "The table's title."),
        FieldSchema("query", .object(packMatrixQuery), required: true, "The table's rows, columns and filters."),
    ])

    /// What the loader keeps of a manifest; a value of another type than text is left out without a word, as PixSim7 leaves it.
    public static let packManifest = ObjectSchema("content-packs/*/<pack>/manifest.yaml", open: true, [
        FieldSchema("id", .any, "The pack's id (text)."),
        FieldSchema("title", .any, "Display title (text)."),
        FieldSchema("description", .any, "What the pack holds (text)."),
        FieldSchema("version", .any, "The pack's version (text)."),
        FieldSchema("category", .any, "The pack's category (text)."),
        FieldSchema("package_name", .any, "The package its blocks belong to (text)."),
        FieldSchema("matrix_presets", .list(.object(packMatrixPreset)), "Tables of blocks shown on the pack's page."),
    ])

    // MARK: content-packs/prompt/<pack>/ schema files

    /// The fields of a block the loader holds to a shape (the strings are `ContentPackLoader.blockStringFields`).
    /// A block takes each from the highest level that has it — the pack's and the file's `defaults`, an entry's
    /// `defaults`, the entry, its `block_schema`, the variant — and only that value is checked; so below a plain block
    /// and a variant the fields are declared as any value, and `inherited` rules type the ones some block takes.
    static let packBlockFields: [FieldSchema] = [
        FieldSchema("role", .string, "The block's role; its category when it has none."),
        FieldSchema("category", .string, "The category template slots select on."),
        FieldSchema("kind", .string, "The block's kind."),
        FieldSchema("description", .string, "What the block is for."),
        FieldSchema("complexity_level", .string, "How complex the block is."),
        FieldSchema("package_name", .string, "The package the block belongs to (default: the file's)."),
        FieldSchema("default_intent", .string, "The intent it serves by default."),
        FieldSchema("capabilities", .oneOf([.string, .list(.any)]), "What the block provides: text or a list."),
        FieldSchema("block_metadata", .map(.any), "Free metadata, a mapping."),
        FieldSchema("tags", .map(.any), "Tags template slots query."),
        FieldSchema("duration_sec", .any, "A duration, kept as the tag `duration_sec`."),
    ]

    /// The fields a compiled block may take from below its variant (its `tags` are always the compiled ones).
    static let inheritedFields = packBlockFields.filter { !["tags", "duration_sec"].contains($0.name) }

    /// `fields` as a lower level declares them: any value, the type said in words and held by `inherited` rules.
    static func lowerLevel(_ fields: [FieldSchema]) -> [FieldSchema] {
        fields.map { field in
            let type = switch field.shape {
            case .string: "text"
            case .oneOf: "text or a list"
            case .map: "a mapping"
            default: "any value"
            }
            return FieldSchema(field.name, .any, "\(field.description) Must be \(type) when a block takes it from here.")
        }
    }

    /// Not a mapping with `key` (null, absent, or a mapping without it).
    static func lacks(_ key: String) -> JSONValue { .object([("not", .object([("type", .string("object")), ("required", names(key))]))]) }
    static func typed(_ field: FieldSchema) -> JSONValue { .object([("properties", .object([(field.name, field.shape.json(nullable: field.nullable))]))]) }
    static func someVariantLacks(_ key: String) -> JSONValue {
        .object([("required", names("variants")), ("properties", .object([("variants", .object([("contains", lacks(key))]))]))])
    }
    /// An entry whose `block_schema` gives `key` to none of its variants.
    static func schemaLacks(_ key: String) -> JSONValue {
        .object([("properties", .object([("block_schema", .object([("allOf", .array([lacks(key), someVariantLacks(key)]))]))]))])
    }

    /// `if` some block takes the field from this level, `then` it has its shape (at `path`, a sub-mapping, or here).
    static func inherited(_ fields: [FieldSchema], under path: String? = nil, when takes: (String) -> JSONValue) -> (String, JSONValue) {
        ("allOf", .array(fields.map { field in
            let then = path.map { JSONValue.object([("properties", .object([($0, typed(field))]))]) } ?? typed(field)
            return .object([("if", takes(field.name)), ("then", then)])
        }))
    }

    public static let packDefaults = ObjectSchema("defaults", open: true, lowerLevel(inheritedFields + packBlockFields.filter { $0.name == "tags" }) + [
        FieldSchema("block_id", .any, "A block id, for plain blocks without one (not blank)."),
        FieldSchema("text", .any, "A text for blocks without one."),
        FieldSchema("duration_sec", .any, "A duration, kept as the tag `duration_sec`."),
    ])

    public static let packPlainBlock = ObjectSchema("block", open: true, [
        FieldSchema("block_id", nonBlank, nullable: false, "The block's id: required, here or in `defaults` (of this file or of the pack's root schema file, which this schema cannot see)."),
        FieldSchema("text", .string, "The block's prompt text."),
    ] + packBlockFields)

    static let opParamTypes = ["string", "number", "integer", "boolean", "enum", "ref"]

    public static let packOpParam = ObjectSchema("op param", open: true, together: [
        ("allOf", .array([
            .object([("if", .object([("properties", .object([("type", word(among: ["enum"]).json())])), ("required", names("type"))])),
                     ("then", .object([("required", names("enum")), ("properties", .object([("enum", .object([("type", .string("array"))]))]))]))]),
            .object([("if", .object([("properties", .object([("type", word(among: ["ref"]).json())])), ("required", names("type"))])),
                     ("then", .object([("required", names("ref_capability")), ("properties", .object([("ref_capability", nonBlank.json())]))])),
                     ("else", .object([("properties", .object([("ref_capability", FieldShape.string.json(nullable: true))]))]))]),
        ])),
    ], [
        FieldSchema("key", nonBlank, required: true, "The argument's name in op_args."),
        FieldSchema("type", word(among: opParamTypes), required: true, "string, number, integer, boolean, enum or ref."),
        FieldSchema("required", .boolean, "Whether variants must give it."),
        FieldSchema("description", .string, "What it sets."),
        FieldSchema("tag_key", word(among: PackTagRegistry.pixSim7.keys.sorted()), "The registered tag its value becomes (default: the key, when that is a registered tag)."),
        FieldSchema("enum", .constrained(.list(nonBlank), [("minItems", .int(1))]), "The values of an enum param."),
        FieldSchema("ref_capability", .any, "The capability a ref param refers to (required with type ref; text)."),
        FieldSchema("minimum", .number, "Smallest value."),
        FieldSchema("maximum", .number, "Largest value."),
    ])

    public static let packOpRef = ObjectSchema("op ref", open: true, [
        FieldSchema("key", nonBlank, required: true, "The reference's name."),
        FieldSchema("capability", nonBlank, required: true, "The capability it needs."),
        FieldSchema("required", .boolean, nullable: false, "Whether it must be bound."),
        FieldSchema("many", .boolean, nullable: false, "Whether it takes several."),
        FieldSchema("description", .string, "What it is."),
    ])

    static let modalities: FieldShape = .constrained(.list(word(among: ["image", "video", "both"])), [("minItems", .int(1))])

    public static let packOp = ObjectSchema("block_schema.op", open: true, together: [
        ("oneOf", .array([
            .object([("required", names("op_id")), ("properties", .object([("op_id", .object([("type", .string("string"))]))]))]),
            .object([("required", names("op_id_template")), ("properties", .object([("op_id_template", .object([("type", .string("string"))]))]))]),
        ])),
    ], [
        FieldSchema("op_id", nonBlank, "The op every variant runs (or op_id_template, not both)."),
        FieldSchema("op_id_template", nonBlank, "The op id with `{variant}`, e.g. `camera.motion.{variant}`."),
        FieldSchema("signature_id", nonBlank, "The op's signature (not checked against PixSim7's registry)."),
        FieldSchema("refs", .list(.object(packOpRef)), "References the op takes."),
        FieldSchema("params", .list(.object(packOpParam)), "The op's arguments; each may become a tag."),
        FieldSchema("default_args", keyed(.any), "Arguments variants start from."),
        FieldSchema("modalities", modalities, "image, video or both."),
    ])

    public static let packTextSynthesis = ObjectSchema("text_synthesis", open: true, [
        FieldSchema("template", .any, "Text with `{param}` fields filled from word_tables (required, and not blank, when a variant has no text)."),
        FieldSchema("word_tables", .any, "Per param, argument value → words (a mapping)."),
    ])

    public static let packVariant = ObjectSchema("variant", open: true, together: [
        ("anyOf", .array([
            .object([("required", names("key")), ("properties", .object([("key", nonBlank.json())]))]),
            .object([("not", .object([("required", names("key"))])), ("required", names("id")), ("properties", .object([("id", nonBlank.json())]))]),
        ])),
    ], [
        FieldSchema("key", nonBlank, "The variant's key: the block id is `<id_prefix>.<key>` (required, or written `id`)."),
        FieldSchema("id", .any, "The key, when `key` is not written."),
        FieldSchema("block_id", nonBlank, "An id instead of `<id_prefix>.<key>`."),
        FieldSchema("text", .string, "The block's text (else text_synthesis, else text_template)."),
        FieldSchema("tags", .map(.any), "Tags over the schema's."),
        FieldSchema("descriptors", keyed(.any), "Descriptors."),
        FieldSchema("op_id", nonBlank, "The op this variant runs."),
        FieldSchema("op_args", keyed(.any), "Arguments over the op's default_args."),
        FieldSchema("op_modalities", modalities, "image, video or both."),
        FieldSchema("ref_bindings", keyed(nonBlank), "Reference → what binds it."),
    ] + packBlockFields.filter { $0.name != "tags" })

    static let idPrefix: FieldShape = .constrained(.string, [("pattern", .string("[^.\(pythonSpaces)]|\\.[\(pythonSpaces)]+\\."))])

    /// A variant with op fields needs an op_id when the schema has no op; text_synthesis needs its template when a variant has no text.
    public static let packBlockSchema = ObjectSchema("block_schema", open: true, together: [
        ("allOf", .array([
            .object([
                ("if", .object([("not", .object([("required", names("op")), ("properties", .object([("op", .object([("type", .string("object"))]))]))]))])),
                ("then", .object([("properties", .object([("variants", .object([("items", .object([
                    ("if", .object([("anyOf", .array(["op_id", "op_args", "op_modalities", "ref_bindings"].map { .object([("required", names($0))]) }))])),
                    ("then", .object([("required", names("op_id")), ("properties", .object([("op_id", .object([("type", .string("string"))]))]))])),
                ]))]))]))])),
            ]),
            .object([
                ("if", .object([("properties", .object([("variants", .object([("contains", .object([("anyOf", .array([
                    .object([("not", .object([("required", names("text"))]))]),
                    .object([("properties", .object([("text", .object([("type", .string("null"))]))]))]),
                ]))]))]))]))])),
                ("then", .object([("properties", .object([("text_synthesis", .object([
                    ("if", .object([("type", .string("object"))])),
                    ("then", .object([("required", names("template")), ("properties", .object([
                        ("template", nonBlank.json()), ("word_tables", FieldShape.map(.any).json(nullable: true)),
                    ]))])),
                ]))]))])),
            ]),
            .object([inherited(inheritedFields, when: someVariantLacks)]),
        ])),
    ], [
        FieldSchema("id_prefix", idPrefix, required: true, nullable: false, "The start of every block id (`harbor.light.lantern`)."),
        FieldSchema("mode", word(among: ["surface", "hybrid", "op"]), "surface (text), op (an op id) or hybrid (both); default from what the variants give."),
        FieldSchema("text_template", .string, "Text with `{variant}`, for variants without their own."),
        FieldSchema("text_synthesis", .object(packTextSynthesis), "Text written from the op arguments."),
        FieldSchema("descriptors", keyed(.any), "Descriptors."),
        FieldSchema("tags", .map(.any), "Tags of every variant."),
        FieldSchema("variants", .constrained(.list(.object(packVariant)), [("minItems", .int(1))]), required: true, nullable: false, "One block per variant."),
        FieldSchema("op", .object(packOp), "The op the variants run."),
        FieldSchema("text", .any, "A text for variants that compile to none (mode op)."),
    ] + lowerLevel(inheritedFields) + [packBlockFields.last!])

    public static let packSchemaEntry = ObjectSchema("schema entry", open: true, together: [
        ("allOf", .array([
            .object([inherited(inheritedFields, when: schemaLacks)]),
            .object([inherited(inheritedFields, under: "defaults") { .object([("allOf", .array([schemaLacks($0), lacks($0)]))]) }]),
        ])),
    ], [
        FieldSchema("id", nonBlank, "The entry's id (tag `schema_id`)."),
        FieldSchema("group", nonBlank, "A group (tag `schema_group`)."),
        FieldSchema("defaults", .object(packEntryDefaults), "Fields every variant starts from."),
        FieldSchema("block_schema", .object(packBlockSchema), required: true, "Compiles to one block per variant."),
        FieldSchema("text", .any, "A text for variants that compile to none (mode op)."),
        FieldSchema("duration_sec", .any, "A duration, kept as the tag `duration_sec`."),
    ] + lowerLevel(inheritedFields))

    /// An entry's `defaults`: its `block_id` and `tags` are always replaced by the compiled ones.
    static let packEntryDefaults = ObjectSchema("entry defaults", open: true, lowerLevel(inheritedFields) + [
        FieldSchema("text", .any, "A text for variants that compile to none (mode op)."),
        FieldSchema("duration_sec", .any, "A duration, kept as the tag `duration_sec`."),
    ])

    /// A plain block of the file without `key`, or (for the fields a compiled block inherits) an entry none of whose levels gives it.
    static func fileBlockLacks(_ key: String) -> JSONValue {
        let plain: JSONValue = .object([("type", .string("object")), ("not", .object([("anyOf", .array([.object([("required", names("block_schema"))]),
                                                                                                          .object([("required", names(key))])]))]))])
        guard inheritedFields.contains(where: { $0.name == key }) else {
            return .object([("properties", .object([("blocks", .object([("contains", plain)]))]))])
        }
        let entry: JSONValue = .object([("required", names("block_schema")), ("allOf", .array([
            .object([("not", .object([("required", names(key))]))]), .object([("properties", .object([("defaults", lacks(key))]))]), schemaLacks(key),
        ]))])
        return .object([("properties", .object([("blocks", .object([("contains", .object([("anyOf", .array([plain, entry]))]))]))]))])
    }

    public static let packBlocks = ObjectSchema("content-packs/prompt/<pack>/schema.yaml", open: true, together: [
        inherited(inheritedFields + packBlockFields.filter { $0.name == "tags" } + [FieldSchema("block_id", nonBlank, nullable: false, ""), FieldSchema("text", .string, "")],
                  under: "defaults", when: fileBlockLacks),
    ], [
        FieldSchema("package_name", .string, "The package of the pack's blocks (the same in all its files)."),
        FieldSchema("defaults", .object(packDefaults), "Fields every block of this file starts from (those of the pack's root schema file apply to all its files)."),
        FieldSchema("block_schema", .constrained(.any, [("type", .string("null"))]), "No longer supported: write `blocks: [{block_schema: …}]`."),
        FieldSchema("blocks", .list(.oneOf([.object(packSchemaEntry), .constrained(.object(packPlainBlock), [("not", .object([("required", names("block_schema"))]))])])),
                    "Schema entries (with `block_schema`) and plain blocks."),
    ])

    // MARK: content-packs/prompt/<pack>/templates.yaml

    /// A slot's `tags`: a tag map (an `all` group), or groups `all`/`all_of`, `any`/`any_of`, `not`/`none_of`, each a tag map.
    static let slotTagQuery: FieldShape = .object(ObjectSchema("slot tag query", open: true,
        ["all", "all_of", "any", "any_of", "not", "none_of"].map { FieldSchema($0, .map(.any), "Tag → value or list of values.") }))

    /// `TemplateSlotSpec` as pydantic's lax mode reads it (closed: PixSim7 refuses any other field).
    public static let packSlot: ObjectSchema = {
        let fields = TemplateSlotSpec.fields.map { field in
            field.name == "tags" ? FieldSchema("tags", slotTagQuery, "The tag query: a tag map, or groups all, any and not.") : field.schema
        }
        let blockSource = FieldSchema("block_source", .any, "Dropped before slot_schema_version 3 and refused from then on; not checked here.")
        return ObjectSchema("template slot", fields + [blockSource])
    }()

    public static let packSlotPreset = ObjectSchema("slot preset", [
        FieldSchema("preset", .text(values: PackSlotNormalizer.presetSlotCounts.keys.sorted()), required: true, "One of PixSim7's slot presets."),
    ])

    public static let packTemplateMetadata = ObjectSchema("template_metadata", open: true, [
        FieldSchema("slot_schema_version", .any, "The slots' format version, a whole number up to \(PackSlotNormalizer.currentSchemaVersion) (default 1; read when there are slots)."),
    ])

    /// `slot_schema_version` as Python's `int()` reads it (a float is truncated), at most the current version; a numeral
    /// string's size is not checked here.
    static let slotSchemaVersion: FieldShape = .oneOf([
        .constrained(.number, [("exclusiveMinimum", .double(-9.2e18)), ("exclusiveMaximum", .int(PackSlotNormalizer.currentSchemaVersion + 1))]),
        .boolean,
        .constrained(.string, [("pattern", .string("^[\(pythonSpaces)]*[-+]?[0-9](?:_?[0-9])*[\(pythonSpaces)]*$"))]),
    ])

    public static let packTemplate = ObjectSchema("template", open: true, together: [
        ("if", .object([("required", names("slots")), ("properties", .object([("slots", .object([("type", .string("array"))]))]))])),
        ("then", .object([("properties", .object([("template_metadata", .object([
            ("if", .object([("type", .string("object"))])),
            ("then", .object([("properties", .object([("slot_schema_version", slotSchemaVersion.json(nullable: true))]))])),
        ]))]))])),
    ], [
        FieldSchema("slug", nonBlank, required: true, "Unique in the pack."),
        FieldSchema("name", .string, "Display name."),
        FieldSchema("description", .string, "What it composes."),
        FieldSchema("composition_strategy", .string, "How the slots' texts are joined (default sequential)."),
        FieldSchema("package_name", .string, "The package it belongs to."),
        FieldSchema("template_metadata", .object(packTemplateMetadata), "Free metadata; slot_schema_version is read."),
        FieldSchema("slots", .list(.oneOf([.object(packSlotPreset), .object(packSlot)])), "The slots, composed in slot_index order."),
    ])

    public static let packTemplates = ObjectSchema("content-packs/prompt/<pack>/templates.yaml", open: true, [
        FieldSchema("templates", .list(.object(packTemplate)), "Slot templates."),
    ])

    // MARK: content-packs/primitives/<pack>/blocks/*.yaml

    static let nonEmpty: FieldShape = .constrained(.string, [("minLength", .int(1))])

    public static let packPrimitive = ObjectSchema("primitive block", open: true, [
        FieldSchema("block_id", nonEmpty, required: true, "Unique in the pack."),
        FieldSchema("category", nonEmpty, required: true, "The category template slots select on."),
        FieldSchema("text", nonEmpty, required: true, "The block's prompt text."),
        FieldSchema("tags", .map(.any), nullable: false, "Tags template slots query (scalars are read as text)."),
    ])

    public static let packPrimitives = ObjectSchema("content-packs/primitives/<pack>/blocks/*.yaml", open: true, [
        FieldSchema("blocks", .list(.object(packPrimitive)), required: true, "The pack's blocks."),
    ])
}

// MARK: TemplateSlotSpec as a schema

extension SlotField {
    /// The field as the template schema publishes it.
    var schema: FieldSchema { FieldSchema(name, type.shape, nullable: nullable, description) }
}

extension SlotFieldType {
    /// What pydantic's lax mode accepts: an integer also as a boolean in range (0, 1) or a numeral string
    /// (whose value is not bounded here), a boolean also as 0, 1 or one of its words.
    var shape: FieldShape {
        switch self {
        case .string(let minimum, let maximum):
            let bounds = [minimum.map { ("minLength", JSONValue.int($0)) }, maximum.map { ("maxLength", JSONValue.int($0)) }].compactMap { $0 }
            return bounds.isEmpty ? .string : .constrained(.string, bounds)
        case .integer(let minimum, let maximum):
            return .oneOf([.integer(minimum: minimum, maximum: maximum)] + Self.booleans(minimum.map(Double.init), maximum.map(Double.init)) + [.string])
        case .number(let minimum, let maximum):
            let bounds = [minimum.map { ("minimum", Self.bound($0)) }, maximum.map { ("maximum", Self.bound($0)) }].compactMap { $0 }
            return .oneOf([bounds.isEmpty ? .number : .constrained(.number, bounds)] + Self.booleans(minimum, maximum) + [.string])
        case .boolean:
            let words = ["1", "on", "t", "true", "y", "yes", "0", "off", "f", "false", "n", "no"]
            let pattern = "^(?:" + words.map { $0.map { $0.isLetter ? "[\($0)\($0.uppercased())]" : String($0) }.joined() }.joined(separator: "|") + ")$"
            return .oneOf([.boolean, .constrained(.any, [("enum", .array([.int(0), .int(1)]))]), .constrained(.string, [("pattern", .string(pattern))])])
        case .dictionary:
            return .map(.any)
        case .list(let item):
            return .list(item.shape)
        case .uuid:
            return .constrained(.string, [("pattern", .string("^(?:[uU][rR][nN]:[uU][uU][iI][dD]:)?[-{}]*(?:[0-9a-fA-F][-{}]*){32}$"))])
        case .literal(let values):
            return .text(values: values)
        case .model(let name, let fields):
            return .object(ObjectSchema(name, fields.map(\.schema)))
        }
    }

    private static func bound(_ value: Double) -> JSONValue { value == value.rounded() ? .int(Int(value)) : .double(value) }

    /// `false` and `true` where 0 and 1 are within the bounds.
    private static func booleans(_ minimum: Double?, _ maximum: Double?) -> [FieldShape] {
        let allowed = [(false, 0.0), (true, 1.0)].filter { (minimum ?? 0) <= $0.1 && $0.1 <= (maximum ?? 1) }.map { JSONValue.bool($0.0) }
        return allowed.isEmpty ? [] : [.constrained(.any, [("enum", .array(allowed))])]
    }
}
