import Foundation
import Testing
@testable import PromptTemplates

@Suite struct ProgramExpressionTests {
    private func parsed(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ProgramExpression {
        switch ProgramExpression.parse(source) {
        case .success(let expression):
            return expression
        case .failure(let error):
            Issue.record("`\(source)` failed to parse: \(error)", sourceLocation: sourceLocation)
            throw error
        }
    }

    private func failure(_ source: String) -> ExpressionSyntaxError? {
        if case .failure(let error) = ProgramExpression.parse(source) { return error }
        return nil
    }

    // MARK: Valid expressions

    @Test func nullIsAPathNotALiteral() throws {
        #expect(try parsed("location.id != null") == .comparison(.notEqual, .path("location.id"), .path("null")))
    }

    @Test func operatorsInsideQuotesArePlainText() throws {
        #expect(try parsed("'a && b' == x") == .comparison(.equal, .literal(.string("a && b")), .path("x")))
        #expect(try parsed(#"mood == "(calm) || !tense >= 3""#)
            == .comparison(.equal, .path("mood"), .literal(.string("(calm) || !tense >= 3"))))
        #expect(try parsed(#"line == "it's fine""#) == .comparison(.equal, .path("line"), .literal(.string("it's fine"))))
    }

    @Test func stringsHaveNoEscapes() throws {
        #expect(try parsed(#"a == 'back\\slash'"#) == .comparison(.equal, .path("a"), .literal(.string(#"back\\slash"#))))
        #expect(try parsed(#"a == 'C:\temp'"#) == .comparison(.equal, .path("a"), .literal(.string(#"C:\temp"#))))
        #expect(failure(#"a == 'don\'t'"#)?.message.contains("unclosed string") == true)
    }

    @Test func numbersAreIntsOrDoublesAndMayBeNegative() throws {
        #expect(try parsed("tension >= 60") == .comparison(.greaterOrEqual, .path("tension"), .literal(.int(60))))
        #expect(try parsed("mood > -3") == .comparison(.greater, .path("mood"), .literal(.int(-3))))
        #expect(try parsed("ratio<=0.75") == .comparison(.lessOrEqual, .path("ratio"), .literal(.double(0.75))))
        #expect(try parsed("-2.5 < x") == .comparison(.less, .literal(.double(-2.5)), .path("x")))
    }

    @Test func keywordLiteralsAndBarePaths() throws {
        #expect(try parsed("flags.just_kissed == true") == .comparison(.equal, .path("flags.just_kissed"), .literal(.bool(true))))
        #expect(try parsed("FALSE") == .literal(.bool(false)))
        #expect(try parsed("  flags.met  ") == .path("flags.met"))
        #expect(try parsed("npc.traits.0 == 'brave'") == .comparison(.equal, .path(VariablePath(["npc", "traits", "0"])), .literal(.string("brave"))))
        #expect(try parsed("a..b == npc.") == .comparison(.equal, .path(VariablePath(["a", "", "b"])), .path(VariablePath(["npc", ""]))))
        #expect(try parsed("True && AND_x") == .and(.literal(.bool(true)), .path("AND_x")))
    }

    @Test func andBindsTighterThanOr() throws {
        #expect(try parsed("a || b && c") == .or(.path("a"), .and(.path("b"), .path("c"))))
        #expect(try parsed("a && b || c && d") == .or(.and(.path("a"), .path("b")), .and(.path("c"), .path("d"))))
        #expect(try parsed("a || b || c") == .or(.or(.path("a"), .path("b")), .path("c")))
    }

    @Test func notBindsLooserThanComparison() throws {
        #expect(try parsed("!a == b") == .not(.comparison(.equal, .path("a"), .path("b"))))
        #expect(try parsed("NOT a && b") == .and(.not(.path("a")), .path("b")))
        #expect(try parsed("!(a == b)") == .not(.comparison(.equal, .path("a"), .path("b"))))
        #expect(try parsed("!!flags.met") == .not(.not(.path("flags.met"))))
        #expect(try parsed("a != b") == .comparison(.notEqual, .path("a"), .path("b")))
    }

