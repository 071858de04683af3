import Foundation
import Synchronization
#if canImport(_FoundationICU)
import _FoundationICU
#endif

/// Plugin regular expressions, run by ICU under its time limit. The loader refuses the patterns
/// that obviously backtrack exponentially (`RegexSafety`), but `(a|a)*b`, `a*a*a*a*a*b` or
/// `.*.*.*.*x` pass any such list and can run for hours on one prompt. ICU counts the steps of
/// its match engine: past `stepLimit` the match stops, the text counts as not checked, and the
/// pattern is given up for the rest of the process (so one slow pattern costs one time-out, not
/// one per prompt).
///
/// Foundation's `NSRegularExpression` is ICU too but cannot set the limit, so this calls ICU's C
/// API through the toolchain's `_FoundationICU` (elsewhere: `NSRegularExpression`, on the bounded input only).
public enum BoundedRegex {
    public enum Match: Equatable, Sendable {
        case found(String)
        case noMatch
        /// The match ran past the time limit (or the pattern did before, on another text).
        case timedOut
    }

    /// ICU match steps (each on the order of a tenth of a millisecond here): about 0.1 s.
    public static let stepLimit: Int32 = 600
    /// Once this many patterns have timed out, every pattern gets a tenth of the limit: 600
    /// distinct slow patterns in one plugin cost 600 time-outs (30 s) otherwise. A prompt-sized
    /// match of a sound pattern takes a few steps, far below either limit; a pattern that needs
    /// between 60 and 600 steps on one prompt may be given up or not depending on whether the
    /// slow ones ran before it (checks run in parallel), and is reported when it is.
    public static let slowPatternsBeforeShorterLimit = 16
    public static let shorterStepLimit: Int32 = 60

    /// The limit for a pattern compiled now.
    public static var currentStepLimit: Int32 {
        slowPatterns.withLock { $0.count } < slowPatternsBeforeShorterLimit ? stepLimit : shorterStepLimit
    }

    private static let slowPatterns = Mutex<Set<String>>([])

    /// Whether the pattern already timed out in this process.
    public static func isSlow(_ pattern: String, caseInsensitive: Bool = false) -> Bool {
        slowPatterns.withLock { $0.contains(key(pattern, caseInsensitive)) }
    }

    /// The first match in the first `RegexSafety.inputLimit` characters of `text`; nil when the
    /// pattern does not compile.
    public static func firstMatch(_ pattern: String, in text: String, caseInsensitive: Bool = false) -> Match? {
        if isSlow(pattern, caseInsensitive: caseInsensitive) { return .timedOut }
        let text = RegexSafety.bounded(text)
        #if canImport(_FoundationICU)
        guard let regex = ICUPattern(pattern, caseInsensitive: caseInsensitive) else { return nil }
        let units = Array(text.utf16)
        return units.withUnsafeBufferPointer { buffer -> Match in
            guard let range = regex.first(in: buffer) else {
                if regex.timedOut { markSlow(pattern, caseInsensitive) }
                return regex.timedOut ? .timedOut : .noMatch
            }
            return .found(String(decoding: buffer[range], as: UTF16.self))
        }
        #else
        guard let regex = try? NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : []) else { return nil }
        guard let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range, in: text) else { return .noMatch }
        return .found(String(text[range]))
        #endif
    }

    /// Every match in the first `RegexSafety.inputLimit` characters replaced by `template` (`$1`
    /// for groups), the rest of a longer text kept as it is; nil when the pattern does not compile
    /// or timed out (the caller keeps the text and reports it).
    public static func replacingMatches(of pattern: String, in text: String, with template: String) -> String? {
        if isSlow(pattern) { return nil }
        // The head's end found once, walking at most `inputLimit` characters (counting a long
        // text's characters, twice, cost more than the replacement).
        let split = text.index(text.startIndex, offsetBy: RegexSafety.inputLimit, limitedBy: text.endIndex) ?? text.endIndex
        let head = split == text.endIndex ? text : String(text[..<split])
        let tail = text[split...]
        #if canImport(_FoundationICU)
        guard let regex = ICUPattern(pattern, caseInsensitive: false) else { return nil }
        let units = Array(head.utf16)
        let replaced = units.withUnsafeBufferPointer { regex.replaceAll(in: $0, with: Array(template.utf16)) }
        if regex.timedOut { markSlow(pattern, false) }
        return replaced.map { String(decoding: $0, as: UTF16.self) + tail }
        #else
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        return regex.stringByReplacingMatches(in: head, range: NSRange(head.startIndex..., in: head), withTemplate: template) + tail
        #endif
    }

    private static func key(_ pattern: String, _ caseInsensitive: Bool) -> String { (caseInsensitive ? "i:" : "c:") + pattern }

    private static func markSlow(_ pattern: String, _ caseInsensitive: Bool) {
        _ = slowPatterns.withLock { $0.insert(key(pattern, caseInsensitive)) }
    }
}

