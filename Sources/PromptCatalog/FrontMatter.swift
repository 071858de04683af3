import Diagnostics

/// A version file split into its YAML front matter and template body.
struct FrontMatter {
    let yaml: String
    /// File line of the first YAML line (the line after the opening `---`).
    let yamlLine: Int
    let body: String
    /// File line where the body starts.
    let bodyLine: Int

    /// Splits `---\n<yaml>\n---\n<body>`; the body is kept byte-exact except one trailing newline.
    static func split(_ text: String, file: String) -> Result<FrontMatter, Diagnostic> {
        guard !text.isEmpty else {
            return .failure(.error("front-matter", "the file is empty", at: SourceLocation(file: file, line: 1, column: 1),
                                   hint: "a version starts with `---`, front matter with at least `version:`, `---`, then the template"))
        }
        // Work on scalars: in Swift "\r\n" is one Character, so Character-level splitting misses CRLF.
        let scalars = text.unicodeScalars
        var lineStarts = [scalars.startIndex]
        for index in scalars.indices where scalars[index] == "\n" {
            lineStarts.append(scalars.index(after: index))
        }
        func line(_ number: Int) -> Substring {
            let start = lineStarts[number]
            var end = number + 1 < lineStarts.count ? scalars.index(before: lineStarts[number + 1]) : scalars.endIndex
            if end > start, scalars[scalars.index(before: end)] == "\r" { end = scalars.index(before: end) }
            return Substring(scalars[start..<end])
        }
        guard isFence(line(0)) else {
            return .failure(.error("front-matter", "missing front matter: the first line must be `---`", at: SourceLocation(file: file, line: 1, column: 1),
                                   hint: "start the file with a `---` line, the YAML front matter, and another `---` line"))
        }
        guard let closing = (1..<lineStarts.count).first(where: { isFence(line($0)) }) else {
            return .failure(.error("front-matter", "the front matter is not closed: no second `---` line", at: SourceLocation(file: file, line: 1, column: 1),
                                   hint: "add a `---` line between the front matter and the template"))
        }
        let yamlStart = lineStarts[1]
        let yamlEnd = lineStarts[closing]
        let yaml = String(scalars[yamlStart..<yamlEnd])
        let bodyStart = closing + 1 < lineStarts.count ? lineStarts[closing + 1] : scalars.endIndex
        var body = String.UnicodeScalarView(scalars[bodyStart...])
        if body.last == "\n" {
            body.removeLast()
            if body.last == "\r" { body.removeLast() }
        }
        return .success(FrontMatter(yaml: yaml, yamlLine: 2, body: String(body), bodyLine: closing + 2))
    }

    private static func isFence(_ line: Substring) -> Bool {
        var line = line
        while let last = line.last, last == " " || last == "\t" || last == "\r" { line = line.dropLast() }
        return line == "---"
    }
}
