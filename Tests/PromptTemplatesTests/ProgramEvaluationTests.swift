import Testing
@testable import PromptTemplates

/// PixSim7's semantics, one behaviour per test. The breadth is in PromptCatalogTests'
/// ProgramDifferentialTests, whose expected texts come from running PixSim7's evaluator.
@Suite struct ProgramEvaluationTests {
    /// Flat keys as `NarrativeContext.to_template_vars()` gives them, plus one nested map.
    static let context = TemplateValues([
        "npc.name": .string("Mara"),
        "npc.personality.traits": .list([.string("wry"), .string("it's")]),
        "affinity": .int(72), "chemistry": .double(70.0), "relationship_tier": .string("close_friend"),
        "flags.met": .bool(true), "flags.note": .null,
        "arcs": .map(["romance": .map(["stage": .int(3), "gone": .null])]),
        "tags": .list([]),
    ])

    private func holds(_ source: String, _ values: TemplateValues = context, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        switch ProgramExpression.parse(source) {
        case .success(let expression): return expression.evaluate(values)
        case .failure(let error):
            Issue.record("`\(source)` failed to parse: \(error)", sourceLocation: sourceLocation)
            return false
        }
    }

    private func stage(_ id: String, _ kind: ProgramStage.Kind) -> ProgramStage { ProgramStage(id: id, kind: kind) }
    private func template(_ text: String) -> Template { Template(parsing: text) }

    @Test(arguments: [
        ("trust < 30", true),            // missing path reads as 0
        ("trust == 0", true),
        ("null == 0", true),             // `null` is a path like any other
        ("flags.note", false),           // a key holding null is None
        ("flags.note == 0", false),
        ("arcs.romance.gone == 0", true), // a nested null reads as 0
        ("arcs.romance.stage BETWEEN 2 AND 3", true),
        ("npc.name == 'Mara'", true),
        ("tags", false),                 // empty list is false
        ("npc.personality.traits", true),
        ("flags.met == 1", true),        // True == 1
        ("affinity > 'a'", false),       // TypeError fails closed
        ("affinity != 'a'", true),
        ("chemistry == 70", true),
        ("relationship_tier > 'c'", true),
    ])
    func pathsAndComparisons(source: String, expected: Bool) {
        #expect(holds(source) == expected, "\(source)")
    }

    @Test func notBindsLooserThanComparisons() throws {
        #expect(holds("!affinity == 0"))          // !(72 == 0)
        #expect(!holds("NOT affinity == 72"))
        #expect(try ProgramExpression.parse("!a == b").get() == .not(.comparison(.equal, .path("a"), .path("b"))))
    }

    @Test func wordOperatorsAndEmptyConditions() {
        #expect(holds("affinity > 50 AND (trust > 30 or not flags.met)") == false)
        #expect(holds("affinity > 50 and (trust < 30 OR flags.met)"))
        #expect(holds("affinity BETWEEN 70 && 80"))
        #expect(holds(""))
        #expect(holds("   "))
    }

    @Test func listsAreComparedLexicographically() {
        let values = TemplateValues(["a": .list([.int(1), .int(2)]), "b": .list([.int(1), .int(3)]), "c": .list([.int(1), .string("x")])])
        #expect(holds("a < b", values))
        #expect(!holds("a > b", values))
        #expect(!holds("b < c", values))   // 3 < 'x' raises: false
        #expect(!holds("c < b", values))
    }

