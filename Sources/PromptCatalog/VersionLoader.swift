import Diagnostics
import Foundation
import PromptTemplates

/// `prompts/<family>/v<N>.prompt`: front matter fields and the template, parsed once.
enum VersionLoader {
    static func load(_ entry: ContentEntry, family: String, number: Int) -> Loaded<PromptVersion> {
        let text: String
        switch SourceFile.read(entry) {
        case .success(let read): text = read
        case .failure(let diagnostic): return Loaded(value: nil, diagnostics: [diagnostic])
        }
        let parts: FrontMatter
        switch FrontMatter.split(text, file: entry.path) {
        case .success(let split): parts = split
        case .failure(let diagnostic): return Loaded(value: nil, diagnostics: [diagnostic])
        }
        let node: SourceNode
        switch YAMLReader.parse(parts.yaml, file: entry.path, lineOffset: parts.yamlLine - 1) {
        case .failure(let diagnostic):
            return Loaded(value: nil, diagnostics: [diagnostic])
        case .success(let parsed):
            guard let parsed, parsed.members != nil else {
                let location = parsed?.location ?? SourceLocation(file: entry.path, line: parts.yamlLine, column: 1)
                return Loaded(value: nil, diagnostics: [.error("front-matter", "the front matter must be a YAML mapping with at least `version:`, found \(parsed?.kindName ?? "nothing")",
                                                               at: location, hint: "write `version: \(number)` between the `---` lines")])
            }
            node = parsed
        }
        var fields = VersionFields(node: node, what: "the front matter of \(family)/v\(number)")
        var source = text
        let digest = source.withUTF8 { XXH64.hash(UnsafeRawBufferPointer($0)) }
        let version = fields.read(family: family, number: number, entry: entry, body: parts.body, bodyLine: parts.bodyLine, digest: digest)
        return Loaded(value: version, diagnostics: fields.reader.diagnostics)
    }
}

private struct VersionFields {
    var reader: FieldReader

    init(node: SourceNode, what: String) {
        reader = FieldReader(node, schema: ContentSchemas.version, what: what, code: "front-matter")
    }

    mutating func read(family: String, number: Int, entry: ContentEntry, body: String, bodyLine: Int, digest: UInt64) -> PromptVersion {
        let node = reader.node
        let declared = reader.int("version", required: true).map { Located($0, at: node["version"]!.location) }
        let parent = reader.int("parent").map { Located($0, at: node["parent"]!.location) }
        let branch = reader.string("branch") ?? "main"
        let message = reader.string("message")
        let author = reader.string("author")
        let date = readDate()
        let semver = reader.string("semver")
        let tags = reader.strings("tags").map(\.value)
        let providers: [Located<String>]? = reader.field("providers") == nil ? nil : reader.strings("providers")
        let variables = readVariables()
        let strategies = reader.strings("strategies")
        let pools = readPools()
        let hints = readHints()
        let negative = reader.string("negative").map { Located($0, at: node["negative"]!.location) }
        let examples = readExamples()
        reader.reportUnknownFields()
        return PromptVersion(PromptVersion.Fields(
            family: family, number: number, file: entry.path, location: SourceLocation(file: entry.path, line: 1, column: 1),
            declaredVersion: declared, parent: parent, branch: branch, message: message, author: author, date: date,
            semver: semver, tags: tags, providers: providers, variables: variables, strategies: strategies,
            randomization: pools, providerHints: hints, negative: negative, examples: examples,
            template: Template(parsing: body), bodyLine: bodyLine, frontMatter: .parsed(node), sourceDigest: digest))
    }

    private mutating func readDate() -> Date? {
        guard let text = reader.string("date") else { return nil }
        if let date = ISODate.parse(text) { return date }
        reader.report(.error("front-matter", "`date` is not an ISO 8601 date: `\(text)`", at: reader.node["date"]?.location,
                             hint: "write e.g. `date: 2025-11-17T10:00:00Z`"))
        return nil
    }

    private mutating func readVariables() -> [VariableSpec] {
        guard let mapping = reader.mapping("variables") else { return [] }
        var diagnostics: [Diagnostic] = []
        defer { diagnostics.forEach { reader.report($0) } }
        return VariableSpecReader.read(mapping, code: "front-matter", diagnostics: &diagnostics)
    }