#if canImport(_FoundationICU)
/// One compiled ICU pattern, used by one thread.
private final class ICUPattern {
    private let regex: OpaquePointer
    private(set) var timedOut = false

    init?(_ pattern: String, caseInsensitive: Bool) {
        var status = U_ZERO_ERROR
        var parseError = UParseError()
        let units = Array(pattern.utf16)
        let flags: UInt32 = caseInsensitive ? UInt32(UREGEX_CASE_INSENSITIVE.rawValue) : 0
        guard let regex = swift_uregex_open(units, Int32(units.count), flags, &parseError, &status), status.rawValue <= U_ZERO_ERROR.rawValue else {
            return nil
        }
        self.regex = regex
        swift_uregex_setTimeLimit(regex, BoundedRegex.currentStepLimit, &status)
    }

    deinit { swift_uregex_close(regex) }

    /// The UTF-16 range of the first match; nil for none or a time-out (`timedOut`).
    func first(in text: UnsafeBufferPointer<UInt16>) -> Range<Int>? {
        var status = U_ZERO_ERROR
        swift_uregex_setText(regex, text.baseAddress ?? UnsafePointer(bitPattern: 1), Int32(text.count), &status)
        let found = swift_uregex_find(regex, 0, &status)
        if status == U_REGEX_TIME_OUT { timedOut = true }
        guard status.rawValue <= U_ZERO_ERROR.rawValue, found != 0 else { return nil }
        let start = Int(swift_uregex_start(regex, 0, &status)), end = Int(swift_uregex_end(regex, 0, &status))
        guard status.rawValue <= U_ZERO_ERROR.rawValue, 0 <= start, start <= end, end <= text.count else { return nil }
        return start..<end
    }

    /// The text with every match replaced; nil on a time-out or an error.
    func replaceAll(in text: UnsafeBufferPointer<UInt16>, with template: [UInt16]) -> [UInt16]? {
        var status = U_ZERO_ERROR
        swift_uregex_setText(regex, text.baseAddress ?? UnsafePointer(bitPattern: 1), Int32(text.count), &status)
        var capacity = text.count + text.count / 2 + 16
        while true {
            var output = [UInt16](repeating: 0, count: capacity)
            status = U_ZERO_ERROR
            swift_uregex_reset(regex, 0, &status)
            let length = output.withUnsafeMutableBufferPointer {
                swift_uregex_replaceAll(regex, template, Int32(template.count), $0.baseAddress, Int32(capacity), &status)
            }
            if status == U_REGEX_TIME_OUT {
                timedOut = true
                return nil
            }
            if status == U_BUFFER_OVERFLOW_ERROR, Int(length) > capacity {
                capacity = Int(length) + 1
                continue
            }
            guard status.rawValue <= U_ZERO_ERROR.rawValue, length >= 0 else { return nil }
            return Array(output.prefix(Int(length)))
        }
    }
}
#endif
