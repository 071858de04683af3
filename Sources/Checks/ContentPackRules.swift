import Foundation
import Diagnostics
import PromptCatalog

/// Content packs: block ids unique across packs (pack-duplicate-block), PixSim7's flagged words
/// (pack-flagged-word), block texts over a provider's limit (pack-block-too-long), template slots
/// without candidates (pack-slot-empty), each template's combinations and composed lengths
/// (pack-template-size) and compositions over a provider's limit (pack-template-too-long).
enum ContentPackRules {
    /// `scripts/lint_content_packs.py`'s `FLAGGED_WORDS`: words known to trip provider content filters.
    static let pixSim7FlaggedWords: [FlaggedWord] = [
        FlaggedWord(pattern: #"\bfrozen\b"#, suggestion: "use 'rigid', 'locked', 'still'"),
        FlaggedWord(pattern: #"\bfreeze[sd]?\b"#, suggestion: "use 'stops', 'halts', 'locks'"),
        FlaggedWord(pattern: #"\bfreezing\b"#, suggestion: "use 'locking up', 'going rigid'"),
        FlaggedWord(pattern: #"\bswallow(?:s|ed|ing)?\b"#, suggestion: "use 'stifles', 'inhales sharply', 'presses lips'"),
        FlaggedWord(pattern: #"\bhips\b"#, suggestion: "use 'hi_p-s' (bypass spelling)"),
        FlaggedWord(pattern: #"\bknuckles?\b"#, suggestion: "literal interpretation risk — use 'grip tightening', 'fingers digging in'"),
        FlaggedWord(pattern: #"\bfurniture\b"#, suggestion: "causes motion artifacts — remove or rephrase"),
    ]

    static func check(_ context: CheckContext) -> [Diagnostic] {
        let packs = context.catalog.contentPacks
        guard !packs.isEmpty else { return [] }
        let providers = limitedProviders(context)
        return duplicateBlocks(packs) + flaggedWords(packs, extra: context.project.config.flaggedWords)
            + overLimit(packs, providers: providers) + templates(packs, providers: providers)
    }

    /// The providers texts are measured against: Site.json's `defaultProviders`, else every provider; those with a prompt limit.
    static func limitedProviders(_ context: CheckContext) -> [Provider] {
        let named = context.defaultProviders.compactMap(context.catalog.provider)
        return (named.isEmpty ? context.catalog.providers : named).filter { $0.promptLimit != nil }
    }

    /// The same block id in two packs (PixSim7 stores blocks by id: the later pack overwrites the earlier one's block).
    static func duplicateBlocks(_ packs: ContentPacks) -> [Diagnostic] {
        var first: [String: PackBlock] = [:]
        var diagnostics: [Diagnostic] = []
        for block in packs.blocks {
            guard let earlier = first[block.id] else { first[block.id] = block; continue }
            guard earlier.pack != block.pack || earlier.kind != block.kind else { continue }
            diagnostics.append(.error("pack-duplicate-block", "block id `\(block.id)` of pack \(block.pack) is also defined in pack \(earlier.pack) (\(earlier.location))",
                                      at: block.location, hint: "give one of them another id; PixSim7 keeps only one block per id"))
        }
        return diagnostics
    }

    /// PixSim7's lint: block texts and slot `reinforcement_text`/`fallback_text`, one warning per text and pattern.
    static func flaggedWords(_ packs: ContentPacks, extra: [FlaggedWord]) -> [Diagnostic] {
        let words = (pixSim7FlaggedWords + extra).compactMap { word in word.regex.map { (word, $0) } }
        func lint(_ text: String, what: String, at location: SourceLocation) -> [Diagnostic] {
            words.compactMap { word, regex in
                guard let match = text.firstMatch(of: regex) else { return nil }
                let start = text.index(match.range.lowerBound, offsetBy: -20, limitedBy: text.startIndex) ?? text.startIndex
                let end = text.index(match.range.upperBound, offsetBy: 20, limitedBy: text.endIndex) ?? text.endIndex
                let fragment = text[start..<end].replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
                return .warning("pack-flagged-word", "\(what) has `\(text[match.range])`, a flagged word: …\(fragment)…", at: location,
                                hint: word.suggestion.isEmpty ? "rephrase (pattern `\(word.pattern)`)" : word.suggestion)
            }
        }
        var diagnostics: [Diagnostic] = []
        for block in packs.blocks { diagnostics += lint(block.text, what: "block `\(block.id)`", at: block.textLocation) }
        for template in packs.templates {
            for slot in template.slots {
                for (field, text) in [("reinforcement_text", slot.reinforcementText), ("fallback_text", slot.fallbackText)] {
                    if let text { diagnostics += lint(text, what: "slot `\(slot.name)` of template `\(template.slug)` (\(field))", at: slot.location) }
                }
            }
        }
        return diagnostics
    }

    /// A block whose text alone is over a provider's prompt limit can never be sent whole.
    static func overLimit(_ packs: ContentPacks, providers: [Provider]) -> [Diagnostic] {
        packs.blocks.flatMap { block in
            providers.compactMap { provider -> Diagnostic? in
                guard let limit = provider.promptLimit, block.text.count > limit else { return nil }
                return .error("pack-block-too-long", "block `\(block.id)` is \(block.text.count) characters, over \(provider.id)'s prompt limit of \(limit)",
                              at: block.textLocation, hint: "shorten the text or split it into two blocks")
            }
        }
    }

    /// Each template: slots with no candidate, the number of combinations and composed lengths, and lengths over limits.
    static func templates(_ packs: ContentPacks, providers: [Provider]) -> [Diagnostic] {
        packs.compositions.flatMap { composition -> [Diagnostic] in
            let template = composition.template
            // A warning, not an error: PixSim7 fills slots from its database, where blocks also come from seed scripts
            // (its own `bananza_boat_demo` slots are filled by `scripts/seeds/game/bananza`), so an empty slot here is
            // not an empty slot there, and PixSim7's own `content_packs/` must pass the gate.
            var diagnostics: [Diagnostic] = composition.slots.filter(\.candidates.isEmpty).map { fill in
                .warning("pack-slot-empty", "slot `\(fill.slot.name)` of template `\(template.slug)` has no candidate block in the content packs "
                         + "(\(fill.slot.filterDescription))", at: fill.slot.location,
                         hint: "check the slot's category, package_name and tags against the packs' blocks; blocks PixSim7 seeds into its "
                            + "database from elsewhere are not seen here")
            }
            guard let shortest = composition.shortest, let longest = composition.longest else { return diagnostics }
            let fits = providers.map { "\($0.id) \(longest.count <= $0.promptLimit! ? "fits" : "over") \($0.promptLimit!)" }
            diagnostics.append(.info("pack-template-size", "template `\(template.slug)`: \(composition.combinations == Int.max ? "more than 9.2 × 10^18" : String(composition.combinations)) combinations of \(template.slots.count) slots, "
                                     + "composed prompts of \(shortest.count)–\(longest.count) characters"
                                     + (fits.isEmpty ? "" : " (\(fits.joined(separator: ", ")))"), at: template.location))
            for provider in providers {
                let limit = provider.promptLimit!
                if shortest.count > limit {
                    diagnostics.append(.error("pack-template-too-long", "every composition of template `\(template.slug)` is over \(provider.id)'s prompt limit of \(limit) "
                                              + "(shortest \(shortest.count) characters)", at: template.location, hint: "use fewer or shorter slots"))
                } else if longest.count > limit {
                    diagnostics.append(.warning("pack-template-too-long", "the longest composition of template `\(template.slug)` is \(longest.count) characters, "
                                                + "over \(provider.id)'s prompt limit of \(limit)", at: template.location,
                                                hint: "narrow the slots' tag queries or shorten the longest blocks"))
                }
            }
            return diagnostics
        }
    }
}
