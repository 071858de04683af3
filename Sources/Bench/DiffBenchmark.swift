import Foundation
import Site

/// The version-page diff (`DiffHTML.render`: both tables and the counts) timed on generated
/// pairs of prompt texts, in three shapes:
/// - `unrelated`: two random ~90-word paragraphs on one line (the site bench's consecutive
///   versions, the worst case);
/// - `oneWord`: a ~90-word paragraph and the same with one word changed;
/// - `multiLine`: 10–40 lines of a few words with a few lines inserted, deleted or edited.
public struct DiffBenchmark {
    public let pairs: Int
    public let runs: Int

    public init(pairs: Int = 10_000, runs: Int = 5) {
        self.pairs = pairs
        self.runs = runs
    }

    public enum Shape: String, CaseIterable, Sendable { case unrelated, oneWord = "one-word", multiLine = "multi-line" }

    public struct Report: Sendable {
        public let pairs: Int
        public let runs: Int
        /// Median seconds over the runs, by shape, in `Shape.allCases` order.
        public let seconds: [(shape: Shape, median: Double, fastest: Double, slowest: Double, outputBytes: Int)]

        public var description: String {
            var lines = ["diff: \(pairs) pairs per shape, DiffHTML.render, median of \(runs) runs"]
            for entry in seconds {
                let perPair = entry.median / Double(pairs) * 1e6
                lines.append("  \(entry.shape.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(format(entry.median * 1000)) ms"
                    + " (\(format(entry.fastest * 1000))–\(format(entry.slowest * 1000)) ms), \(format(perPair)) µs/pair, \(entry.outputBytes) bytes of HTML")
            }
            return lines.joined(separator: "\n")
        }

        private func format(_ value: Double) -> String { String(format: "%.1f", value) }
    }

    public func run() -> Report {
        var results: [(shape: Shape, median: Double, fastest: Double, slowest: Double, outputBytes: Int)] = []
        for shape in Shape.allCases {
            let texts = Self.pairs(shape, count: pairs)
            var times: [Double] = []
            var bytes = 0
            for _ in 0..<runs {
                bytes = 0
                let start = ContinuousClock.now
                for (old, new) in texts {
                    let rendered = DiffHTML.render(old: old, new: new)
                    bytes += rendered.sideBySide.utf8.count + rendered.inline.utf8.count + rendered.stats.wordsInserted
                }
                let elapsed = ContinuousClock.now - start
                times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            }
            times.sort()
            results.append((shape, times[times.count / 2], times.first!, times.last!, bytes))
        }
        return Report(pairs: pairs, runs: runs, seconds: results)
    }

    static let vocabulary = "harbor lantern storm fog bell keeper smuggler market night tide gull rope sail stone cliff ember dusk mist wharf beacon"
        .split(separator: " ").map(String.init)

    /// Deterministic pairs of one shape.
    static func pairs(_ shape: Shape, count: Int) -> [(String, String)] {
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        func words(_ count: Int) -> [String] { (0..<count).map { _ in vocabulary[next(vocabulary.count)] } }
        func sentence() -> String { words(3 + next(10)).joined(separator: " ") + "." }
        return (0..<count).map { _ in
            switch shape {
            case .unrelated:
                return (words(85 + next(11)).joined(separator: " "), words(85 + next(11)).joined(separator: " "))
            case .oneWord:
                var tokens = words(85 + next(11))
                let old = tokens.joined(separator: " ")
                tokens[next(tokens.count)] = "lighthouse"
                return (old, tokens.joined(separator: " "))
            case .multiLine:
                let old = (0..<(10 + next(31))).map { _ in sentence() }
                var new = old
                for _ in 0..<(1 + next(4)) {
                    let at = next(new.count)
                    switch next(3) {
                    case 0: new.insert(sentence(), at: at)
                    case 1: new.remove(at: at)
                    default:
                        var tokens = new[at].split(separator: " ").map(String.init)
                        tokens[next(tokens.count)] = vocabulary[next(vocabulary.count)]
                        new[at] = tokens.joined(separator: " ")
                    }
                }
                return (old.joined(separator: "\n") + "\n", new.joined(separator: "\n") + "\n")
            }
        }
    }
}
