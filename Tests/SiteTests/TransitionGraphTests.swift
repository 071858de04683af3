import Foundation
import PromptCatalog
import Testing
@testable import Site

/// The transition graphs stay readable as a library grows: one small graph per location,
/// transitions leaving the location listed rather than drawn, and no arc over a label.
@Suite struct TransitionGraphTests {
    /// 60 blocks in 5 locations; each block leads to the next two of its location, and every
    /// tenth also to a block of the next location and to one no file defines.
    static func library() throws -> [ActionBlock] {
        let places = ["pier", "lighthouse", "market", "cliffs", "tavern"]
        var items: [String] = []
        for number in 0..<60 {
            let place = places[number % 5]
            var next = [number + 5, number + 10].filter { $0 < 60 }.map { "\"b\($0)\"" }
            if number % 10 == 0 { next += ["\"b\((number + 1) % 60)\"", "\"gone_\(number)\""] }
            items.append(#"{"id": "b\#(number)", "kind": "single_state", "prompt": "Block \#(number).", "tags": {"location": "\#(place)"}, "compatibleNext": [\#(next.joined(separator: ", "))]}"#)
        }
        let file = ActionBlockLoader.parse("[" + items.joined(separator: ",\n") + "]", file: "action-blocks/lib.json")
        #expect(file.diagnostics.isEmpty, "\(file.diagnostics)")
        return file.blocks
    }

    @Test func oneSmallGraphPerLocation() throws {
        let groups = TransitionGraphSVG.groups(try Self.library()) { "block/\($0).html" }
        #expect(groups.map(\.title) == ["pier", "lighthouse", "market", "cliffs", "tavern"])
        #expect(groups.map(\.blockCount) == [12, 12, 12, 12, 12])
        // Within a location: b(n) → b(n+5), b(n+10) while they exist.
        #expect(groups.map(\.transitionCount) == [21, 21, 21, 21, 21])
        for group in groups {
            let size = try #require(group.svg.firstMatch(of: /viewBox="0 0 (\d+) (\d+)"/))
            #expect(Int(size.1)! <= 450, "\(group.title) is \(size.1) wide")
            #expect(Int(size.2)! == 12 + 12 * 38 - 12 + 12)
            #expect(!group.svg.contains("external"))
        }
    }

    @Test func transitionsLeavingALocationAreListedNotDrawn() throws {
        let pier = try #require(TransitionGraphSVG.groups(try Self.library()) { "block/\($0).html" }.first)
        #expect(pier.outgoing.map { "\($0.from)→\($0.to)@\($0.group ?? "elsewhere")" } == [
            "b0→b1@lighthouse", "b0→gone_0@elsewhere", "b10→b11@lighthouse", "b10→gone_10@elsewhere",
            "b20→b21@lighthouse", "b20→gone_20@elsewhere", "b30→b31@lighthouse", "b30→gone_30@elsewhere",
            "b40→b41@lighthouse", "b40→gone_40@elsewhere", "b50→b51@lighthouse", "b50→gone_50@elsewhere",
        ])
        #expect(pier.outgoing.first?.url == "block/b1.html")
        #expect(pier.outgoing[1].url == nil)
        #expect(!pier.svg.contains("data-to=\"b1\""))
        #expect(!pier.svg.contains("gone_0"))
    }

    @Test func noArcReachesLeftOfTheBoxesRightEdge() throws {
        let labelsEnd = TransitionGraphSVG.padding + TransitionGraphSVG.boxWidth
        for group in TransitionGraphSVG.groups(try Self.library(), link: { _ in nil }) {
            let arcs = group.svg.matches(of: #/ d="M(\d+) \d+C(\d+) \d+ (\d+) \d+ (\d+) \d+"/#)
            #expect(arcs.count == group.transitionCount)
            for arc in arcs {
                for x in [arc.1, arc.2, arc.3, arc.4] { #expect(Int(x)! >= labelsEnd) }
            }
        }
    }
}
