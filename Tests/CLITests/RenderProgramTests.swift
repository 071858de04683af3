import Foundation
import Testing
import TestSupport

@Suite(.serialized) struct RenderProgramTests {
    private func content() throws -> TemporaryContent {
        try TemporaryContent([
            "providers/p.yaml": Fixture.provider("p", limit: 100),
            "prompts/greet/family.yaml": Fixture.family(title: "Greet", type: "narrative"),
            "prompts/greet/v1.prompt": Fixture.version("""
            version: 1
            providers: [p]
            variables:
              tone: { type: string, max_length: 10 }
            examples:
              - { name: base, vars: { tone: warm, npc: { name: Ada } } }
            """, "{{npc.name}} greets you, {{tone}}, affinity {{relationship.affinity}}."),
            "contexts/pier.yaml": "npc.name: Mara\naffinity: 80\nrelationship_tier: friend\nflags.met: true\nrelationship: { affinity: 80 }\n",
            "contexts/nested.yaml": "npc: { name: Mara }\nrelationship: { affinity: 80, tier: friend }\nflags: { met: true }\n",
            "contexts/empty.yaml": "flags: {}\n",
            "programs/greeting.json": """
            {"id": "greeting", "inputs": {"optional": ["player_input"]}, "stages": [
              {"id": "who", "type": "template", "template": "You are {{npc.name}}."},
              {"id": "mood", "type": "conditional", "conditions": [
                {"test": "affinity >= 50", "template": "You like the player."},
                {"test": "flags.met", "template": "You have met before."}]},
              {"id": "tier", "type": "selector", "selectors": [{"match": {"relationship_tier": "friend"}, "template": "Friends."}]},
              {"id": "out", "type": "formatter", "formatters": [{"type": "combine", "sources": ["who", "mood", "tier"], "separator": " | "}]}
            ]}
            """,
        ])
    }

