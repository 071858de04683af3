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
    /// reported when loading and is skipped here.
    public static func apply(_ transformers: [PluginTransformer], to text: String) -> String {
        transformers.reduce(text) { text, transformer in
            switch transformer.change {
            case .prepend(let prefix): return prefix + text
            case .append(let suffix): return text + suffix
            case .replace(let pattern, let replacement):
                // A very long text is replaced in its bounded head; a pattern that runs past the
                // time limit leaves the text as it is (PluginRules reports it).
                return BoundedRegex.replacingMatches(of: pattern, in: text, with: replacement) ?? text
            }
        }
    }
}
