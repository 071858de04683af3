import PromptCatalog

extension MachineOutputs {
    /// `schemas/<kind>.schema.json`: the JSON Schemas of the content files, for editors.
    func schemaFiles() -> [String: String] {
        Dictionary(uniqueKeysWithValues: ContentSchemas.Kind.allCases.map { ($0.sitePath, $0.document) })
    }
}
