import CYaml
import Diagnostics

/// The common case of `YAMLReader.parse` built straight from libyaml's events: untagged
/// scalars, mappings with distinct scalar keys, and sequences. Yams builds the same tree
/// through its own nodes, tags and a dictionary of keys per mapping, about twice the work.
///
/// A repeated key is reported here, at the second key and naming the first, as written (a key
/// spelled with an escape, `"\u0074itle"`, included). Anything else — a syntax error, an alias, a
/// tag, a complex or merge key (`<<`), more than one document, very deep nesting — returns `nil`, and the document
/// goes through Yams, so every other diagnostic still comes from one place. The tests compare both
/// readings on every kind of node.
enum YAMLComposer {
    /// The document's root (nil for a document with none) or its repeated key, with the warnings
    /// for repeated keys when the last value wins; nil when Yams must read it.
    /// `lastKeyWins`: a repeated key keeps its first place and takes its last value, as PyYAML's
    /// `safe_load` reads it (PixSim7's content packs), with a `yaml-duplicate-key` warning, instead
    /// of refusing the document.
    static func compose(_ text: String, file: String, lineOffset: Int, budget: Int,
                        lastKeyWins: Bool = false) -> (result: Result<SourceNode?, Diagnostic>, repeats: [Diagnostic])? {
        guard !text.isEmpty else { return nil }
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return nil }
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, base, bytes.count)
            return withUnsafeMutablePointer(to: &parser) { pointer in
                var composer = Composer(parser: pointer, file: file, lineOffset: lineOffset, budget: budget, lastKeyWins: lastKeyWins)
                // The whole document is read first: a syntax error after the repeated key is Yams' to report.
                // Not `try?`: it would flatten "Yams must read it" into "no root".
                let root: SourceNode?
                do { root = try composer.document() } catch { return nil }
                return (composer.repeatedKey.map { .failure($0) } ?? .success(root), composer.repeats.warnings(file: file))
            }
        }
    }

    /// Why Yams must read the document instead.
    private struct NeedsYams: Error {}

    /// One libyaml event, deleted when the value goes away. It is held by pointer: a class's stored
    /// `var` is checked for exclusive access on every read, which cost as much as the reads.
    private final class Event {
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        init() { event.initialize(to: yaml_event_t()) }
        deinit {
            yaml_event_delete(event)
            event.deallocate()
        }
        var type: yaml_event_type_t { event.pointee.type }
    }

    private struct Composer {
        let parser: UnsafeMutablePointer<yaml_parser_t>
        let file: String
        let lineOffset: Int
        var budget: Int
        var depth = 0
        /// Keep a repeated key's last value (PyYAML) instead of refusing the document.
        let lastKeyWins: Bool
        /// The first key repeated in its mapping (refused).
        var repeatedKey: Diagnostic? = nil
        /// Every repeated key, when the last value wins.
        var repeats = RepeatedKeys(code: "yaml-duplicate-key")

        init(parser: UnsafeMutablePointer<yaml_parser_t>, file: String, lineOffset: Int, budget: Int, lastKeyWins: Bool) {
            self.parser = parser
            self.file = file
            self.lineOffset = lineOffset
            self.budget = budget
            self.lastKeyWins = lastKeyWins
        }
        /// `.json` files read numbers as JSON does (`YAMLReader.resolvePlain(_:json:)`).
        var json: Bool { YAMLReader.isJSON(file) }
        /// Deeper than this, Yams reads the document (as it always did, recursion and all).
        static let maximumDepth = 64

        mutating func next() throws(NeedsYams) -> Event {
            let event = Event()
            guard yaml_parser_parse(parser, event.event) == 1 else { throw NeedsYams() }
            return event
        }

        /// As Yams' `compose`: nothing for an empty stream, else exactly one document.
        mutating func document() throws(NeedsYams) -> SourceNode? {
            guard try next().type == YAML_STREAM_START_EVENT else { throw NeedsYams() }
            let start = try next()
            if start.type == YAML_STREAM_END_EVENT { return nil }
            guard start.type == YAML_DOCUMENT_START_EVENT else { throw NeedsYams() }
            let root = try node(from: try next())
            guard try next().type == YAML_DOCUMENT_END_EVENT, try next().type == YAML_STREAM_END_EVENT else { throw NeedsYams() }
            return root
        }

        private func location(_ mark: yaml_mark_t) -> SourceLocation {
            SourceLocation(file: file, line: Int(mark.line) + 1 + lineOffset, column: Int(mark.column) + 1)
        }

        mutating func node(from event: Event) throws(NeedsYams) -> SourceNode {
            budget -= 1
            guard budget >= 0 else { throw NeedsYams() }
            let location = location(event.event.pointee.start_mark)
            switch event.type {
            case YAML_SCALAR_EVENT:
                let text = try scalarText(event)
                let plain = event.event.pointee.data.scalar.style == YAML_PLAIN_SCALAR_STYLE
                // A merge key, or a merge or value indicator where a value belongs.
                guard !plain || (text != "<<" && text != "=") else { throw NeedsYams() }
                let value: ScalarValue = plain ? YAMLReader.resolvePlain(text, json: json) : .string(text)
                return SourceNode(.scalar(value, text: text), at: location)
            case YAML_MAPPING_START_EVENT:
                guard event.event.pointee.data.mapping_start.implicit != 0, depth < Self.maximumDepth else { throw NeedsYams() }
                depth += 1
                defer { depth -= 1 }
                var members: [SourceNode.Member] = []
                // Keys as Yams compares them (`String` equality); past a few, by hash.
                var places: [String: Int] = [:]
                while true {
                    let keyEvent = try next()
                    if keyEvent.type == YAML_MAPPING_END_EVENT { break }
                    guard keyEvent.type == YAML_SCALAR_EVENT else { throw NeedsYams() }
                    let key = try node(from: keyEvent)
                    guard let name = key.scalarText else { throw NeedsYams() }
                    let earlier: Int?
                    if members.count < 16 {
                        earlier = members.firstIndex { $0.key == name }
                    } else {
                        if places.isEmpty { for (place, member) in members.enumerated() where places[member.key] == nil { places[member.key] = place } }
                        earlier = places[name]
                        if earlier == nil { places[name] = members.count }
                    }
                    // Reported before the value is read: the problems come in the order of the text.
                    if let earlier {
                        let first = members[earlier].keyLocation.line ?? 0
                        if lastKeyWins {
                            repeats.add(.warning("yaml-duplicate-key", "key `\(name)` is repeated in this mapping (first at line \(first)); PixSim7's `yaml.safe_load` keeps this last value",
                                                    at: key.location, hint: "remove one of them: only the last is read"))
                        } else if repeatedKey == nil {
                            repeatedKey = .error("yaml-syntax", "duplicate key `\(name)` (first defined at line \(first))",
                                                 at: key.location, hint: "a key may appear once in a mapping: remove or rename one of them")
                        }
                    }
                    let member = SourceNode.Member(key: name, keyLocation: key.location, value: try node(from: try next()), keyIsString: key.string != nil)
                    if let earlier, lastKeyWins {
                        members[earlier] = SourceNode.Member(key: members[earlier].key, keyLocation: members[earlier].keyLocation, value: member.value,
                                                             keyIsString: members[earlier].keyIsString)
                    } else {
                        members.append(member)
                    }
                }
                return SourceNode(.mapping(members), at: location)
            case YAML_SEQUENCE_START_EVENT:
                guard event.event.pointee.data.sequence_start.implicit != 0, depth < Self.maximumDepth else { throw NeedsYams() }
                depth += 1
                defer { depth -= 1 }
                var items: [SourceNode] = []
                while true {
                    let item = try next()
                    if item.type == YAML_SEQUENCE_END_EVENT { break }
                    items.append(try node(from: item))
                }
                return SourceNode(.sequence(items), at: location)
            default:
                // An alias: Yams repeats the anchored node.
                throw NeedsYams()
            }
        }

        /// An untagged scalar's text, as Yams decodes it (a leading byte-order mark is left to Yams).
        private func scalarText(_ event: Event) throws(NeedsYams) -> String {
            let scalar = event.event.pointee.data.scalar
            guard scalar.tag == nil else { throw NeedsYams() }
            let bytes = UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length))
            guard !bytes.starts(with: [0xEF, 0xBB, 0xBF]) else { throw NeedsYams() }
            // libyaml ends every value with a NUL: a value without one inside is validated as a C string,
            // which skips the generic `String(validating:as:)` (its metadata lookup cost as much as the check).
            let text = bytes.withMemoryRebound(to: CChar.self) { chars in
                chars.firstIndex(of: 0) == nil ? chars.baseAddress.flatMap { String(validatingCString: $0) } : nil
            } ?? String(validating: bytes, as: UTF8.self)
            guard let text else { throw NeedsYams() }
            return text
        }
    }
}
