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
    /// reported when loading and is skipped here. Each step's text stops at
    /// `Template.maximumRenderedBytes`, as a rendered preview does: a dozen transformers that
    /// each repeat every character eight times grew every prompt to that size and rescanned it
    /// at each step (half a second a prompt, and `check` of 100 prompts past 20 s).
    public static func apply(_ transformers: [PluginTransformer], to text: String) -> String {
        transformers.reduce(text) { text, transformer in
            let changed: String
            switch transformer.change {
            case .prepend(let prefix): changed = prefix + text
            case .append(let suffix): changed = text + suffix
            case .replace(let pattern, let replacement):
                // A very long text is replaced in its bounded head; a pattern that runs past the
                // time limit leaves the text as it is (PluginRules reports it).
                changed = BoundedRegex.replacingMatches(of: pattern, in: text, with: replacement) ?? text
            }
            return capped(changed)
        }
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
