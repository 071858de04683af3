import Diagnostics
import Foundation
import PromptTemplates

/// `providers/<id>.yaml`.
enum ProviderLoader {
    static func load(_ entry: ContentEntry) -> Loaded<Provider> {
        let node: SourceNode
        switch readYAMLMapping(entry, what: "provider \(entry.name)") {
        case .success(let read): node = read
        case .failure(let diagnostic): return Loaded(value: nil, diagnostics: [diagnostic])
        }
        let stem = (entry.name as NSString).deletingPathExtension
        var reader = FieldReader(node, schema: ContentSchemas.provider, what: "provider \(stem)")
        let id = reader.string("id") ?? stem
        if id != stem, let idNode = node["id"] {
            reader.report(.error("invalid-field", "provider id `\(id)` does not match its file name `\(entry.name)`", at: idNode.location,
                                 hint: "rename the file to \(id).yaml or set `id: \(stem)`"))
        }
        let name = reader.string("name") ?? id
        let promptLimit = positiveLimit("prompt_limit", &reader)
        let negativeLimit = positiveLimit("negative_prompt_limit", &reader)
        let operations = reader.strings("operations").map(\.value)
        var parameters: [ProviderParameter] = []
        if let list = reader.field("parameters") {
            if let items = list.items {
                var diagnostics: [Diagnostic] = []
                parameters = items.compactMap { parameter($0, provider: id, diagnostics: &diagnostics) }
                // A repeated name: `provider_hints` would be checked against the first only.
                var first: [String: ProviderParameter] = [:]
                parameters = parameters.filter { parameter in
                    guard let earlier = first[parameter.name] else {
                        first[parameter.name] = parameter
                        return true
                    }
                    diagnostics.append(.error("invalid-field", "parameter `\(parameter.name)` of provider \(id) is also defined at line \(earlier.location.line.map(String.init) ?? "?")",
                                              at: parameter.location, hint: "give each parameter its own name, or remove one"))
                    return false
                }
                diagnostics.forEach { reader.report($0) }
            } else {
                reader.mistyped("parameters", list, expected: "a list of `{ name, type, ... }` entries")
            }
        }
        var cost: ProviderCost?
        if let costNode = reader.mapping("cost") {
            var costReader = FieldReader(costNode, schema: ContentSchemas.providerCost, what: "cost of provider \(id)")
            let price = { (key: String) -> Double? in
                guard let price = costReader.double(key) else { return nil }
                guard price >= 0 else {
                    costReader.report(.error("invalid-field", "`\(key)` in cost of provider \(id) is \(TemplateValue.format(price)): a price is never negative",
                                             at: costNode[key]?.location, hint: "write what one generation (or second) costs, 0 or more"))
                    return nil
                }
                return price
            }
            cost = ProviderCost(perGeneration: price("per_generation"), perSecond: price("per_second"),
                                currency: costReader.string("currency") ?? "USD")
            costReader.reportUnknownFields()
            costReader.diagnostics.forEach { reader.report($0) }
        }
        reader.reportUnknownFields()
        let provider = Provider(id: id, file: entry.path, location: SourceLocation(file: entry.path, line: 1, column: 1), name: name,
                                promptLimit: promptLimit, negativePromptLimit: negativeLimit, operations: operations,
                                parameters: parameters, cost: cost)
        return Loaded(value: provider, diagnostics: reader.diagnostics)
    }

    private static func positiveLimit(_ key: String, _ reader: inout FieldReader) -> Int? {
        guard let limit = reader.int(key) else { return nil }
        guard limit > 0 else {
            reader.report(.error("invalid-field", "`\(key)` must be a positive number of characters, found \(limit)", at: reader.node[key]?.location))
            return nil
        }
        return limit
    }

    private static func parameter(_ node: SourceNode, provider: String, diagnostics: inout [Diagnostic]) -> ProviderParameter? {
        guard node.members != nil else {
            diagnostics.append(.error("invalid-field", "a parameter of provider \(provider) must be a mapping `{ name, type, ... }`, found \(node.kindName)", at: node.location))
            return nil
        }
        var reader = FieldReader(node, schema: ContentSchemas.providerParameter, what: "a parameter of provider \(provider)")
        defer { diagnostics += reader.diagnostics }
        guard let name = reader.string("name", required: true) else { return nil }
        let typeText = reader.string("type", required: true) ?? "string"
        var type = ParameterType(rawValue: typeText)
        if type == nil, let typeNode = node["type"] {
            reader.report(.error("invalid-field", "parameter `\(name)` of provider \(provider) has unknown type `\(typeText)`", at: typeNode.location,
                                 hint: "use one of: \(ParameterType.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        var min = reader.double("min"), max = reader.double("max")
        if let low = min, let high = max, low > high {
            reader.report(.error("invalid-field", "parameter `\(name)` of provider \(provider) has `min` \(TemplateValue.format(low)) above `max` \(TemplateValue.format(high)): no value fits",
                                 at: node["max"]?.location ?? node.location, hint: "swap them, or fix the one that is wrong"))
            (min, max) = (nil, nil)
        }
        let values = reader.strings("values").map(\.value)
        if type == nil { type = values.isEmpty ? .string : .enum }
        if type == .enum, values.isEmpty {
            reader.report(.error("invalid-field", "parameter `\(name)` of provider \(provider) is an enum with no `values`: no value fits",
                                 at: node["values"]?.location ?? node["type"]?.location ?? node.location, hint: "list its values: `values: [low, high]`"))
        }
        reader.reportUnknownFields()
        return ProviderParameter(name: name, type: type ?? .string, min: min, max: max, values: values, location: node.location)
    }
}
