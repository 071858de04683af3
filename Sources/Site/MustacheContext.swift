/// Turns a view model into dictionaries and arrays once, before rendering, and feeds every
/// value into the page's fingerprint on the way.
/// Mustache looks values up by name; on a struct it reflects the whole value for every
/// lookup, on a dictionary it is one hash look-up. Optionals that are nil are left out,
/// so sections on them are false, as they would be on the struct.
enum MustacheContext {
    static func box(_ value: Any) -> Any? {
        var ignored = Fingerprint(seed: 0)
        return box(value, hashing: &ignored)
    }

    /// The fingerprint alone: no dictionaries are made and deferred parts are not made at all
    /// (their inputs are hashed), for pages the previous output probably has already.
    static func hash(_ value: Any, into hasher: inout Fingerprint) {
        switch value {
        case let text as String:
            hasher.add(tag: 1)
            hasher.add(text)
        case let number as Int:
            hasher.add(tag: 2)
            hasher.add(UInt64(bitPattern: Int64(number)))
        case let flag as Bool:
            hasher.add(tag: flag ? 3 : 4)
        case let number as Double:
            hasher.add(tag: 5)
            hasher.add(number.bitPattern)
        case let deferred as DeferredPart:
            hasher.add(tag: 13)
            for input in deferred.inputs { hasher.add(input) }
        default:
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .optional:
                if let wrapped = mirror.children.first { hash(wrapped.value, into: &hasher) } else { hasher.add(tag: 6) }
            case .collection, .set:
                hasher.add(tag: 7)
                for child in mirror.children { hash(child.value, into: &hasher) }
                hasher.add(tag: 8)
            case .struct, .class, .enum, .tuple:
                hasher.add(tag: 9)
                for child in mirror.children {
                    guard let label = child.label else { continue }
                    hasher.add(label)
                    hash(child.value, into: &hasher)
                }
                hasher.add(tag: 10)
            default:
                // Dictionaries and anything else: the boxing walk hashes them the same way.
                _ = box(value, hashing: &hasher)
            }
        }
    }

    static func box(_ value: Any, hashing hasher: inout Fingerprint) -> Any? {
        switch value {
        case let text as String:
            hasher.add(tag: 1)
            hasher.add(text)
            return text
        case let number as Int:
            hasher.add(tag: 2)
            hasher.add(UInt64(bitPattern: Int64(number)))
            return number
        case let flag as Bool:
            hasher.add(tag: flag ? 3 : 4)
            return flag
        case let number as Double:
            hasher.add(tag: 5)
            hasher.add(number.bitPattern)
            return number
        case let deferred as DeferredPart:
            hasher.add(tag: 13)
            for input in deferred.inputs { hasher.add(input) }
            var ignored = Fingerprint(seed: 0)
            return box(deferred.made, hashing: &ignored)
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first else {
                hasher.add(tag: 6)
                return nil
            }
            return box(wrapped.value, hashing: &hasher)
        case .collection, .set:
            hasher.add(tag: 7)
            var items: [Any] = []
            for child in mirror.children {
                if let boxed = box(child.value, hashing: &hasher) { items.append(boxed) }
            }
            hasher.add(tag: 8)
            return items
        case .struct, .class, .enum, .tuple:
            hasher.add(tag: 9)
            var members: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label else { continue }
                hasher.add(label)
                if let boxed = box(child.value, hashing: &hasher) { members[label] = boxed }
            }
            hasher.add(tag: 10)
            return members
        case .dictionary:
            // Hashed in key order, so the fingerprint does not depend on the dictionary's layout.
            var entries: [(String, Any)] = []
            for child in mirror.children {
                let pair = Mirror(reflecting: child.value).children.map(\.value)
                if pair.count == 2 { entries.append((String(describing: pair[0]), pair[1])) }
            }
            hasher.add(tag: 12)
            for (key, item) in entries.sorted(by: { $0.0 < $1.0 }) {
                hasher.add(key)
                _ = box(item, hashing: &hasher)
            }
            return value
        default:
            hasher.add(tag: 11)
            hasher.add(String(describing: value))
            return value
        }
    }
}

/// A part of a view model that is costly to make and fully determined by a few inputs (a diff by
/// the two texts): the page's fingerprint takes the inputs, and the part is made only when the
/// page is rendered — never for a page the previous output already has.
protocol DeferredPart: Sendable {
    var inputs: [String] { get }
    var made: Any { get }
}

struct Deferred<Value: Sendable>: DeferredPart {
    let inputs: [String]
    let make: @Sendable () -> Value

    var made: Any { make() }
}
