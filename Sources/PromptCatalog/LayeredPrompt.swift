import Foundation
import PromptTemplates

/// The layered prompt of an action block (SPEC §2.4): its prompt followed by
/// plain-language sentences generated from its camera movement, consistency flags
/// and intensity progression, in that order. The wording is fixed so the text is
/// deterministic (it is validated against provider limits and shown on pages).
///
/// **Joining.** With no sentences the layered prompt is the prompt itself. Otherwise
/// trailing whitespace of the prompt is dropped, a `.` is added when the prompt does
/// not already end with `.`, `!`, `?`, `…` (or one of those followed by a closing quote
/// or bracket), and the sentences follow, each separated by one space. An empty prompt
/// gives the sentences alone. `{{` in generated text (e.g. in a focus) is escaped, so
/// it stays literal.
///
/// Identifiers in values are humanized: `_` and `-` become spaces (`mirror_reflection`
/// → `mirror reflection`).
///
/// **Camera** (`cameraMovement`), one sentence `<subject>[ <speed>][ <path>][, focused on <focus>].`
/// - subject by `type`: static → "The camera stays static" (speed and path are then
///   left out), rotation → "The camera rotates", dolly → "The camera dollies",
///   tracking → "The camera tracks", handheld → "The handheld camera moves",
///   none → "The camera moves", any other value x → "The camera makes a x move";
/// - speed: slow → "slowly", medium → "at a steady pace", fast → "quickly", other x → "at x speed";
/// - path: circular → "along a circular path", arc → "along an arc",
///   linear → "in a straight line", other x → "along a x path";
/// - focus x → ", focused on x".
///
/// No sentence when the object has none of the four. Example: dolly, slow, linear,
/// `mirror_reflection` → "The camera dollies slowly in a straight line, focused on mirror reflection."
///
/// **Consistency**, in the order pose, lighting, clothing, position:
/// - the flags that are true → "Keep the pose, clothing and position consistent."
///   (one item: "Keep the pose consistent."; two: "Keep the pose and lighting consistent.");
/// - the flags that are false → "The lighting may change." (several: "The lighting and clothing may change.");
/// - absent flags say nothing.
///
/// **Intensity** (`intensityProgression`), one sentence led by "Intensity" and a verb
/// for the pattern: steady → "holds steady", building → "builds", pulsing → "pulses",
/// declining → "declines", none → "goes", other x → "follows a x pattern".
/// - with start, peak and end: "Intensity builds from 5 to a peak of 8, ending at 7.";
/// - otherwise the given values as clauses "starting at S", "peaking at P", "ending at E":
///   "Intensity pulses, starting at 3 and ending at 6."; with none: "Intensity builds.";
/// - no sentence when neither numbers nor pattern are given.
public enum LayeredPrompt {
    /// The generated sentences, in order camera, consistency, intensity.
    public static func sentences(camera: CameraMovement?, consistency: Consistency?, intensity: IntensityProgression?) -> [String] {
        [camera.flatMap(cameraSentence)].compactMap { $0 }
            + (consistency.map(consistencySentences) ?? [])
            + [intensity.flatMap(intensitySentence)].compactMap { $0 }
    }

    /// The prompt with the sentences appended, parsed as a template.
    public static func compose(_ prompt: Template, _ sentences: [String]) -> Template {
        guard !sentences.isEmpty else { return prompt }
        let added = sentences.joined(separator: " ").replacingOccurrences(of: "{{", with: "\\{{")
        var base = prompt.source
        while let last = base.last, last.isWhitespace { base.removeLast() }
        guard !base.isEmpty else { return Template(parsing: added) }
        let closing: Set<Character> = ["\"", "'", ")", "]", "”", "’"]
        let endOfSentence = base.last { !closing.contains($0) }
        if let endOfSentence, !".!?…".contains(endOfSentence) { base += "." }
        return Template(parsing: base + " " + added)
    }

    static func cameraSentence(_ camera: CameraMovement) -> String? {
        guard camera.type != nil || camera.speed != nil || camera.path != nil || camera.focus != nil else { return nil }
        var words: [String]
        var moving = true
        switch camera.type {
        case nil: words = ["The camera moves"]
        case let type?:
            switch type.known {
            case .static?: words = ["The camera stays static"]; moving = false
            case .rotation?: words = ["The camera rotates"]
            case .dolly?: words = ["The camera dollies"]
            case .tracking?: words = ["The camera tracks"]
            case .handheld?: words = ["The handheld camera moves"]
            case nil: words = ["The camera makes a \(humanized(type.text)) move"]
            }
        }
        if moving, let speed = camera.speed {
            switch speed.known {
            case .slow?: words.append("slowly")
            case .medium?: words.append("at a steady pace")
            case .fast?: words.append("quickly")
            case nil: words.append("at \(humanized(speed.text)) speed")
            }
        }
        if moving, let path = camera.path {
            switch path.known {
            case .circular?: words.append("along a circular path")
            case .arc?: words.append("along an arc")
            case .linear?: words.append("in a straight line")
            case nil: words.append("along a \(humanized(path.text)) path")
            }
        }
        var sentence = words.joined(separator: " ")
        if let focus = camera.focus { sentence += ", focused on \(humanized(focus.value))" }
        return sentence + "."
    }

    static func consistencySentences(_ consistency: Consistency) -> [String] {
        let flags: [(String, Bool?)] = [
            ("pose", consistency.maintainPose), ("lighting", consistency.preserveLighting),
            ("clothing", consistency.preserveClothing), ("position", consistency.preservePosition),
        ]
        let kept = flags.filter { $0.1 == true }.map(\.0)
        let free = flags.filter { $0.1 == false }.map(\.0)
        var sentences: [String] = []
        if !kept.isEmpty { sentences.append("Keep the \(list(kept)) consistent.") }
        if !free.isEmpty { sentences.append("The \(list(free)) may change.") }
        return sentences
    }

    static func intensitySentence(_ progression: IntensityProgression) -> String? {
        let verb: String
        switch progression.pattern {
        case nil: verb = "goes"
        case let pattern?:
            switch pattern.known {
            case .steady?: verb = "holds steady"
            case .building?: verb = "builds"
            case .pulsing?: verb = "pulses"
            case .declining?: verb = "declines"
            case nil: verb = "follows a \(humanized(pattern.text)) pattern"
            }
        }
        if let start = progression.start, let peak = progression.peak, let end = progression.end {
            return "Intensity \(verb) from \(start.value) to a peak of \(peak.value), ending at \(end.value)."
        }
        let clauses = [
            progression.start.map { "starting at \($0.value)" },
            progression.peak.map { "peaking at \($0.value)" },
            progression.end.map { "ending at \($0.value)" },
        ].compactMap { $0 }
        if clauses.isEmpty {
            return progression.pattern == nil ? nil : "Intensity \(verb)."
        }
        return "Intensity \(verb), \(list(clauses))."
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }

    static func humanized(_ identifier: String) -> String {
        String(identifier.map { $0 == "_" || $0 == "-" ? " " : $0 })
    }
}