    private mutating func readPools() -> [PoolSpec] {
        guard let mapping = reader.mapping("randomization") else { return [] }
        return (mapping.members ?? []).compactMap { member in
            var valuesNode: SourceNode? = member.value
            var weights: [Double]?
            if member.value.members != nil {
                var pool = FieldReader(member.value, schema: ContentSchemas.pool, what: "randomization pool `\(member.key)`", code: "front-matter")
                valuesNode = pool.field("values", required: true)
                if let weightsNode = pool.field("weights") {
                    if let items = weightsNode.items, items.allSatisfy({ $0.double?.isFinite ?? false }) {
                        weights = items.compactMap(\.double)
                    } else {
                        pool.report(.error("front-matter", "`weights` of pool `\(member.key)` must be a list of finite numbers", at: weightsNode.location))
                    }
                }
                pool.reportUnknownFields()
                pool.diagnostics.forEach { reader.report($0) }
            }
            guard let items = valuesNode?.items else {
                if let valuesNode {
                    reader.report(.error("front-matter", "randomization pool `\(member.key)` must be a list of values or `{ values: [...], weights: [...] }`",
                                         at: valuesNode.location))
                }
                return nil
            }
            let values = items.compactMap(\.scalarText)
            return PoolSpec(name: member.key, location: member.keyLocation, pool: RandomizationPool(values: values, weights: weights),
                            valueLocations: items.map(\.location), weightsGiven: weights != nil)
        }
    }

    private mutating func readHints() -> [ProviderHint] {
        guard let mapping = reader.mapping("provider_hints") else { return [] }
        var hints: [ProviderHint] = []
        for provider in mapping.members ?? [] {
            guard let parameters = provider.value.members else {
                reader.report(.error("front-matter", "hints for `\(provider.key)` must be a mapping of parameter to value, e.g. `{ duration: 5 }`",
                                     at: provider.value.location))
                continue
            }
            for parameter in parameters {
                hints.append(ProviderHint(provider: Located(provider.key, at: provider.keyLocation),
                                          parameter: Located(parameter.key, at: parameter.keyLocation), value: parameter.value))
            }
        }
        return hints
    }

    private mutating func readExamples() -> [Example] {
        guard let list = reader.field("examples") else { return [] }
        guard let items = list.items else {
            reader.mistyped("examples", list, expected: "a list of `{ name, vars }` entries")
            return []
        }
        return items.enumerated().compactMap { index, item in
            guard item.members != nil else {
                reader.report(.error("front-matter", "an example must be a mapping `{ name, vars }`, found \(item.kindName)", at: item.location))
                return nil
            }
            var example = FieldReader(item, schema: ContentSchemas.example, what: "example \(index + 1)", code: "front-matter")
            defer { example.diagnostics.forEach { reader.report($0) } }
            let name = example.string("name") ?? "example-\(index + 1)"
            let vars = example.mapping("vars")
            example.reportUnknownFields()
            let assignments = vars?.flattenedLeaves() ?? []
            return Example(name: name, location: item.location, assignments: assignments)
        }
    }
}

/// ISO 8601 dates: `2025-11-17T10:00:00Z`, with fractional seconds or an offset, or a plain day.
/// Format styles are values (cheap, thread-safe), unlike ISO8601DateFormatter.
public enum ISODate {
    public static func parse(_ text: String) -> Date? {
        if let date = utcSeconds(text) { return date }
        guard fieldsAreReal(text) else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        if text.count == 10, let date = try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day()) { return date }
        return nil
    }

    /// Whether the calendar and clock fields written are real: a month of the year, a day that
    /// month has (February 29 only in a leap year), an hour, minute and second of the clock (a
    /// leap second, `:60`, is let through). The format styles roll `2025-02-30` over to March 2
    /// instead of refusing it. Text of another shape is left to them.
    static func fieldsAreReal(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return true }
        guard (1...12).contains(month) else { return false }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...monthDays[month - 1]).contains(day) else { return false }
        guard bytes.count >= 16, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
              bytes[13] == UInt8(ascii: ":"), let hour = number(11..<13), let minute = number(14..<16) else { return true }
        guard hour < 24, minute < 60 else { return false }
        if bytes.count >= 19, bytes[16] == UInt8(ascii: ":"), let second = number(17..<19) { return second <= 60 }
        return true
    }

    public static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the form nearly every version's `date:` has, read by hand: the format
    /// style costs about a microsecond a date. Anything else (other forms, a day the month lacks, a
    /// leap second, a year before 1970 where calendars disagree) is left to the format style.
    static func utcSeconds(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              year >= 1970, (1...12).contains(month), hour < 24, minute < 60, second < 60 else { return nil }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...monthDays[month - 1]).contains(day) else { return nil }
        // Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = shiftedYear / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3_600 + minute * 60 + second))
    }
}

