import PageTemplates

// The view models of version pages (ten thousand per build at 1,000 families) make their own
// trees: each adds its stored properties by name, in declaration order, nil optionals left out —
// what the compiler-made `encode(to:)` gives. `DirectPageValueTests` makes every version page
// of the sample site both ways and compares: a property added to one of these types and not
// here fails it. The diff against the parent is deferred (made only when the page is rendered)
// and then makes its own tree too; rarely made parts (metrics, variations, composition) go
// through `encode(to:)` (`add(_:encoding:)`).

extension VersionPage: PageValueConvertible {
    func fields(_ fields: inout PageFields) throws {
        try fields.add("page", page)
        fields.add("id", id)
        try fields.add("family", family)
        fields.add("number", number)
        fields.add("branch", branch)
        fields.add("message", message)
        fields.add("author", author)
        fields.add("date", date)
        fields.add("semver", semver)
        fields.add("tags", tags)
        fields.add("labels", labels)
        fields.add("strategies", strategies)
        try fields.add("providers", providers)
        try fields.add("parent", parent)
        try fields.add("children", children)
        fields.add("templateHTML", templateHTML)
        try fields.add("variables", variables)
        try fields.add("pools", pools)
        fields.add("contextPaths", contextPaths)
        try fields.add("previews", previews)
        try fields.add("lengths", lengths)
        fields.add("negative", negative)
        try fields.add("diff", encoding: diff)
        try fields.add("diagnostics", diagnostics)
        fields.add("apiURL", apiURL)
        try fields.add("metrics", encoding: metrics)
        fields.add("hasVariables", hasVariables)
        try fields.add("similar", similar)
        fields.add("similarityThreshold", similarityThreshold)
        try fields.add("similarCluster", similarCluster)
        try fields.add("variations", encoding: variations)
        try fields.add("composition", encoding: composition)
    }
}

extension PageFrame: PageValueConvertible {
    func fields(_ fields: inout PageFields) throws {
        fields.add("root", root)
        fields.add("title", title)
        try fields.add("site", site)
        fields.add("isDashboard", isDashboard)
        fields.add("isCatalog", isCatalog)
        fields.add("isProviders", isProviders)
        fields.add("isDocs", isDocs)
        fields.add("isChecks", isChecks)
        fields.add("isBlocks", isBlocks)
        fields.add("isPrograms", isPrograms)
        fields.add("isAnalytics", isAnalytics)
        fields.add("isPlugins", isPlugins)
    }
}

extension SiteInfo: PageValueConvertible {
    func fields(_ fields: inout PageFields) throws {
        fields.add("title", title)
        fields.add("errors", errors)
        fields.add("warnings", warnings)
    }
}

extension Link: PageValueConvertible {
    func fields(_ fields: inout PageFields) throws {
        fields.add("text", text)
        fields.add("url", url)
    }
}

extension MaybeLink: PageValueConvertible {
    func fields(_ fields: inout PageFields) throws {
        fields.add("text", text)
        fields.add("url", url)
        fields.add("linked", linked)
        fields.add("missing", missing)
    }
}

extension VariableRow: PageValueConvertible {
    func fields(_ fields: inout PageFields) throws {
        fields.add("anchor", anchor)
        fields.add("name", name)
        fields.add("type", type)
        fields.add("required", required)
        fields.add("defaultValue", defaultValue)
        fields.add("constraints", constraints)
        fields.add("description", description)
    }
}

extension PoolRow: PageValueConvertible {
    func fields(_ fields: inout PageFields) throws {
        fields.add("anchor", anchor)
        fields.add("name", name)
        fields.add("values", values)
        fields.add("weights", weights)
    }
}

extension PreviewRow: PageValueConvertible {
    func fields(_ fields: inout PageFields) throws {
        fields.add("name", name)
        fields.add("text", text)
        fields.add("length", length)
    }
}

extension LengthRow: PageValueConvertible {
    func fields(_ fields: inout PageFields) throws {
        fields.add("provider", provider)
        fields.add("url", url)
        fields.add("limit", limit)
        fields.add("example", example)
        fields.add("worstCase", worstCase)
        fields.add("status", status)
        fields.add("statusClass", statusClass)
    }
}

extension DiagnosticRow: PageValueConvertible {
    func fields(_ fields: inout PageFields) throws {
        fields.add("level", level)
        fields.add("code", code)
        fields.add("location", location)
        fields.add("url", url)
        fields.add("message", message)
        fields.add("hint", hint)
    }
}

extension SimilarRow: PageValueConvertible {
    func fields(_ fields: inout PageFields) throws {
        try fields.add("link", link)
        fields.add("kind", kind)
        fields.add("percent", percent)
    }
}

extension DiffView: PageValueConvertible {
    func fields(_ fields: inout PageFields) throws {
        try fields.add("parent", parent)
        fields.add("sideBySideHTML", sideBySideHTML)
        fields.add("inlineHTML", inlineHTML)
        fields.add("summary", summary)
        try fields.add("fieldChanges", fieldChanges)
        fields.add("hasFieldChanges", hasFieldChanges)
    }
}

extension FieldChangeRow: PageValueConvertible {
    func fields(_ fields: inout PageFields) throws {
        fields.add("path", path)
        fields.add("kind", kind)
        fields.add("old", old)
        fields.add("new", new)
    }
}

// A family page (a thousand per build at 1,000 families) and its version rows.

extension FamilyPage: PageValueConvertible {
    func fields(_ fields: inout PageFields) throws {
        try fields.add("page", page)
        fields.add("slug", slug)
        fields.add("title", title)
        fields.add("descriptionHTML", descriptionHTML)
        fields.add("type", type)
        fields.add("category", category)
        fields.add("tags", tags)
        fields.add("nodeTypes", nodeTypes)
        fields.add("active", active)
        try fields.add("labels", labels)
        fields.add("graphSVG", graphSVG)
        try fields.add("versions", versions)
        fields.add("apiURL", apiURL)
        try fields.add("analytics", encoding: analytics)
        fields.add("hasGenerations", hasGenerations)
        try fields.add("diagnostics", diagnostics)
        fields.add("versionsJSON", versionsJSON)
        fields.add("canCompare", canCompare)
        fields.add("includesGraphSVG", includesGraphSVG)
    }
}

extension VersionSummary: PageValueConvertible {
    func fields(_ fields: inout PageFields) throws {
        fields.add("family", family)
        fields.add("familyTitle", familyTitle)
        fields.add("number", number)
        fields.add("url", url)
        fields.add("message", message)
        fields.add("author", author)
        fields.add("date", date)
        fields.add("branch", branch)
        fields.add("labels", labels)
        try fields.add("metrics", encoding: metrics)
    }
}
