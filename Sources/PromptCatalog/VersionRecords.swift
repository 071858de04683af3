import Diagnostics
import Foundation
import PromptTemplates

/// Parsed versions as bytes: what `LoadMemo` keeps on disk between processes, so that a build
/// after one edit parses one version file, not every one (`.promptsite-cache/versions/`).
///
/// The format is this binary's own (the file names the binary it was written by): little-endian
/// variable-length integers, strings as a length and UTF-8, every value in a fixed order. A
/// location's file is written only when it is not the version's own file. Reading never trusts the
/// bytes: anything out of bounds, too deep or of an unknown tag makes the record unreadable, and the
/// version is parsed again.
enum VersionRecords {
    struct Unreadable: Error {}

    /// The deepest value a record may nest (deeper than the YAML reader's 64, shallow enough for
    /// a worker thread's stack).
    static let maximumDepth = 128
    /// The largest line, column or template position a record may hold: a content file is at most
    /// 16 MB, and nothing past this can overflow when lines are added.
    static let maximumPosition = 1 << 32

    // MARK: Writing

    struct Writer {
        var bytes: [UInt8] = []
        /// The version's file: locations in it are written without their file.
        var file = ""

        mutating func unsigned(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
                value >>= 7
            }
            bytes.append(UInt8(value))
        }

        mutating func int(_ value: Int) {
            let wide = Int64(value)
            unsigned(UInt64(bitPattern: (wide << 1) ^ (wide >> 63)))
        }

