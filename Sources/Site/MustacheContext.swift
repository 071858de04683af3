/// Turns a view model into dictionaries and arrays once, before rendering.
/// Mustache looks values up by name; on a struct it reflects the whole value for every
/// lookup, on a dictionary it is one hash look-up. Optionals that are nil are left out,
/// so sections on them are false, as they would be on the struct.
enum MustacheContext {
    static func box(_ value: Any) -> Any? {
        switch value {
        case let text as String: return text
        case let number as Int: return number
        case let flag as Bool: return flag
        case let number as Double: return number
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first else { return nil }
            return box(wrapped.value)
        case .collection, .set:
            return mirror.children.compactMap { box($0.value) }
        case .struct, .class, .enum, .tuple:
            var members: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label, let boxed = box(child.value) else { continue }
                members[label] = boxed
            }
            return members
        default:
            return value
        }
    }
}
