import Foundation

/// Plugin regular expressions run on every rendered prompt of a `check`, and Foundation on Linux
/// cannot give ICU a time limit. So a pattern that can backtrack exponentially — a quantified
/// group that itself contains a quantifier (`(a+)+`, `(\w*x?)*`), or a backreference — is refused
/// when the plugin is loaded, and the rest run on at most `inputLimit` characters.
public enum RegexSafety {
    /// The most characters of a prompt a plugin regex is run on.
    public static let inputLimit = 65_536

    /// The first fragment of `pattern` that can backtrack exponentially, or nil.
    public static func catastrophicFragment(in pattern: String) -> String? {
        let characters = Array(pattern)
        // For each open group: where it starts and whether its body has a quantifier so far.
        var groups: [(start: Int, quantified: Bool)] = []
        var index = 0
        var sawQuantifier = false // an unbounded quantifier in the innermost open group, or at top level
        var topLevelQuantified = false
        func isQuantifier(at position: Int) -> (length: Int, unbounded: Bool)? {
            guard position < characters.count else { return nil }
            switch characters[position] {
            case "*", "+": return (1, true)
            case "?": return (1, false)
            case "{":
                guard let close = characters[position...].firstIndex(of: "}") else { return nil }
                let body = String(characters[(position + 1)..<close])
                let parts = body.split(separator: ",", omittingEmptySubsequences: false)
                guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy(\.isNumber) }), !parts[0].isEmpty else { return nil }
                let unbounded = parts.count == 2 && (parts[1].isEmpty || (Int(parts[1]) ?? 0) > 1)
                return (close - position + 1, unbounded)
            default: return nil
            }
        }
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "\\":
                if index + 1 < characters.count, let digit = characters[index + 1].wholeNumberValue, digit > 0 {
                    return String(characters[index...(index + 1)])
                }
                index += 2
                if let quantifier = isQuantifier(at: index) {
                    if quantifier.unbounded { sawQuantifier = true }
                    index += quantifier.length
                    if index < characters.count, characters[index] == "?" || characters[index] == "+" { index += 1 }
                }
            case "[":
                // Skip the class: `]` right after `[` or `[^` is a literal.
                var end = index + 1
                if end < characters.count, characters[end] == "^" { end += 1 }
                if end < characters.count, characters[end] == "]" { end += 1 }
                while end < characters.count, characters[end] != "]" {
                    end += characters[end] == "\\" ? 2 : 1
                }
                index = end + 1
                if let quantifier = isQuantifier(at: index) {
                    if quantifier.unbounded { sawQuantifier = true }
                    index += quantifier.length
                    if index < characters.count, characters[index] == "?" || characters[index] == "+" { index += 1 }
                }
            case "(":
                groups.append((index, sawQuantifier))
                sawQuantifier = false
                index += 1
                if index < characters.count, characters[index] == "?" { index += 1 } // (?: (?= (?i) …: not a quantifier
            case ")":
                let inner = sawQuantifier
                let group = groups.popLast()
                sawQuantifier = group?.quantified ?? topLevelQuantified
                index += 1
                if let quantifier = isQuantifier(at: index) {
                    if inner, quantifier.unbounded, let group {
                        return String(characters[group.start..<(index + quantifier.length)])
                    }
                    if quantifier.unbounded { sawQuantifier = true }
                    index += quantifier.length
                    if index < characters.count, characters[index] == "?" || characters[index] == "+" { index += 1 } // lazy, possessive
                }
                if inner { sawQuantifier = true }
            default:
                index += 1
                if let quantifier = isQuantifier(at: index) {
                    if quantifier.unbounded { sawQuantifier = true }
                    index += quantifier.length
                    if index < characters.count, characters[index] == "?" || characters[index] == "+" { index += 1 }
                }
            }
            if groups.isEmpty { topLevelQuantified = sawQuantifier }
        }
        return nil
    }

    /// The text a plugin regex is run on: the first `inputLimit` characters.
    public static func bounded(_ text: String) -> String {
        text.count > inputLimit ? String(text.prefix(inputLimit)) : text
    }
}
