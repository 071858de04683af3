import Testing
@testable import PromptTemplates

@Suite struct ProgramEvaluationTests {
    /// A small game state: nested maps, a flat dotted key, and one explicit null.
    static let context = TemplateValues([
        "npc": .map([
            "name": .string("Mara"),
            "personality": .map(["traits": .list([.string("wry"), .string("brave")])]),
        ]),
        "relationship": .map([
            "affinity": .int(72), "trust": .int(25), "chemistry": .double(70.0),
            "tension": .int(0), "tier": .string("close_friend"),
        ]),
        "location": .map(["id": .string("harbor"), "name": .string("the harbor"), "meta": .map([:])]),
        "flags": .map(["met": .bool(true), "kissed": .bool(false), "note": .string(""), "nothing": .null]),
        "arcs.main_romance.stage": .int(3),
        "world_time": .int(79200),
        "ratio": .double(0.5),
    ])

    private func holds(_ source: String, _ values: TemplateValues = context, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        switch ProgramExpression.parse(source) {
        case .success(let expression):
            return expression.evaluate(values)
        case .failure(let error):
            Issue.record("`\(source)` failed to parse: \(error)", sourceLocation: sourceLocation)
            return false
        }
    }

    private func expression(_ source: String) throws -> ProgramExpression {
        try ProgramExpression.parse(source).get()
    }

    private func template(_ text: String) -> Template { Template(parsing: text) }

    // MARK: Expressions

    @Test(arguments: [
        ("missing == null", true),
        ("null == missing.deeper", true),
        ("missing != null", false),
        ("missing != 1", true),
        ("missing == 0", false),
        ("missing == ''", false),
        ("missing < 5", false),
        ("missing >= 0", false),
        ("5 > missing", false),
        ("missing", false),
        ("!missing", true),
        ("missing BETWEEN 0 AND 10", false),
        ("flags.nothing == null", true),
        ("flags.nothing", false),
        ("flags.nothing <= 0", false),
        ("location.id != null", true),
        ("location.id == null", false),
    ])
    func missingPathsAreNull(source: String, expected: Bool) {
        #expect(holds(source) == expected, "\(source)")
    }