    @Test func parenthesesNest() throws {
        #expect(try parsed("(a || b) && c") == .and(.or(.path("a"), .path("b")), .path("c")))
        #expect(try parsed("((a > 1) && (!(b < 2) || c))")
            == .and(.comparison(.greater, .path("a"), .literal(.int(1))),
                    .or(.not(.comparison(.less, .path("b"), .literal(.int(2)))), .path("c"))))
    }

    @Test func betweenIsInclusiveRangeSyntaxWithCaseInsensitiveKeywords() throws {
        let expected = ProgramExpression.between(.path("world_time"), low: .literal(.int(0)), high: .literal(.int(21600)))
        #expect(try parsed("world_time BETWEEN 0 AND 21600") == expected)
        #expect(try parsed("world_time between 0 and 21600") == expected)
        #expect(try parsed("world_time Between 0 And 21600 && flags.awake")
            == .and(expected, .path("flags.awake")))
        #expect(try parsed("!x BETWEEN lo AND hi") == .not(.between(.path("x"), low: .path("lo"), high: .path("hi"))))
        #expect(try parsed("x BETWEEN 1 && 2") == .between(.path("x"), low: .literal(.int(1)), high: .literal(.int(2))))
        #expect(try parsed("x AND y or NOT z") == .or(.and(.path("x"), .path("y")), .not(.path("z"))))
    }

    @Test func pathsAreListedOnceInOrder() throws {
        let expression = try parsed("chemistry >= 70 && (tension BETWEEN low.bound AND 90 || chemistry == flags.max) && 'x' != y")
        #expect(expression.paths == ["chemistry", "tension", "low.bound", "flags.max", "y"])
        #expect(try parsed("true").paths.isEmpty)
    }

    @Test(arguments: [
        "a || b && c",
        "(a || b) && c",
        "a && (b && c)",
        "!(a == b)",
        "!a == b",
        "(a == b) == c",
        "x BETWEEN -1 AND 2.5",
        #"s == "it's \\ q" || t != null"#,
        "(!a) == b",
        "!(x BETWEEN 1 AND 2) && flags.met == false",
    ])
    func descriptionParsesBackToTheSameExpression(source: String) throws {
        let expression = try parsed(source)
        #expect(try parsed(expression.description) == expression)
    }

    @Test func descriptionIsCanonical() throws {
        #expect(try parsed("(a)&&((b)||c)").description == "a && (b || c)")
        #expect(try parsed(#"x=="y""#).description == "x == 'y'")
    }

    // MARK: Broken expressions

    @Test(arguments: [
        ("a ==", 4, "missing value after `==`"),
        ("&& b", 0, "missing value before `&&`"),
        ("a == == b", 5, "missing value before `==`"),
        ("!", 1, "missing value after `!`"),
        ("a ||", 4, "missing value after `||`"),
        ("(a == 1", 0, "unclosed `(`"),
        ("x && ((a) == 1", 5, "unclosed `(`"),
        ("x == 'abc", 5, "unclosed string"),
        (#"'a' == "b"#, 7, "unclosed string"),
        ("a == 1)", 6, "unmatched `)`"),
        ("()", 1, "expected a value before `)`"),
        ("a b", 2, "unexpected `b` after a complete expression"),
        ("(a b)", 3, "unexpected `b` inside parentheses"),
        ("x BETWEEN 1 5", 12, "without `AND`"),
        ("x BETWEEN 1", 11, "without `AND`"),
        ("x BETWEEN 1 AND", 15, "missing value after `AND`"),
        ("a < b < c", 6, "comparisons cannot be chained"),
        ("a = 1", 2, "single `=`"),
        ("a & b", 2, "single `&`"),
        ("a | b", 2, "single `|`"),
        ("a == 1 # note", 7, "unexpected character `#`"),
        ("5abc > 1", 1, "unexpected `abc`"),
        ("café == 'x'", 3, "unexpected character `é`"),
        ("node-type == 'x'", 4, "unexpected character `-`"),
        ("x && 'y' &&", 11, "missing value after `&&`"),
        ("'🙂 ok' == x y", 12, "unexpected `y`"),
    ])
    func brokenExpressionsReportTheirOffset(source: String, offset: Int, message: String) throws {
        let error = try #require(failure(source), "`\(source)` should not parse")
        #expect(error.offset == offset)
        #expect(error.message.contains(message), "message was: \(error.message)")
        #expect(!error.hint.isEmpty)
    }

    /// PixSim7's `_TOKEN_RE` skips Python's `\s`, which holds U+001C–U+001F, U+0085, U+00A0,
    /// U+2028 and U+3000 as well as the ASCII spaces; U+200B (zero width space) is no whitespace.
    @Test func whitespaceIsPythonsWhitespace() throws {
        for space in ["\u{1C}", "\u{1D}", "\u{1E}", "\u{1F}", "\u{85}", "\u{A0}", "\u{2028}", "\u{3000}", "\u{0B}", "\u{0C}"] {
            #expect(try parsed("a ==\(space)1") == .comparison(.equal, .path("a"), .literal(.int(1))), "\(space.unicodeScalars.first!.value)")
        }
        #expect(try parsed("\u{1F}\u{A0}") == .literal(.bool(true)))
        let zeroWidth = try #require(failure("a ==\u{200B}1"))
        #expect(zeroWidth.message == "unexpected character `\u{200B}`")
        #expect(zeroWidth.offset == 4)
    }

    /// Python's `\d` is any Unicode decimal digit, and `int()`/`float()` read each as its value.
    @Test func digitsAreUnicodeDecimalDigits() throws {
        #expect(try parsed("a == \u{661}") == .comparison(.equal, .path("a"), .literal(.int(1))))
        #expect(try parsed("a == \u{FF11}\u{FF12}") == .comparison(.equal, .path("a"), .literal(.int(12))))
        #expect(try parsed("a == -\u{663}.\u{665}") == .comparison(.equal, .path("a"), .literal(.double(-3.5))))
        #expect(try parsed("a == 1\u{662}") == .comparison(.equal, .path("a"), .literal(.int(12))))
        // A word takes only ASCII digits: `a١` is the path `a` and then a number, which does not parse.
        #expect(failure("a\u{661} == 1")?.offset == 1)
        // A number-like character that is no decimal digit (superscript two, Roman numeral one) is refused.
        #expect(failure("a == \u{B2}")?.message == "unexpected character `\u{B2}`")
        #expect(failure("a == \u{2160}")?.message == "unexpected character `\u{2160}`")
        let values = TemplateValues(["a": .int(1)])
        #expect(try parsed("a == \u{661}").evaluate(values))
    }

    /// Python reads code points: a combining mark after a quote is text of the string, not part
    /// of the quote, and offsets count code points.
    @Test func quotesAreCodePointsNotGraphemes() throws {
        #expect(try parsed("u == '\u{301}'") == .comparison(.equal, .path("u"), .literal(.string("\u{301}"))))
        #expect(try parsed("u == 'e\u{301}'").evaluate(TemplateValues(["u": .string("e\u{301}")])))
        // `'a'` then a lone combining mark: PixSim7 cannot tokenize it, so the whole test is false.
        let stray = try #require(failure("x == 'a'\u{301} || true"))
        #expect(stray.message == "unexpected character `\u{301}`")
        #expect(stray.offset == 8)
        #expect(failure("e\u{301} == 1")?.offset == 1)
        #expect(failure("x == 'e\u{301}' && \u{301}")?.offset == 13)
    }

    @Test func emptyAndBlankExpressionsAreTrue() throws {
        #expect(try parsed("") == .literal(.bool(true)))
        #expect(try parsed(" \t ") == .literal(.bool(true)))
    }

    // MARK: A real program file

    static let romanticArc = "/work/shared/pixsim7/example_romantic_arc.json"

    /// Every `test` (stage conditions) and `condition` (stage metadata) string in a JSON value.
    private static func conditionStrings(in json: Any) -> [String] {
        if let object = json as? [String: Any] {
            return object.keys.sorted().flatMap { key -> [String] in
                if key == "test" || key == "condition", let text = object[key] as? String { return [text] }
                return conditionStrings(in: object[key]!)
            }
        }
        if let array = json as? [Any] { return array.flatMap(conditionStrings(in:)) }
        return []
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: romanticArc), "needs the PixSim7 sample at \(romanticArc)"))
    func everyConditionInAPixSim7ProgramParses() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.romanticArc))
        let json = try JSONSerialization.jsonObject(with: data)
        let conditions = Self.conditionStrings(in: json)
        #expect(conditions.count >= 16)
        for condition in conditions {
            if case .failure(let error) = ProgramExpression.parse(condition) {
                Issue.record("`\(condition)`: \(error)")
            }
        }
        #expect(conditions.contains("world_time >= 79200 && world_time < 86400"))
    }
}
