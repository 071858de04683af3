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
        // Work on UTF-8 bytes: lines end at `\n` bytes (in Swift "\r\n" is one Character, so
        // Character-level splitting would miss CRLF), and each `\n` ends a scalar, so every
        // line start is a valid index into the text.
        let bytes = text.utf8
        // Searched in the contiguous bytes when the text has them: `firstIndex(of:)` on the UTF-8
        // view steps index by index.
        func lineEnd(from start: String.Index) -> String.Index {
            let offset = bytes.distance(from: bytes.startIndex, to: start)
            let found = bytes.withContiguousStorageIfAvailable { buffer in buffer[offset...].firstIndex(of: UInt8(ascii: "\n")) }
            guard let found else { return bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex }
            return found.map { bytes.index(bytes.startIndex, offsetBy: $0) } ?? bytes.endIndex
        }
        let firstEnd = lineEnd(from: bytes.startIndex)
        guard isFence(bytes[bytes.startIndex..<firstEnd]) else {
            return .failure(.error("front-matter", "missing front matter: the first line must be `---`", at: SourceLocation(file: file, line: 1, column: 1),
                                   hint: "start the file with a `---` line, the YAML front matter, and another `---` line"))
        }
        // The closing fence: its line (0-based), start and end.
        var end = firstEnd
        var closing = 0
        var closingStart = end
        repeat {
            guard end < bytes.endIndex else {
                return .failure(.error("front-matter", "the front matter is not closed: no second `---` line", at: SourceLocation(file: file, line: 1, column: 1),
                                       hint: "add a `---` line between the front matter and the template"))
            }
            closingStart = bytes.index(after: end)
            end = lineEnd(from: closingStart)
            closing += 1
        } while !isFence(bytes[closingStart..<end])
        let scalars = text.unicodeScalars
        let yaml = String(scalars[bytes.index(after: firstEnd)..<closingStart])
        let bodyStart = end < bytes.endIndex ? bytes.index(after: end) : end
        var bodyEnd = bytes.endIndex
        if bodyEnd > bodyStart, bytes[bytes.index(before: bodyEnd)] == UInt8(ascii: "\n") {
            bodyEnd = bytes.index(before: bodyEnd)
            if bodyEnd > bodyStart, bytes[bytes.index(before: bodyEnd)] == UInt8(ascii: "\r") { bodyEnd = bytes.index(before: bodyEnd) }
        }
        let body = String(scalars[bodyStart..<bodyEnd])
        return .success(FrontMatter(yaml: yaml, yamlLine: 2, body: body, bodyLine: closing + 2))
    }

    /// `---`, with any spaces, tabs and `\r` after it (nothing before it).
    static func isFence(_ line: Substring.UTF8View) -> Bool {
        var line = line
        while let last = line.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") || last == UInt8(ascii: "\r") { line = line.dropLast() }
        return line.elementsEqual("---".utf8)
    }
}
