import ArgumentParser
import PromptCatalog

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of a kind of content file.",
        discussion: "Kinds: \(ContentSchemas.Kind.allCases.map(\.rawValue).joined(separator: ", ")). The site publishes the same files as schemas/<kind>.schema.json."
    )

    @Argument(help: ArgumentHelp("The kind of file: \(ContentSchemas.Kind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "kind"))
    var kind: String

    func run() throws {
        guard let kind = ContentSchemas.Kind(rawValue: kind) else {
            throw usageError("unknown schema kind `\(kind)`; use one of: \(ContentSchemas.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        Terminal.print(kind.document)
    }
}