    @Test(arguments: [
        ("relationship.affinity >= 72", true),
        ("relationship.affinity > 72", false),
        ("relationship.chemistry == 70", true),
        ("relationship.chemistry >= 70 && relationship.tension < 1", true),
        ("relationship.affinity == 72.0", true),
        ("relationship.affinity != 72.5", true),
        ("ratio < 1", true),
        ("ratio > -1", true),
        ("ratio == 0.5", true),
        ("relationship.tier == 'close_friend'", true),
        (#"relationship.tier == "close_friend""#, true),
        ("relationship.tier < 'd'", true),
        ("relationship.tier > 'close'", true),
        ("'apple' < 'banana'", true),
        ("'10' == 10", false),
        ("'10' != 10", true),
        ("'abc' < 5", false),
        ("'abc' >= 5", false),
        ("true == 1", false),
        ("flags.met == true", true),
        ("flags.met != false", true),
        ("flags.met > false", false),
        ("null == null", true),
        ("null <= null", false),
    ])
    func comparisonsFollowPixSim7(source: String, expected: Bool) {
        #expect(holds(source) == expected, "\(source)")
    }

    @Test(arguments: [
        ("flags.met", true),
        ("flags.kissed", false),
        ("flags.note", false),
        ("relationship.tension", false),
        ("relationship.affinity", true),
        ("ratio", true),
        ("npc.personality.traits", true),
        ("location.meta", true),
        ("npc.name", true),
        ("0.0", false),
        ("-1", true),
        ("''", false),
        ("' '", true),
        ("null", false),
        ("!flags.note", true),
    ])
    func barePathsAreTruthyUnlessNullFalseZeroOrEmpty(source: String, expected: Bool) {
        #expect(holds(source) == expected, "\(source)")
    }

    @Test func logicalOperatorsTruthTable() {
        for a in [false, true] {
            for b in [false, true] {
                let values = TemplateValues(["a": .bool(a), "b": .bool(b)])
                #expect(holds("a && b", values) == (a && b))
                #expect(holds("a || b", values) == (a || b))
                #expect(holds("!a || b", values) == (!a || b))
                #expect(holds("!(a && b)", values) == !(a && b))
                #expect(holds("a && !b || !a && b", values) == (a != b))
            }
        }
    }

    @Test func betweenIncludesBothBounds() {
        #expect(holds("world_time BETWEEN 79200 AND 86400"))
        #expect(holds("world_time BETWEEN 0 AND 79200"))
        #expect(!holds("world_time BETWEEN 0 AND 79199"))
        #expect(holds("ratio BETWEEN 0 AND 1"))
        #expect(holds("relationship.tier BETWEEN 'a' AND 'd'"))
        #expect(!holds("relationship.tier BETWEEN 0 AND 100"))
        #expect(!holds("world_time BETWEEN missing AND 90000"))
    }

    @Test func flatDottedKeysAreReachable() {
        #expect(holds("arcs.main_romance.stage == 3"))
        #expect(holds("arcs.main_romance.stage >= 3 && arcs.main_romance.stage < 5"))
    }

    @Test func valuesOfExpressions() throws {
        #expect(try expression("npc.name").value(Self.context) == .string("Mara"))
        #expect(try expression("missing").value(Self.context) == nil)
        #expect(try expression("null").value(Self.context) == .null)
        #expect(try expression("-2.5").value(Self.context) == .double(-2.5))
        #expect(try expression("relationship.trust < 30").value(Self.context) == .bool(true))
        #expect(try expression("flags.met && npc.name").value(Self.context) == .bool(true))
        #expect(try expression("(relationship.trust < 30) == true").value(Self.context) == .bool(true))
    }

    // MARK: Stages

    @Test func templateStageRendersMissingValuesAsEmpty() {
        let program = NarrativeProgram(id: "p", stages: [
            ProgramStage(id: "persona", kind: .template(template("You are {{npc.name}}{{npc.title}}."))),
        ])
        let run = program.run(Self.context)
        #expect(run.finalText == "You are Mara.")
        #expect(run.output(of: "persona") == "You are Mara.")
    }

    @Test func emptyOutputCountsAsNone() {
        let program = NarrativeProgram(id: "p", stages: [
            ProgramStage(id: "first", kind: .template(template("first"))),
            ProgramStage(id: "blank", kind: .template(template("{{missing}}"))),
            ProgramStage(id: "future", kind: .unknown("llm_call")),
        ])
        let run = program.run(Self.context)
        #expect(run.outputs.map(\.stage) == ["first", "blank", "future"])
        #expect(run.outputs.map(\.text) == ["first", nil, nil])
        #expect(run.finalText == "first")
    }

    @Test func noOutputAtAllGivesAnEmptyFinalText() throws {
        let program = NarrativeProgram(id: "p", stages: [
            ProgramStage(id: "never", kind: .conditional([(test: try expression("false"), template: template("x"))])),
        ])
        #expect(program.run(Self.context).finalText == "")
        #expect(NarrativeProgram(id: "empty", stages: []).run(Self.context).finalText == "")
    }

    @Test func conditionalJoinsEveryPassingCondition() throws {
        let stage = ProgramStage(id: "mood", kind: .conditional([
            (test: try expression("relationship.trust < 30"), template: template("Guarded.")),
            (test: try expression("relationship.tension >= 60"), template: template("Tense.")),
            (test: try expression("flags.met"), template: template("{{npc.name}} remembers you.")),
            (test: try expression("flags.met"), template: template("{{missing}}")),
        ]))
        let run = NarrativeProgram(id: "p", stages: [stage]).run(Self.context)
        #expect(run.output(of: "mood") == "Guarded.\nMara remembers you.")

        let none = NarrativeProgram(id: "p", stages: [stage]).run(TemplateValues(["relationship": .map(["trust": .int(90)])]))
        #expect(none.output(of: "mood") == nil)
        #expect(none.finalText == "")
    }

    @Test func selectorTakesTheFirstMatchThenTheDefault() {
        let selectors: [(match: [VariablePath: ProgramStage.MatchRule], template: Template)] = [
            (match: ["relationship.tier": .equals(.string("lover"))], template: template("lover")),
            (match: ["relationship.tier": .equals(.string("close_friend")), "relationship.chemistry": .range(min: 71, max: nil)],
             template: template("close friend, smitten")),
            (match: ["relationship.tier": .equals(.string("close_friend")), "relationship.chemistry": .range(min: 70, max: 70)],
             template: template("close friend at exactly {{relationship.chemistry}}")),
            (match: ["relationship.tier": .equals(.string("close_friend"))], template: template("close friend")),
        ]
        let withDefault = ProgramStage(id: "tier", kind: .selector(selectors: selectors, defaultTemplate: template("stranger")))
        #expect(NarrativeProgram(id: "p", stages: [withDefault]).run(Self.context).finalText == "close friend at exactly 70")

        let stranger = TemplateValues(["relationship": .map(["tier": .string("acquaintance")])])
        #expect(NarrativeProgram(id: "p", stages: [withDefault]).run(stranger).finalText == "stranger")

        let withoutDefault = ProgramStage(id: "tier", kind: .selector(selectors: selectors, defaultTemplate: nil))
        let run = NarrativeProgram(id: "p", stages: [withoutDefault]).run(stranger)
        #expect(run.output(of: "tier") == nil)
    }

    @Test func matchRules() {
        let atLeast50 = ProgramStage.MatchRule.range(min: 50, max: nil)
        #expect(atLeast50.holds(for: .int(50)))
        #expect(atLeast50.holds(for: .double(50.5)))
        #expect(!atLeast50.holds(for: .int(49)))
        #expect(!atLeast50.holds(for: .string("60")))
        #expect(!atLeast50.holds(for: nil))
        let upTo10 = ProgramStage.MatchRule.range(min: nil, max: 10)
        #expect(upTo10.holds(for: .int(-3)))
        #expect(upTo10.holds(for: .int(10)))
        #expect(!upTo10.holds(for: .double(10.01)))
        #expect(ProgramStage.MatchRule.equals(.int(3)).holds(for: .double(3)))
        #expect(!ProgramStage.MatchRule.equals(.string("3")).holds(for: .int(3)))
        #expect(ProgramStage.MatchRule.equals(.null).holds(for: .null))
        #expect(!ProgramStage.MatchRule.equals(.null).holds(for: nil))
    }

    @Test func formattersRunInOrderOnAnAccumulatedText() {
        let program = NarrativeProgram(id: "p", stages: [
            ProgramStage(id: "a", kind: .template(template("A"))),
            ProgramStage(id: "silent", kind: .template(template(""))),
            ProgramStage(id: "b", kind: .template(template("B"))),
            ProgramStage(id: "joined", kind: .formatter([
                .combine(sources: ["b", "silent", "nowhere", "a", "later"]),
                .prepend(template("[")),
                .append(template("] for {{npc.name}}")),
            ])),
            ProgramStage(id: "later", kind: .template(template("L"))),
            ProgramStage(id: "final", kind: .formatter([
                .append(template("ignored ")),
                .combine(sources: ["joined", "later"], separator: " | "),
            ])),
        ])
        let run = program.run(Self.context)
        #expect(run.output(of: "joined") == "[B\nA] for Mara")
        #expect(run.finalText == "[B\nA] for Mara | L")
    }

    @Test func formatterWithEmptyTextProducesNoOutput() {
        let program = NarrativeProgram(id: "p", stages: [
            ProgramStage(id: "a", kind: .template(template("A"))),
            ProgramStage(id: "empty", kind: .formatter([.combine(sources: ["nothing"]), .append(template("{{missing}}"))])),
        ])
        let run = program.run(Self.context)
        #expect(run.output(of: "empty") == nil)
        #expect(run.finalText == "A")
    }

    @Test func aWholeProgramWithEveryStageType() throws {
        let program = NarrativeProgram(id: "npc_dialogue", stages: [
            ProgramStage(id: "persona", kind: .template(template("You are {{npc.name}}. Traits: {{npc.personality.traits}}."))),
            ProgramStage(id: "setting", kind: .conditional([
                (test: try expression("location.id != null"), template: template("Setting: {{location.name}}.")),
                (test: try expression("world_time >= 79200 && world_time < 86400"), template: template("It is late evening.")),
                (test: try expression("world_time BETWEEN 0 AND 21600"), template: template("It is early morning.")),
            ])),
            ProgramStage(id: "bond", kind: .selector(
                selectors: [
                    (match: ["relationship.tier": .equals(.string("lover"))], template: template("You are lovers.")),
                    (match: ["relationship.tier": .equals(.string("close_friend")), "relationship.chemistry": .range(min: 70, max: nil)],
                     template: template("You hide growing feelings (chemistry {{relationship.chemistry}}).")),
                ],
                defaultTemplate: template("You barely know the player."))),
            ProgramStage(id: "flags", kind: .conditional([
                (test: try expression("flags.kissed == true"), template: template("The kiss lingers.")),
            ])),
            ProgramStage(id: "mood", kind: .conditional([
                (test: try expression("relationship.trust < 30 && !(flags.kissed)"), template: template("You hold back.")),
                (test: try expression("relationship.affinity >= 70 || relationship.trust >= 80"), template: template("You feel safe.")),
            ])),
            ProgramStage(id: "plugin", kind: .unknown("llm_rewrite")),
            ProgramStage(id: "final_prompt", kind: .formatter([
                .combine(sources: ["persona", "setting", "bond", "flags", "mood", "plugin"], separator: "\n\n"),
                .prepend(template("### {{npc.name}}\n")),
                .append(template("\n\nPlayer says: \"{{player_input}}\"")),
            ])),
        ])
        var values = Self.context
        values.set(.string("Walk with me?"), at: "player_input")
        let run = program.run(values)
        #expect(run.outputs.map(\.stage) == ["persona", "setting", "bond", "flags", "mood", "plugin", "final_prompt"])
        #expect(run.output(of: "flags") == nil)
        #expect(run.output(of: "plugin") == nil)
        #expect(run.finalText == """
            ### Mara
            You are Mara. Traits: wry, brave.

            Setting: the harbor.
            It is late evening.

            You hide growing feelings (chemistry 70).

            You hold back.
            You feel safe.

            Player says: "Walk with me?"
            """)
    }
}