    /// Python compares an int with a float exactly: 2⁵³ + 1 is not 2⁵³ as a float, and no int
    /// reaches 2⁶³ as a float.
    @Test func intsAndFloatsCompareExactly() {
        let values = TemplateValues(["big": .int(9_007_199_254_740_993), "max": .int(Int.max), "half": .double(2.5), "nan": .double(.nan)])
        #expect(!holds("big == 9007199254740992.0", values))
        #expect(holds("big > 9007199254740992.0", values))
        #expect(holds("big != 9007199254740992.0", values))
        #expect(holds("max < 9223372036854775807.0", values))
        #expect(!holds("max == 9223372036854775807.0", values))
        #expect(holds("2 < half", values) && holds("3 > half", values) && !holds("2 == half", values))
        #expect(holds("-3 < -2.5", values) && holds("-2 > -2.5", values))
        #expect(holds("2 == 2.0", values) && holds("True == 1.0", values))
        #expect(!holds("nan == nan", values) && !holds("nan < 1", values) && !holds("1 < nan", values) && holds("nan != 1", values))
    }

    /// Python writes floats out in full below 1e16 (Swift switches to an exponent at 2⁵³).
    @Test func floatsAreWrittenAsPythonWritesThem() {
        #expect(TemplateValue.pythonFloat(9_119_187_601_574_176) == "9119187601574176.0")
        #expect(TemplateValue.pythonFloat(-9_007_199_254_740_992) == "-9007199254740992.0")
        #expect(TemplateValue.pythonFloat(1e16) == "1e+16")
        #expect(TemplateValue.pythonFloat(123.5) == "123.5")
        #expect(TemplateValue.pythonFloat(1e-05) == "1e-05")
        #expect(TemplateValue.pythonFloat(.infinity) == "inf")
    }

    @Test func pythonTextOfValues() {
        #expect(TemplateValue.list([.string("warm"), .string("it's"), .int(1), .double(2.5), .bool(true), .null]).pixSimText
                == #"['warm', "it's", 1, 2.5, True, None]"#)
        #expect(TemplateValue.map(["b": .int(1), "a": .string("x\ny")]).pixSimText == #"{'b': 1, 'a': 'x\ny'}"#)
        #expect(TemplateValue.double(3600).pixSimText == "3600.0")
        #expect(TemplateValue.double(1e16).pixSimText == "1e+16")
        #expect(TemplateValue.double(0.00001).pixSimText == "1e-05")
        #expect(TemplateValue.bool(false).pixSimText == "false")
        #expect(TemplateValue.null.pixSimText == "")
        #expect(TemplateValue.string("a'b\"c\u{7}").pythonRepr == #"'a\'b"c\x07'"#)
    }

    @Test func substitutionIsPixSim7s() {
        var values = Self.context.root
        values["echo"] = .string("{{npc.name}}")
        let result = PixSimTemplate.substitute("{{ npc.name }} {{npc.name}}; {{npc.personality.traits}} {{arcs}} {{missing}} {{echo}}", values)
        #expect(result.text == "{{ npc.name }} Mara; ['wry', \"it's\"] {'romance': {'stage': 3, 'gone': None}}  {{npc.name}}")  // echo expands after npc.name was replaced
        #expect(result.keys == ["npc.name", "npc.personality.traits", "arcs", "missing", "echo"])
        #expect(result.containers == ["npc.personality.traits", "arcs"])
        #expect(result.missing == ["missing"])
        #expect(PixSimTemplate.substitute("{{{npc.name}}} {{}} {{   }}", values).text == "} {{}} {{   }}".replacingOccurrences(of: "{{}}", with: ""))
        #expect(PixSimTemplate.keys(in: "{{a}b}} {{ x }} {{x}}") == ["x"])
    }

    @Test func emptyTextsAreSkippedAndTheLastRecordedStageWins() {
        let program = NarrativeProgram(id: "p", stages: [
            stage("a", .template(template("first"))),
            stage("b", .conditional([(test: .literal(.bool(true)), template: template("")), (test: .literal(.bool(true)), template: template("{{missing}}")),
                                     (test: .literal(.bool(true)), template: template("x"))])),
            stage("a", .template(template("{{missing}}"))),
        ])
        let run = program.run(Self.context)
        #expect(run.outputs.map(\.text) == ["first", "\nx", nil])
        #expect(run.finalText == "first")   // the third stage `a` produced nothing; `a` still holds "first"
    }