    @Test func rendersAProgramWithAContext() throws {
        let content = try content()
        let result = try CLI.run(["render", "program", "greeting", "--context", "pier", "--content", content.root.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "You are Mara. | You like the player.\nYou have met before. | Friends.\n")
        #expect(result.stderr == """
        stage who (template): 13 characters
        stage mood (conditional): 41 characters
        stage tier (selector): 8 characters
        stage out (formatter): 68 characters

        """)
    }

    /// PixSim7 opens `<name>.json` whatever ids the files hold: `xaa.json` holding id `ybb` is
    /// the program `xaa`, even beside a `ybb.json` holding id `xaa`.
    @Test func aProgramIsFoundByItsFileNameFirst() throws {
        let content = try TemporaryContent([
            "programs/xaa.json": #"{"id": "ybb", "stages": [{"id": "a", "type": "template", "template": "from xaa.json"}]}"#,
            "programs/ybb.json": #"{"id": "xaa", "stages": [{"id": "a", "type": "template", "template": "from ybb.json"}]}"#,
            "programs/zcc.json": #"{"id": "only-id", "stages": [{"id": "a", "type": "template", "template": "from zcc.json"}]}"#,
        ])
        #expect(try CLI.run(["render", "program", "xaa", "--content", content.root.path]).stdout == "from xaa.json\n")
        #expect(try CLI.run(["render", "program", "ybb", "--content", content.root.path]).stdout == "from ybb.json\n")
        #expect(try CLI.run(["render", "program", "only-id", "--content", content.root.path]).stdout == "from zcc.json\n")
    }

    /// A range is pydantic's `Dict[str, float]`: "50", "1e2", "-inf" and true are numbers there;
    /// null or a word as a value makes PixSim7 raise.
    @Test func rangeBoundsAreReadAsPydanticReadsThem() throws {
        func program(_ range: String) -> String {
            #"{"id": "p", "stages": [{"id": "s", "type": "selector", "selectors": [{"match": {"trust": "# + range + #"}, "template": "MATCHED"}], "default": {"template": "DEFAULT"}}]}"#
        }
        let content = try TemporaryContent([
            "contexts/low.yaml": "trust: 40\n",
            "programs/text.json": program(#"{"min": "50"}"#),
            "programs/exponent.json": program(#"{"min": "1e2"}"#),
            "programs/flag.json": program(#"{"max": true}"#),
            "programs/below.json": program(#"{"max": "-inf"}"#),
            "programs/fits.json": program(#"{"min": " 30 ", "max": 50}"#),
            "programs/null.json": program(#"{"min": null}"#),
            "programs/word.json": program(#"{"min": 50, "note": "x"}"#),
        ])
        func render(_ name: String) throws -> CLI.Result { try CLI.run(["render", "program", name, "--context", "low", "--content", content.root.path]) }
        for name in ["text", "exponent", "flag", "below"] { #expect(try render(name).stdout == "DEFAULT\n", "\(name)") }
        #expect(try render("fits").stdout == "MATCHED\n")
        for name in ["null", "word"] {
            let result = try render(name)
            #expect(result.status == 1, "\(name)")
            #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(name)")
            #expect(result.stderr.contains("is not a number; PixSim7 raises a ValidationError"), "\(name)")
        }
    }

    @Test func stagesWithoutOutputAreListed() throws {
        let content = try content()
        let result = try CLI.run(["render", "program", "greeting", "--context", "empty", "--content", content.root.path])
        #expect(result.status == 0)
        #expect(result.stdout == "You are .\n")
        #expect(result.stderr.contains("stage mood (conditional): no output"))
        #expect(result.stderr.contains("stage tier (selector): no output"))
        #expect(result.stderr.contains("not in context empty (PixSim7 reads flat keys): npc.name (template), affinity (condition), flags.met (condition), relationship_tier (selector)"))
    }

    @Test func nestedContextsAreNotPixSim7sFlatKeys() throws {
        let content = try content()
        let result = try CLI.run(["render", "program", "greeting", "--context", "nested", "--content", content.root.path])
        #expect(result.status == 0)
        // Conditions walk nested maps; templates and selectors read one flat key.
        #expect(result.stdout == "You are . | You have met before.\n")
        #expect(result.stderr.contains("not in context nested (PixSim7 reads flat keys): npc.name (template), affinity (condition), relationship_tier (selector)"))
    }

    @Test func programsAreFoundByFileNameAndARaisingRunExitsOne() throws {
        let content = try content()
        try content.write("programs/raises.json", #"{"id": "raises_id", "stages": [{"id": "s", "type": "selector", "selectors": [{"match": {"affinity": {"min": 1}}, "template": "x"}]}]}"#)
        try content.write("contexts/text.yaml", "affinity: high\n")
        let result = try CLI.run(["render", "program", "raises", "--context", "text", "--content", content.root.path])
        #expect(result.status == 1)
        #expect(result.stdout == "\n")
        #expect(result.stderr.contains("error: PixSim7 raises TypeError here, so it sends no prompt: `affinity` is 'high', which PixSim7 cannot compare with a number in selector 1 of stage `s`"))
        let byID = try CLI.run(["render", "program", "raises_id", "--context", "pier", "--content", content.root.path])
        #expect(byID.status == 0)
        #expect(byID.stdout == "x\n")
    }

    /// What PixSim7 refuses on loading (a field of another stage or formatter type) or raises on
    /// while running (stage metadata): the run exits 1 with the error, as PixSim7 sends no prompt.
    @Test func fieldsAndMetadataPixSim7RaisesOnExitOne() throws {
        let content = try TemporaryContent([
            "contexts/c.yaml": "trust: 60\n",
            "programs/default.json": #"{"id": "default", "stages": [{"id": "a", "type": "template", "template": "hello", "default": {"template": 5}}]}"#,
            "programs/nulls.json": #"{"id": "nulls", "stages": [{"id": "a", "type": "template", "template": "hello", "conditions": null}]}"#,
            "programs/formatter.json": #"{"id": "formatter", "stages": [{"id": "a", "type": "template", "template": "hello"}, {"id": "f", "type": "formatter", "formatters": [{"type": "combine", "sources": ["a"], "template": 5}]}]}"#,
            "programs/visual.json": #"{"id": "visual", "stages": [{"id": "a", "type": "template", "template": "hello", "metadata": {"visual_prompt": {"condition": "trust > 50", "template": 5}}}]}"#,
            "programs/calm.json": #"{"id": "calm", "stages": [{"id": "a", "type": "template", "template": "hello", "metadata": {"visual_prompt": {"condition": "trust > 90", "template": 5}}}]}"#,
        ])
        func render(_ name: String) throws -> CLI.Result { try CLI.run(["render", "program", name, "--context", "c", "--content", content.root.path]) }
        let loading = try render("default")
        #expect(loading.status == 1)
        #expect(loading.stderr.contains("programs/default.json:1:107: error[program-stage]: `default.template` of stage `a` must be a string; PixSim7 raises a ValidationError and loads no program"), "\(loading.stderr)")
        #expect(try render("nulls").stderr.contains("error[program-stage]: `conditions` of stage `a` is null, which PixSim7 iterates; PixSim7 raises a TypeError and loads no program"))
        #expect(try render("nulls").status == 1)
        #expect(try render("formatter").stderr.contains("error[program-stage]: formatter 1 of stage `f` has `template` that is not a string; PixSim7 raises a ValidationError"))
        #expect(try render("formatter").status == 1)
        let running = try render("visual")
        #expect(running.status == 1)
        #expect(running.stdout == "\n")
        #expect(running.stderr.contains("error: PixSim7 raises TypeError here, so it sends no prompt: `metadata.visual_prompt.template` of stage `a` is an integer, not a string (stage metadata)"))
        // The condition does not hold in this context: the check still reports it, the run gives the text.
        let calm = try render("calm")
        #expect(calm.stdout == "hello\n")
        #expect(calm.status == 1)
        #expect(calm.stderr.contains("when it runs stage `a` and its `condition` holds, sending no prompt"))
        #expect(!calm.stderr.contains("PixSim7 raises"))
    }

    /// Program files are read as Python's `json.load` reads them.
    @Test func programFilesAreReadAsPythonsJSONLoadReadsThem() throws {
        let content = try TemporaryContent([
            "contexts/c.yaml": "a: 1\n",
            "programs/mark.json": "\u{FEFF}{\"id\": \"mark\", \"stages\": [{\"id\": \"a\", \"type\": \"template\", \"template\": \"hello\"}]}",
            "programs/twice.json": #"{"id": "twice", "stages": [{"id": "a", "type": "template", "template": "one", "template": "two"}]}"#,
            "programs/nan.json": #"{"id": "nan", "stages": [{"id": "a", "type": "selector", "selectors": [{"match": {"affinity": {"min": NaN}}, "template": "x"}], "default": {"template": "d"}}]}"#,
        ])
        func render(_ name: String) throws -> CLI.Result { try CLI.run(["render", "program", name, "--context", "c", "--content", content.root.path]) }
        let mark = try render("mark")
        #expect(mark.status == 1)
        #expect(mark.stderr.contains("programs/mark.json:1:1: error[json-syntax]: invalid JSON: Unexpected UTF-8 BOM (decode using utf-8-sig); PixSim7 raises a JSONDecodeError and loads no program"), "\(mark.stderr)")
        let twice = try render("twice")
        #expect(twice.status == 0)
        #expect(twice.stdout == "two\n")
        let nan = try render("nan")
        #expect(nan.status == 0)
        #expect(nan.stdout == "x\n")   // every comparison with NaN is false: the bound never fails
        let check = try CLI.run(["check", "--no-cache", "--content", content.root.path])
        #expect(check.stdout.contains("programs/twice.json:1:79: warning[json-duplicate-key]: key `template` is repeated in this object (first at line 1); PixSim7's `json.load` keeps this last value"),
                "\(check.stdout)")
    }

    @Test func unknownProgramOrContextIsUsage() throws {
        let content = try content()
        let program = try CLI.run(["render", "program", "greting", "--context", "pier", "--content", content.root.path])
        #expect(program.status == 2)
        #expect(program.stderr.contains("no program `greting` (no programs/greting.json, and no program with that id; PixSim7 would run its built-in `default_dialogue` here, which promptsite does not carry); did you mean `greeting`?"), "\(program.stderr)")
        let context = try CLI.run(["render", "program", "greeting", "--context", "peir", "--content", content.root.path])
        #expect(context.status == 2)
        #expect(context.stderr.contains("no context `peir`; did you mean `pier`?"))
        let missing = try CLI.run(["render", "program", "--content", content.root.path])
        #expect(missing.status == 2)
        let versionContext = try CLI.run(["render", "greet@1", "--context", "nope", "--content", content.root.path])
        #expect(versionContext.status == 2)
        #expect(versionContext.stderr.contains("contexts: empty, nested, pier"))
        // A context file that did not load says why.
        try content.write("contexts/broken.yaml", "npc: [\n")
        let broken = try CLI.run(["render", "program", "greeting", "--context", "broken", "--content", content.root.path])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("contexts/broken.yaml:2:1: error[yaml-syntax]"), "\(broken.stderr)")
        #expect(broken.stderr.contains("context `broken` could not be loaded: fix contexts/broken.yaml"))
    }

    /// A program is `programs/<name>.json`, as PixSim7 opens `programs_dir / f"{name}.json"`: a name
    /// with folders is a path under programs/, and a file of the same name deeper down is not it.
    @Test func programsAreFoundAtTheirPathUnderPrograms() throws {
        let program = { (text: String) in #"{"id": "p", "stages": [{"id": "s", "type": "template", "template": "\#(text)"}]}"# }
        let content = try TemporaryContent(["programs/aaa/x.json": program("from aaa/x"), "programs/x.json": program("from x"),
                                            "programs/sub/y.json": program("from sub/y")])
        #expect(try CLI.run(["render", "program", "x", "--content", content.root.path]).stdout == "from x\n")
        #expect(try CLI.run(["render", "program", "sub/y", "--content", content.root.path]).stdout == "from sub/y\n")
        #expect(try CLI.run(["render", "program", "aaa/x", "--content", content.root.path]).stdout == "from aaa/x\n")
    }

    @Test func versionRenderTakesContextBetweenExampleAndVar() throws {
        let content = try content()
        let plain = try CLI.run(["render", "greet@1", "--content", content.root.path])
        #expect(plain.stdout == "Ada greets you, warm, affinity .\n")
        let withContext = try CLI.run(["render", "greet@1", "--context", "pier", "--content", content.root.path])
        #expect(withContext.status == 0, "\(withContext.stderr)")
        #expect(withContext.stdout == "Mara greets you, warm, affinity 80.\n")
        let withVar = try CLI.run(["render", "greet@1", "--context", "pier", "--var", "npc.name=Ines", "--content", content.root.path])
        #expect(withVar.stdout == "Ines greets you, warm, affinity 80.\n")
    }

    @Test func brokenProgramRendersWhatItCanAndExitsOne() throws {
        let content = try content()
        try content.write("programs/broken.json", #"{"id": "broken", "stages": [{"id": "c", "type": "conditional", "conditions": [{"test": "x ==", "template": "x"}, {"test": "true", "template": "kept"}]}]}"#)
        let result = try CLI.run(["render", "program", "broken", "--content", content.root.path])
        #expect(result.status == 1)
        #expect(result.stdout == "kept\n")
        #expect(result.stderr.contains("programs/broken.json:1:"))
        #expect(result.stderr.contains("error[program-expression]"))
    }
}
