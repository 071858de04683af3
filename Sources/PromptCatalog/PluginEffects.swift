import Foundation
import PromptTemplates

extension Catalog {
    /// A version's variables with what plugins add: every plugin's variable source, and the
    /// transformers whose `applies_to` includes the version's family, in plugin then list order.
    public func variables(of version: PromptVersion, nodeType: String? = nil) -> VersionVariables {
        let composed = composed(version)
        guard !plugins.isEmpty else { return VersionVariables(version, composed: composed) }
        let sources = plugins.flatMap(\.variables)
        guard let family = family(version.family) else { return VersionVariables(version, sources: sources, composed: composed) }
        let transformers = plugins.flatMap(\.transformers).filter { $0.scope.includes(family, nodeType: nodeType) }
        return VersionVariables(version, sources: sources, transformers: transformers, composed: composed)
    }

    /// Every plugin variable, by path.
    public var pluginVariables: [VariableSpec] { plugins.flatMap(\.variables) }
}

extension PluginTransformer {
    /// The text after each transformer in order. A pattern that does not compile was
    /// reported when loading and is skipped here. Once the text has grown past
    /// `RegexSafety.inputLimit` bytes — a regex only ever reads that many characters of it, and
    /// no provider takes a prompt a tenth that long — the transformers after that one are not
    /// applied, and the text stops at `Template.maximumRenderedBytes`, as a rendered preview does:
    /// a dozen transformers that each repeat every character eight times grew every prompt to
    /// megabytes and rescanned it at each step (`check` of 100 one-line prompts past 20 s).
    public static func apply(_ transformers: [PluginTransformer], to text: String) -> String {
        var text = text
        for transformer in transformers {
            switch transformer.change {
            case .prepend(let prefix): text = prefix + text
            case .append(let suffix): text += suffix
            case .replace(let pattern, let replacement):
                // A very long text is replaced in its bounded head; a pattern that runs past the
                // time limit leaves the text as it is (PluginRules reports it).
                text = BoundedRegex.replacingMatches(of: pattern, in: text, with: replacement) ?? text
            }
            if text.utf8.count > RegexSafety.inputLimit { return capped(text) }
        }
        return text
    }

    /// The text, cut before `Template.maximumRenderedBytes` at a scalar boundary.
    static func capped(_ text: String) -> String {
        guard text.utf8.count > Template.maximumRenderedBytes else { return text }
        var text = text
        return text.withUTF8 { bytes in
            var end = Template.maximumRenderedBytes
            while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
        }
    }
}
