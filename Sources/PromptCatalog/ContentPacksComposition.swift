import Foundation

/// A template's slots with the blocks that may fill them, and what composing them gives: the
/// number of combinations and the shortest and longest composed prompt. Composition is PixSim7's
/// `sequential` one (`composition_layers.compose_sequential`): each block's text stripped, a
/// period added unless it ends in `.`, `!`, `?` or `:`, joined by newlines. A slot's
/// `reinforcement_text` is not part of the composed text here.
public struct PackComposition: Sendable {
    public struct SlotFill: Sendable {
        public let slot: PackSlot
        public let candidates: [PackBlock]
    }

    public let template: PackTemplate
    public let slots: [SlotFill]
    /// The shortest composed prompt: the shortest candidate of each required slot, optional slots
    /// empty; nil when a required slot has no candidate.
    public let shortest: String?
    /// The longest composed prompt: the longest candidate of each slot.
    public let longest: String?

    /// `partLengths`: each block's `part(text).count`, by position in `blocks` (measured once for
    /// every template: a template of a thousand slots over a thousand blocks measured each
    /// candidate twice per comparison, on every read of `shortest` and `longest`).
    init(template: PackTemplate, blocks: [PackBlock], partLengths: [Int]) {
        self.template = template
        var slots: [SlotFill] = [], shortestParts: [Int?] = [], longestParts: [Int?] = []
        for slot in template.slots {
            var candidates: [PackBlock] = [], shortest: Int?, longest: Int?
            for (index, block) in blocks.enumerated() where slot.accepts(block) {
                // The first of equal lengths, as `min`/`max` by length pick them.
                if shortest.map({ partLengths[index] < partLengths[$0] }) ?? true { shortest = index }
                if longest.map({ partLengths[index] > partLengths[$0] }) ?? true { longest = index }
                candidates.append(block)
            }
            slots.append(SlotFill(slot: slot, candidates: candidates))
            shortestParts.append(slot.optional ? nil : shortest)
            longestParts.append(longest)
        }
        self.slots = slots
        let composable = slots.allSatisfy { !$0.candidates.isEmpty || $0.slot.optional }
        shortest = composable ? Self.compose(shortestParts.compactMap { $0.map { blocks[$0].text } }) : nil
        longest = composable ? Self.compose(longestParts.compactMap { $0.map { blocks[$0].text } }) : nil
    }

    public init(template: PackTemplate, blocks: [PackBlock]) {
        self.init(template: template, blocks: blocks, partLengths: blocks.map { Self.part($0.text).count })
    }

    /// Every choice of one candidate per slot (an optional slot may also stay empty); `Int.max` when it overflows.
    public var combinations: Int {
        slots.reduce(1) { product, fill in
            let choices = fill.candidates.count + (fill.slot.optional ? 1 : 0)
            let (result, overflow) = product.multipliedReportingOverflow(by: choices)
            return overflow ? Int.max : result
        }
    }

    /// Whether every required slot has a candidate (else nothing can be composed).
    public var isComposable: Bool { slots.allSatisfy { !$0.candidates.isEmpty || $0.slot.optional } }

    /// A few compositions: the n-th candidate of each slot (wrapping), for n from 0.
    public func samples(_ count: Int) -> [String] {
        guard isComposable else { return [] }
        let most = slots.map(\.candidates.count).max() ?? 0
        return (0..<min(count, max(most, 1))).map { index in
            Self.compose(slots.compactMap { fill in fill.candidates.isEmpty ? nil : fill.candidates[index % fill.candidates.count].text })
        }
    }

    /// `join_blocks`: non-empty parts, each stripped and ending in punctuation, one per line.
    public static func compose(_ texts: [String]) -> String {
        texts.map(part).filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// `ensure_period` of a stripped text.
    static func part(_ text: String) -> String {
        let stripped = text.pythonStripped
        guard let last = stripped.last else { return "" }
        return ".!?:".contains(last) ? stripped : stripped + "."
    }
}

extension ContentPacks {
    /// Each template's composition, in template order.
    /// Each template with its candidates, made once per catalog (`ContentPacks.init`).
    static func compositions(templates: [PackTemplate], blocks: [PackBlock]) -> [PackComposition] {
        guard !templates.isEmpty else { return [] }
        let partLengths = blocks.map { PackComposition.part($0.text).count }
        return templates.map { PackComposition(template: $0, blocks: blocks, partLengths: partLengths) }
    }
}
