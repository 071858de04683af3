import Diagnostics
import Foundation
import Testing
import TestSupport

/// The one list of codes stays complete and documented.
@Suite struct DiagnosticCodesTests {
    /// Every code written in the sources (`.error("code"`, `.warning(`, `.info(`, `code: "…"`).
    static func codesInSources() throws -> Set<String> {
        let sources = Repository.root.appendingPathComponent("Sources")
        let pattern = /\.(?:error|warning|info)\("([a-z0-9-]+)"|code: "([a-z0-9-]+)"/
        var found = Set<String>()
        let files = try #require(FileManager.default.enumerator(atPath: sources.path))
        for case let file as String in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: pattern) { found.insert(String(match.1 ?? match.2 ?? "")) }
        }
        found.remove("")
        return found
    }

    @Test func everyCodeInTheSourcesIsListedAndDocumented() throws {
        let written = try Self.codesInSources()
        #expect(written.count > 60)
        #expect(written.subtracting(DiagnosticCodes.all).sorted() == [], "codes written in the sources but missing from DiagnosticCodes.all")
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(DiagnosticCodes.all.filter { !readme.contains("`\($0)`") }.sorted() == [], "codes the README does not name")
    }

    @Test func patternsThatMatchNothingAreNamed() {
        #expect(DiagnosticCodes.problem(with: "inline-prompt") == nil)
        #expect(DiagnosticCodes.problem(with: "pack-*") == nil)
        #expect(DiagnosticCodes.problem(with: "plugin:quest/*") == nil)
        #expect(DiagnosticCodes.problem(with: "inline-promt") == "is no code a check reports")
        #expect(DiagnosticCodes.problem(with: "paks-*") == "matches no code")
        #expect(DiagnosticCodes.problem(with: "") == "is no code a check reports")
    }
}