    @Test func selectorsReadOnlyTheirSixFlatKeys() throws {
        let rules: [VariablePath: ProgramStage.MatchRule] = ["relationship_tier": .equals(.string("close_friend")), "mood": .equals(.string("x"))]
        #expect(try ProgramStage.matches(rules, Self.context.root, what: "s"))
        #expect(try ProgramStage.matches(["tension": .range(min: nil, max: 30)], Self.context.root, what: "s"))  // missing is 0
        #expect(try !ProgramStage.matches(["trust": .range(min: 1, max: nil)], Self.context.root, what: "s"))
        #expect(try ProgramStage.matches(["intimacy_level": .equals(.string(""))], Self.context.root, what: "s"))
        #expect(throws: ProgramFailure.self) { try ProgramStage.matches(["relationship_tier": .equals(.int(3))], Self.context.root, what: "s") }
        let texts = TemplateValues(["affinity": .string("high")])
        #expect(throws: ProgramFailure.self) { try ProgramStage.matches(["affinity": .range(min: 10, max: nil)], texts.root, what: "s") }
    }

    @Test func aRaisingSelectorStopsTheRun() {
        let program = NarrativeProgram(id: "p", stages: [
            stage("a", .template(template("hello"))),
            stage("b", .selector(selectors: [(match: ["affinity": .range(min: 1, max: nil)], template: template("x"))], defaultTemplate: nil)),
        ])
        let run = program.run(TemplateValues(["affinity": .null]))
        #expect(run.failure?.exception == "TypeError")
        #expect(run.finalText == "")
        #expect(run.outputs.map(\.stage) == ["a"])
    }

    /// Python compares `str` keys by code points: `cafe\u{301}` (decomposed) is not the key
    /// `caf\u{E9}`, though Swift's `==` holds them equal.
    @Test func keysAndStageIDsCompareByCodePoints() {
        let composed = TemplateValues(["caf\u{E9}": .string("NFC-value")])
        let decomposed = PixSimTemplate.substitute("[{{cafe\u{301}}}] [{{caf\u{E9}}}]", composed.root)
        #expect(decomposed.text == "[] [NFC-value]")
        #expect(decomposed.keys == ["cafe\u{301}", "caf\u{E9}"])
        #expect(decomposed.missing == ["cafe\u{301}"])
        // Stage ids: a `combine` naming the decomposed id does not read the composed stage's output.
        let program = NarrativeProgram(id: "p", stages: [
            stage("caf\u{E9}", .template(template("composed"))),
            stage("f", .formatter([.combine(sources: ["cafe\u{301}"], separator: "|")])),
            stage("g", .formatter([.combine(sources: ["caf\u{E9}"], separator: "|")])),
        ])
        let run = program.run(Self.context)
        #expect(run.outputs.map(\.text) == ["composed", nil, "composed"])
        #expect(run.output(of: "cafe\u{301}") == nil)
        #expect(run.output(of: "caf\u{E9}") == "composed")
        // The final text is that of the last stage whose id (by code points) has an output.
        let last = NarrativeProgram(id: "p", stages: [stage("cafe\u{301}", .template(template("decomposed"))), stage("caf\u{E9}", .template(template("{{x}}")))])
        #expect(last.run(Self.context).finalText == "decomposed")
        #expect(CodePointKey("caf\u{E9}") != CodePointKey("cafe\u{301}"))
        #expect(Set([CodePointKey("caf\u{E9}"), CodePointKey("cafe\u{301}"), CodePointKey("caf\u{E9}")]).count == 2)
    }

    @Test func formattersUseNewlineForAnEmptySeparator() {
        let program = NarrativeProgram(id: "p", stages: [
            stage("a", .template(template("A"))), stage("b", .template(template("B"))),
            stage("f", .formatter([.combine(sources: ["a", "zz", "b"], separator: ""), .append(template("")), .prepend(template("> "))])),
        ])
        #expect(program.run(Self.context).finalText == "> A\nB")
    }
}
