import Testing
@testable import PromptTemplates

@Suite struct TemplateParsingTests {
    @Test func plainTextIsOneLiteral() {
        let template = Template(parsing: "A gull over the harbor.")
        #expect(template.segments == [.text("A gull over the harbor.")])
        #expect(template.errors.isEmpty)
        #expect(template.variablePaths.isEmpty)
    }

    @Test func variablesWithAndWithoutSpaces() {
        let template = Template(parsing: "{{lead}} meets {{ partner }} at {{\tplace }}.")
        #expect(template.variablePaths == ["lead", "partner", "place"])
        #expect(template.references.map(\.source) == ["{{lead}}", "{{ partner }}", "{{\tplace }}"])
        #expect(template.errors.isEmpty)
        #expect(template.literalLength == " meets ".count + " at ".count + ".".count)
    }

    @Test func dottedPathsKeepTheirComponents() {
        let template = Template(parsing: "{{npc.personality.traits}} and {{relationship.affinity}}")
        #expect(template.references[0].path.components == ["npc", "personality", "traits"])
        #expect(template.references[1].path.root == "relationship")
        #expect(template.references[1].path.isDotted)
    }

    @Test func escapedBracesAreLiteral() {
        let template = Template(parsing: #"Answer as \{{speaker}}: line, not {{lead}}"#)
        #expect(template.variablePaths == ["lead"])
        #expect(template.render(with: TemplateValues(["lead": .string("Mara")])).text == "Answer as {{speaker}}: line, not Mara")
    }

    @Test func positionsCountLinesAndCharacters() {
        let template = Template(parsing: "first line\n  café {{ lead }}\n{{x}}")
        #expect(template.references[0].position == TemplatePosition(line: 2, column: 8))
        #expect(template.references[1].position == TemplatePosition(line: 3, column: 1))
    }

    /// Lines are the file's (only `\n` ends one) and columns count code points, as libyaml's marks
    /// and SARIF's `unicodeCodePoints` do: a form feed, a vertical tab, U+0085 or U+2028 put
    /// later diagnostics lines too far, and a combining accent or a joined emoji counted as one column.
    @Test func linesAreTheFilesAndColumnsCountCodePoints() {
        let template = Template(parsing: "a\u{0C}b\u{0B}c\u{85}d\u{2028}e\n\u{1F468}\u{200D}\u{1F469} cafe\u{301} {{x}}")
        #expect(template.references[0].position == TemplatePosition(line: 2, column: 11))
        let ascii = Template(parsing: "a\u{0C}b\u{0B}\n{{x}}")
        #expect(ascii.references[0].position == TemplatePosition(line: 2, column: 1))
    }

    @Test func crlfCountsAsOneLineBreak() {
        let template = Template(parsing: "a\r\nb {{x}}")
        #expect(template.references[0].position == TemplatePosition(line: 2, column: 3))
    }

    @Test func unterminatedBracesAreReportedWithPosition() {
        let template = Template(parsing: "Hello\n  {{lead walks")
        #expect(template.errors.count == 1)
        #expect(template.errors[0].position == TemplatePosition(line: 2, column: 3))
        #expect(template.errors[0].message.contains("unterminated"))
        // The text is kept literally.
        #expect(template.render(with: TemplateValues()).text == "Hello\n  {{lead walks")
    }

    /// A body of unclosed `{{` keeps the first errors and counts the rest: memory in proportion to
    /// the text, not ~270 bytes per error (16 MB of `{{` asked for 2 GB and aborted).
    @Test func syntaxErrorsPastTheListedOnesAreCounted() {
        let template = Template(parsing: "x\n" + String(repeating: "{{", count: 100_000))
        #expect(template.errors.count == Template.listedErrors)
        #expect(Template.listedErrors == 99)
        #expect(template.errorCount == 100_000)
        #expect(template.unlistedErrorCount == 99_901)
        #expect(template.errors.first?.position == TemplatePosition(line: 2, column: 1))
        #expect(template.errors.last?.position == TemplatePosition(line: 2, column: 197))
        // The text is kept literally, all of it.
        #expect(template.literalLength == 2 + 200_000)
        let few = Template(parsing: "{{a {{b}}")
        #expect(few.errorCount == 1 && few.unlistedErrorCount == 0)
    }

    @Test func unterminatedBeforeAnotherReference() {
        let template = Template(parsing: "{{a {{b}}")
        #expect(template.errors.count == 1)
        #expect(template.errors[0].position.column == 1)
        #expect(template.variablePaths == ["b"])
    }

    @Test func referenceMayNotSpanLines() {
        let template = Template(parsing: "{{lead\n}}")
        #expect(template.errors.count == 1)
        #expect(template.variablePaths.isEmpty)
    }

    @Test(arguments: ["{{#if lead}}", "{{/if}}", "{{^x}}", "{{!comment}}", "{{{raw}}}", "{{&raw}}"])
    func sectionsPartialsAndCommentsAreUnsupported(source: String) {
        let template = Template(parsing: "Hi " + source)
        #expect(template.errors.count == 1)
        #expect(template.errors[0].message.contains("unsupported syntax"))
        #expect(template.errors[0].position == TemplatePosition(line: 1, column: 6))
        #expect(template.variablePaths.isEmpty)
    }

    @Test(arguments: ["{{a..b}}", "{{1lead}}", "{{lead name}}", "{{.lead}}", "{{lead.}}", "{{le$ad}}"])
    func invalidPathsAreRejected(source: String) {
        let template = Template(parsing: source)
        #expect(template.errors.count == 1)
        #expect(template.errors[0].message.contains("invalid variable path"))
    }

    @Test func emptyReferenceIsAnError() {
        let template = Template(parsing: "x {{  }} y")
        #expect(template.errors.map(\.message) == ["empty reference `{{  }}`"])
        #expect(template.errors[0].position == TemplatePosition(line: 1, column: 3))
    }

    @Test func everyErrorIsReportedNotJustTheFirst() {
        let template = Template(parsing: "{{#if a}} {{ok}} {{!p}}\n{{a..b}} {{open")
        #expect(template.errors.count == 4)
        #expect(template.errors.map(\.position.line) == [1, 1, 2, 2])
        #expect(template.variablePaths == ["ok"])
    }

    @Test func strayClosingBracesAreText() {
        let template = Template(parsing: "a }} b")
        #expect(template.errors.isEmpty)
        #expect(template.segments == [.text("a }} b")])
    }
}

@Suite struct CharacterCountTests {
    /// The byte count stands in for `count` only where every byte is a Character.
    @Test func characterCountIsCount() {
        let texts = ["", "a", "plain ASCII text", "line\nbreaks\n", "crlf\r\nline", "lone\rreturn", "café", "e\u{301}", "👩‍👩‍👧 family",
                     String(repeating: "long ascii ", count: 200), String(repeating: "x", count: 199) + "\r\n", "tab\tand\u{7F}delete"]
        for text in texts {
            #expect(text.characterCount == text.count, "\(text.debugDescription)")
            #expect(text.isSingleByteCharacters == text.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D }, "\(text.debugDescription)")
        }
    }

    @Test func pathsSplitAtDotsOnly() {
        #expect(VariablePath("lead").components == ["lead"])
        #expect(VariablePath("").components == [""])
        #expect(VariablePath("npc.name").components == ["npc", "name"])
        #expect(VariablePath("a..b.").components == ["a", "", "b", ""])
    }
}