/// Variable declarations (`name: { type: string, max_length: 40 }` or `name: string`), as in
/// version front matter and plugin variable sources.
enum VariableSpecReader {
    /// `prefix` is put before every name (a plugin's scope); with `examples`, an `example:` value
    /// is read as the value previews use (as `default:` is, without making the variable optional).
    static func read(_ mapping: SourceNode, code: String, prefix: String = "", examples: Bool = false,
                     diagnostics: inout [Diagnostic]) -> [VariableSpec] {
        (mapping.members ?? []).compactMap { member in
            // A name no `{{…}}` can write (`""`, `a b`, `a..b`) could only ever be reported unused.
            let written = prefix + member.key
            let path = VariablePath(written)
            guard VariablePath.isValid(written.split(separator: ".", omittingEmptySubsequences: false).map(String.init)) else {
                diagnostics.append(.error(code, "variable name `\(member.key)` cannot be written in a template as `{{\(written)}}`",
                                          at: member.keyLocation, hint: "a name is letters, digits, `_` and `-`, with dots between nested names, e.g. `npc.name`"))
                return nil
            }
            // `lead: string` is shorthand for `lead: { type: string }`.
            if let typeName = member.value.string {
                let typeLocated = Located(typeName, at: member.value.location)
                return VariableSpec(VariableSpec.Fields(path: path, location: member.keyLocation, typeName: typeLocated, type: VariableType(rawValue: typeName),
                                                        required: true, defaultValue: nil, description: nil, maxLength: nil, min: nil, max: nil, values: []))
            }
            guard member.value.members != nil else {
                diagnostics.append(.error(code, "variable `\(member.key)` must be a mapping such as `{ type: string, max_length: 40 }`, found \(member.value.kindName)",
                                          at: member.value.location))
                return nil
            }
            var spec = FieldReader(member.value, schema: examples ? ContentSchemas.pluginVariable : ContentSchemas.variable, what: "variable `\(member.key)`", code: code)
            defer { diagnostics += spec.diagnostics }
            let typeName = spec.string("type").map { Located($0, at: member.value["type"]!.location) }
            let declaredDefault = spec.field("default")
            let exampleValue = examples ? spec.field("example") : nil
            let defaultValue = declaredDefault ?? exampleValue
            let required = spec.bool("required") ?? (member.value["default"] == nil)
            let description = spec.string("description")
            let maxLength = spec.int("max_length", in: Int.min...VariableSpec.largestMaxLength).map { Located($0, at: member.value["max_length"]!.location) }
            // An int variable's bounds are whole numbers in content's range (±(2⁵³−1)): past it a
            // double has lost the units digit, and the API would publish a rounded bound.
            let isInt = typeName?.value == "int"
            func bound(_ key: String) -> Located<Double>? {
                guard let bound = spec.double(key), let node = member.value[key] else { return nil }
                let outside = node.int.map { $0 > FieldReader.largestInt || $0 < -FieldReader.largestInt } ?? (abs(bound) > Double(FieldReader.largestInt))
                if isInt, outside {
                    spec.report(.error(code, "`\(key)` of int variable `\(path)` is \(node.scalarText ?? String(bound)), out of range (−\(FieldReader.largestInt) to \(FieldReader.largestInt))",
                                       at: node.location, hint: "int variables count in whole numbers up to 2⁵³−1"))
                    return nil
                }
                return Located(bound, at: node.location)
            }
            let min = bound("min"), max = bound("max")
            let values = spec.strings("values")
            spec.reportUnknownFields()
            return VariableSpec(VariableSpec.Fields(path: path, location: member.keyLocation, typeName: typeName, type: typeName.flatMap { VariableType(rawValue: $0.value) },
                                                    required: required, defaultValue: defaultValue, description: description, maxLength: maxLength,
                                                    min: min, max: max, values: values))
        }
    }
}
