import Foundation
import Site
import Testing
import TestSupport

/// A user's templates folder that breaks the theme: the build stops with the file or the partial
/// named, never a crash, and the previous output stays as it was.
@Suite struct ThemeTemplateTests {
    private func content() throws -> TemporaryContent {
        try TemporaryContent(["prompts/tide/family.yaml": "title: Tide\n", "prompts/tide/v1.prompt": "---\nversion: 1\n---\nHello harbor.\n"])
    }

    @Test func aTemplateThatDoesNotParseNamesItsFileLineAndColumn() throws {
        let space = try content()
        let templates = try space.writeProjectFile("Templates/404.mustache", "<p>\n{{#page}}{{title}}\n").deletingLastPathComponent()
        #expect {
            _ = try BuiltSite.build(content: space.root, project: space.project, templates: templates)
        } throws: { error in
            "\(error)" == "compile templates: Templates/404.mustache does not parse: line 3, column 1: `{{#page}}` is never closed"
        }
        #expect(!FileManager.default.fileExists(atPath: space.project.appendingPathComponent("Output").path))
    }

    @Test func aPartialThatIncludesItselfStopsTheBuildAndKeepsThePreviousOutput() throws {
        let space = try content()
        let first = try BuiltSite.build(content: space.root, project: space.project)
        let before = try first.text("prompts/tide/v1/index.html")
        let templates = try space.writeProjectFile("Templates/layout.mustache", "<main>{{$main}}{{/main}}</main>{{>layout}}").deletingLastPathComponent()
        try space.write("prompts/tide/v1.prompt", "---\nversion: 1\n---\nHello again.\n")
        #expect {
            _ = try BuiltSite.build(content: space.root, project: space.project, templates: templates, incremental: false)
        } throws: { error in
            "\(error)".hasPrefix("render and write: ") && "\(error)".contains("is nested more than 64 partials or blocks deep")
        }
        #expect(try first.text("prompts/tide/v1/index.html") == before)
    }
}