        mutating func count(_ value: Int) { unsigned(UInt64(value)) }
        mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }
        mutating func double(_ value: Double) { fixed(value.bitPattern) }

        mutating func fixed(_ value: UInt64) {
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        }

        mutating func string(_ value: String) {
            var value = value
            value.withUTF8 { utf8 in
                count(utf8.count)
                bytes.append(contentsOf: utf8)
            }
        }

        mutating func optional<Value>(_ value: Value?, _ write: (inout Writer, Value) -> Void) {
            guard let value else { return bytes.append(0) }
            bytes.append(1)
            write(&self, value)
        }

        mutating func list<Value>(_ values: [Value], _ write: (inout Writer, Value) -> Void) {
            count(values.count)
            for value in values { write(&self, value) }
        }

        mutating func optionalInt(_ value: Int?) { optional(value) { $0.int($1) } }
        mutating func optionalString(_ value: String?) { optional(value) { $0.string($1) } }

        mutating func location(_ location: SourceLocation) {
            if location.file == file {
                bytes.append(0)
            } else {
                bytes.append(1)
                string(location.file)
            }
            optionalInt(location.line)
            optionalInt(location.column)
        }

        mutating func located(_ value: Located<Int>) { int(value.value); location(value.location) }
        mutating func located(_ value: Located<String>) { string(value.value); location(value.location) }
        mutating func located(_ value: Located<Double>) { double(value.value); location(value.location) }

        mutating func path(_ path: VariablePath) { list(path.components) { $0.string($1) } }
        mutating func position(_ position: TemplatePosition) { int(position.line); int(position.column) }

        mutating func node(_ node: SourceNode) {
            switch node.kind {
            case .scalar(let value, let text):
                switch value {
                case .null: bytes.append(0)
                case .bool(let flag): bytes.append(flag ? 2 : 1)
                case .int(let number): bytes.append(3); int(number)
                case .double(let number): bytes.append(4); double(number)
                // Most strings are written as they read: the text once.
                case .string(let string) where string == text: bytes.append(5)
                case .string(let string): bytes.append(6); self.string(string)
                }
                string(text)
            case .mapping(let members):
                bytes.append(7)
                list(members) { writer, member in
                    writer.string(member.key)
                    writer.location(member.keyLocation)
                    writer.bool(member.keyIsString)
                    writer.node(member.value)
                }
            case .sequence(let items):
                bytes.append(8)
                list(items) { $0.node($1) }
            }
            location(node.location)
        }

        /// The template's source, then its segments. A text segment whose bytes are the source's
        /// where it starts is written as that place (most of a template is text).
        mutating func template(_ template: Template) {
            let source = Array(template.source.utf8)
            string(template.source)
            // Where the next segment starts in the source, while the segments follow it byte for byte.
            var cursor: Int? = 0
            func follows(_ text: String) -> Int? {
                guard let start = cursor else { return nil }
                let utf8 = Array(text.utf8)
                guard source.count - start >= utf8.count, source[start..<start + utf8.count].elementsEqual(utf8) else {
                    cursor = nil
                    return nil
                }
                cursor = start + utf8.count
                return start
            }
            list(template.segments) { writer, segment in
                switch segment {
                case .text(let text):
                    if let start = follows(text) {
                        writer.bytes.append(3)
                        writer.count(start)
                        writer.count(text.utf8.count)
                    } else {
                        writer.bytes.append(0)
                        writer.string(text)
                    }
                case .variable(let reference):
                    _ = follows(reference.source)
                    writer.bytes.append(1)
                    writer.path(reference.path)
                    writer.position(reference.position)
                    writer.string(reference.source)
                case .include(let include):
                    _ = follows(include.source)
                    writer.bytes.append(2)
                    writer.string(include.family)
                    switch include.selector {
                    case .latest: writer.bytes.append(0)
                    case .label(let name): writer.bytes.append(1); writer.string(name)
                    case .number(let number): writer.bytes.append(2); writer.int(number)
                    }
                    writer.position(include.position)
                    writer.string(include.source)
                }
            }
            list(template.errors) { writer, error in
                writer.string(error.message)
                writer.string(error.hint)
                writer.position(error.position)
            }
            count(template.errorCount)
        }

        mutating func variable(_ spec: VariableSpec) {
            path(spec.path)
            location(spec.location)
            optional(spec.typeName) { $0.located($1) }
            optionalString(spec.type?.rawValue)
            bool(spec.required)
            optional(spec.defaultValue) { $0.node($1) }
            optionalString(spec.description)
            optional(spec.maxLength) { $0.located($1) }
            optional(spec.min) { $0.located($1) }
            optional(spec.max) { $0.located($1) }
            list(spec.values) { $0.located($1) }
        }

        mutating func pool(_ pool: PoolSpec) {
            string(pool.name)
            location(pool.location)
            list(pool.pool.values) { $0.string($1) }
            optional(pool.pool.weights) { writer, weights in writer.list(weights) { $0.double($1) } }
            list(pool.valueLocations) { $0.location($1) }
            bool(pool.weightsGiven)
        }

        mutating func diagnostic(_ diagnostic: Diagnostic) {
            string(diagnostic.code)
            bytes.append(diagnostic.level == .error ? 0 : diagnostic.level == .warning ? 1 : 2)
            optional(diagnostic.location) { $0.location($1) }
            string(diagnostic.message)
            optionalString(diagnostic.hint)
        }

        mutating func version(_ version: PromptVersion) {
            string(version.family)
            int(version.number)
            location(version.location)
            optional(version.declaredVersion) { $0.located($1) }
            optional(version.parent) { $0.located($1) }
            string(version.branch)
            optionalString(version.message)
            optionalString(version.author)
            optional(version.date) { $0.double($1.timeIntervalSinceReferenceDate) }
            optionalString(version.semver)
            list(version.tags) { $0.string($1) }
            optional(version.providers) { writer, providers in writer.list(providers) { $0.located($1) } }
            list(version.variables) { $0.variable($1) }
            list(version.strategies) { $0.located($1) }
            list(version.randomization) { $0.pool($1) }
            list(version.providerHints) { writer, hint in
                writer.located(hint.provider)
                writer.located(hint.parameter)
                writer.node(hint.value)
            }
            optional(version.negative) { $0.located($1) }
            list(version.examples) { writer, example in
                writer.string(example.name)
                writer.location(example.location)
                writer.list(example.assignments) { writer, assignment in
                    writer.path(assignment.path)
                    writer.node(assignment.node)
                }
            }
            template(version.template)
            int(version.bodyLine)
            frontMatter(version.keptFrontMatter)
            fixed(version.sourceDigest)
        }

        /// The front matter's node as a length and its bytes, so a reader can keep them unread.
        mutating func frontMatter(_ tree: FrontMatterTree) {
            switch tree {
            case .parsed(nil): bool(false)
            case .parsed(let node?):
                var inner = Writer(file: file)
                inner.node(node)
                bool(true)
                count(inner.bytes.count)
                bytes += inner.bytes
            case .recorded(let recorded, _):
                bool(true)
                count(recorded.count)
                bytes += recorded
            }
        }

        /// A load's outcome for the version file at `file`: the version (if one was made) and its diagnostics.
        mutating func loaded(_ loaded: Loaded<PromptVersion>, file: String) {
            self.file = file
            optional(loaded.value) { $0.version($1) }
            list(loaded.diagnostics) { $0.diagnostic($1) }
        }
    }

    /// A node written by `Writer.node` for a version of `file`, or nil when the bytes are not one.
    static func node(_ bytes: [UInt8], file: String) -> SourceNode? {
        bytes.withUnsafeBytes { bytes in
            var reader = Reader(bytes, file: file)
            guard let node = try? reader.node(), reader.position == bytes.count else { return nil }
            return node
        }
    }

    // MARK: Reading

    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var position: Int
        let file: String
        var depth = 0

        init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0, file: String = "") {
            self.bytes = bytes
            self.position = position
            self.file = file
        }

        mutating func byte() throws(Unreadable) -> UInt8 {
            guard position < bytes.count else { throw Unreadable() }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func unsigned() throws(Unreadable) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let next = try byte()
                guard shift < 64 else { throw Unreadable() }
                value |= UInt64(next & 0x7F) << shift
                if next & 0x80 == 0 { return value }
                shift += 7
            }
        }

        mutating func int() throws(Unreadable) -> Int {
            let raw = try unsigned()
            let wide = Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
            guard let value = Int(exactly: wide) else { throw Unreadable() }
            return value
        }

        /// A count of things still to read: never more than the bytes left (each takes at least one).
        mutating func count() throws(Unreadable) -> Int {
            let value = try unsigned()
            guard value <= UInt64(bytes.count - position) else { throw Unreadable() }
            return Int(value)
        }

        mutating func bool() throws(Unreadable) -> Bool {
            switch try byte() {
            case 0: false
            case 1: true
            default: throw Unreadable()
            }
        }

        mutating func fixed() throws(Unreadable) -> UInt64 {
            guard bytes.count - position >= 8 else { throw Unreadable() }
            var value: UInt64 = 0
            for index in 0..<8 { value |= UInt64(bytes[position + index]) << UInt64(8 * index) }
            position += 8
            return value
        }

        mutating func double() throws(Unreadable) -> Double { Double(bitPattern: try fixed()) }

        mutating func string() throws(Unreadable) -> String {
            let length = try count()
            defer { position += length }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<position + length]), as: UTF8.self)
        }

        mutating func optional<Value>(_ read: (inout Reader) throws(Unreadable) -> Value) throws(Unreadable) -> Value? {
            try bool() ? try read(&self) : nil
        }

        mutating func list<Value>(_ read: (inout Reader) throws(Unreadable) -> Value) throws(Unreadable) -> [Value] {
            let count = try count()
            var values: [Value] = []
            // A count is bounded by the bytes left, not by the values' size: reserve a little only.
            values.reserveCapacity(min(count, 64))
            for _ in 0..<count { values.append(try read(&self)) }
            return values
        }

        mutating func optionalInt() throws(Unreadable) -> Int? { try optional { reader throws(Unreadable) in try reader.int() } }
        mutating func optionalString() throws(Unreadable) -> String? { try optional { reader throws(Unreadable) in try reader.string() } }
        mutating func strings() throws(Unreadable) -> [String] { try list { reader throws(Unreadable) in try reader.string() } }

        /// A line, column or position: never negative nor past `maximumPosition`.
        mutating func place() throws(Unreadable) -> Int {
            let value = try int()
            guard value >= 0, value <= VersionRecords.maximumPosition else { throw Unreadable() }
            return value
        }

        mutating func optionalPlace() throws(Unreadable) -> Int? { try optional { reader throws(Unreadable) in try reader.place() } }

        mutating func location() throws(Unreadable) -> SourceLocation {
            let file = try bool() ? try string() : self.file
            return SourceLocation(file: file, line: try optionalPlace(), column: try optionalPlace())
        }

        mutating func locatedInt() throws(Unreadable) -> Located<Int> { Located(try int(), at: try location()) }
        mutating func locatedString() throws(Unreadable) -> Located<String> { Located(try string(), at: try location()) }
        mutating func locatedDouble() throws(Unreadable) -> Located<Double> { Located(try double(), at: try location()) }
        mutating func locatedStrings() throws(Unreadable) -> [Located<String>] { try list { reader throws(Unreadable) in try reader.locatedString() } }

        mutating func path() throws(Unreadable) -> VariablePath { VariablePath(try strings()) }
        mutating func templatePosition() throws(Unreadable) -> TemplatePosition { TemplatePosition(line: try place(), column: try place()) }

        mutating func node() throws(Unreadable) -> SourceNode {
            depth += 1
            defer { depth -= 1 }
            guard depth <= VersionRecords.maximumDepth else { throw Unreadable() }
            let kind: SourceNode.Kind
            switch try byte() {
            case 0: kind = .scalar(.null, text: try string())
            case 1: kind = .scalar(.bool(false), text: try string())
            case 2: kind = .scalar(.bool(true), text: try string())
            case 3: let value = try int(); kind = .scalar(.int(value), text: try string())
            case 4: let value = try double(); kind = .scalar(.double(value), text: try string())
            case 5: let text = try string(); kind = .scalar(.string(text), text: text)
            case 6: let value = try string(); kind = .scalar(.string(value), text: try string())
            case 7:
                kind = .mapping(try list { reader throws(Unreadable) in
                    let key = try reader.string(), keyLocation = try reader.location(), isString = try reader.bool()
                    return SourceNode.Member(key: key, keyLocation: keyLocation, value: try reader.node(), keyIsString: isString)
                })
            case 8: kind = .sequence(try list { reader throws(Unreadable) in try reader.node() })
            default: throw Unreadable()
            }
            return SourceNode(kind, at: try location())
        }

        mutating func template() throws(Unreadable) -> Template {
            let sourceBytes = try count()
            let sourceStart = position
            guard bytes.count - position >= sourceBytes else { throw Unreadable() }
            let source = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<position + sourceBytes]), as: UTF8.self)
            position += sourceBytes
            let segments = try list { reader throws(Unreadable) -> TemplateSegment in
                switch try reader.byte() {
                case 0: return .text(try reader.string())
                case 3:
                    let start = try reader.unsigned(), length = try reader.unsigned()
                    guard start <= UInt64(sourceBytes), length <= UInt64(sourceBytes) - start else { throw Unreadable() }
                    let from = sourceStart + Int(start)
                    return .text(String(decoding: UnsafeRawBufferPointer(rebasing: reader.bytes[from..<from + Int(length)]), as: UTF8.self))
                case 1: return .variable(VariableReference(path: try reader.path(), position: try reader.templatePosition(), source: try reader.string()))
                case 2:
                    let family = try reader.string()
                    let selector: IncludeSelector
                    switch try reader.byte() {
                    case 0: selector = .latest
                    case 1: selector = .label(try reader.string())
                    case 2: selector = .number(try reader.int())
                    default: throw Unreadable()
                    }
                    return .include(IncludeReference(family: family, selector: selector, position: try reader.templatePosition(), source: try reader.string()))
                default: throw Unreadable()
                }
            }
            let errors = try list { reader throws(Unreadable) in
                TemplateSyntaxError(message: try reader.string(), hint: try reader.string(), position: try reader.templatePosition())
            }
            return Template(source: source, segments: segments, errors: errors, errorCount: try count())
        }

        mutating func variable() throws(Unreadable) -> VariableSpec {
            let path = try path(), location = try location()
            let typeName = try optional { reader throws(Unreadable) in try reader.locatedString() }
            let type = try optionalString().map { name throws(Unreadable) in
                guard let type = VariableType(rawValue: name) else { throw Unreadable() }
                return type
            }
            return VariableSpec(VariableSpec.Fields(
                path: path, location: location, typeName: typeName, type: type, required: try bool(),
                defaultValue: try optional { reader throws(Unreadable) in try reader.node() }, description: try optionalString(),
                maxLength: try optional { reader throws(Unreadable) in try reader.locatedInt() },
                min: try optional { reader throws(Unreadable) in try reader.locatedDouble() },
                max: try optional { reader throws(Unreadable) in try reader.locatedDouble() },
                values: try locatedStrings()))
        }

        mutating func pool() throws(Unreadable) -> PoolSpec {
            let name = try string(), location = try location()
            let pool = RandomizationPool(values: try strings(), weights: try optional { reader throws(Unreadable) in
                try reader.list { reader throws(Unreadable) in try reader.double() }
            })
            return PoolSpec(name: name, location: location, pool: pool,
                            valueLocations: try list { reader throws(Unreadable) in try reader.location() }, weightsGiven: try bool())
        }

        mutating func diagnostic() throws(Unreadable) -> Diagnostic {
            let code = try string()
            let level: Severity
            switch try byte() {
            case 0: level = .error
            case 1: level = .warning
            case 2: level = .info
            default: throw Unreadable()
            }
            let location = try optional { reader throws(Unreadable) in try reader.location() }
            return Diagnostic(level, code, try string(), at: location, hint: try optionalString())
        }

        mutating func version() throws(Unreadable) -> PromptVersion {
            let family = try string(), number = try int(), location = try location()
            let declared = try optional { reader throws(Unreadable) in try reader.locatedInt() }
            let parent = try optional { reader throws(Unreadable) in try reader.locatedInt() }
            let branch = try string(), message = try optionalString(), author = try optionalString()
            let date = try optional { reader throws(Unreadable) in Date(timeIntervalSinceReferenceDate: try reader.double()) }
            let semver = try optionalString(), tags = try strings()
            let providers = try optional { reader throws(Unreadable) in try reader.locatedStrings() }
            let variables = try list { reader throws(Unreadable) in try reader.variable() }
            let strategies = try locatedStrings()
            let pools = try list { reader throws(Unreadable) in try reader.pool() }
            let hints = try list { reader throws(Unreadable) in
                ProviderHint(provider: try reader.locatedString(), parameter: try reader.locatedString(), value: try reader.node())
            }
            let negative = try optional { reader throws(Unreadable) in try reader.locatedString() }
            let examples = try list { reader throws(Unreadable) in
                Example(name: try reader.string(), location: try reader.location(), assignments: try reader.list { reader throws(Unreadable) in
                    (path: try reader.path(), node: try reader.node())
                })
            }
            return PromptVersion(PromptVersion.Fields(
                family: family, number: number, file: file, location: location, declaredVersion: declared, parent: parent,
                branch: branch, message: message, author: author, date: date, semver: semver, tags: tags, providers: providers,
                variables: variables, strategies: strategies, randomization: pools, providerHints: hints, negative: negative,
                examples: examples, template: try template(), bodyLine: try place(),
                frontMatter: try frontMatter(), sourceDigest: try fixed()))
        }

        /// The front matter's node bytes, kept to be read when asked for (`FrontMatterTree`).
        mutating func frontMatter() throws(Unreadable) -> FrontMatterTree {
            guard try bool() else { return .parsed(nil) }
            let length = try count()
            defer { position += length }
            return .recorded(Array(UnsafeRawBufferPointer(rebasing: bytes[position..<position + length])), file: file)
        }

        mutating func loaded() throws(Unreadable) -> Loaded<PromptVersion> {
            let value = try optional { reader throws(Unreadable) in try reader.version() }
            return Loaded(value: value, diagnostics: try list { reader throws(Unreadable) in try reader.diagnostic() })
        }
    }
}
