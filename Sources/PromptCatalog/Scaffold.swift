import Diagnostics
import Foundation

/// `promptsite new`: the files of a new family or version, as values; the command writes them.
public enum Scaffold {
    /// A file to create, relative to the content folder.
    public struct File: Equatable, Sendable {
        public let path: String
        public let contents: String
    }

    public enum Refusal: Error, Equatable, CustomStringConvertible {
        /// Bad input: an invalid slug, an unknown family or version (exit 2).
        case usage(String)
        /// A file or folder is already there (exit 1).
        case exists(String)

        public var description: String {
            switch self {
            case .usage(let message), .exists(let message): message
            }
        }
    }

    /// `prompts/<slug>/family.yaml` and `v1.prompt`. `existing` says whether a content path exists.
    public static func family(slug: String, title: String?, type: PromptType, date: Date,
                              existing: (String) -> Bool) -> Result<[File], Refusal> {
        guard (try? /^[a-z0-9][a-z0-9-]{0,99}$/.wholeMatch(in: slug)) != nil else {
            return .failure(.usage("`\(slug)` is not a valid family slug: use lowercase letters, digits and `-`, starting with a letter or digit (at most 100 characters)"))
        }
        let folder = "prompts/\(slug)"
        guard !existing(folder) else { return .failure(.exists("\(folder) already exists; nothing was written")) }
        let title = title ?? slug.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        let family = """
            title: \(yamlText(title))
            description: ""
            prompt_type: \(type.rawValue)
            tags: []
            labels: {}

            """
        let version = """
            ---
            version: 1
            branch: main
            message: First version
            date: \(ISODate.format(date))
            ---
            \(placeholder(type))

            """
        return .success([File(path: "\(folder)/family.yaml", contents: family), File(path: "\(folder)/v1.prompt", contents: version)])
    }

    /// `prompts/<family>/v<N+1>.prompt` where N is the highest version file: the front matter and
    /// template of `from` (default the latest), with `version`, `parent` and `date` set, `message`
    /// emptied unless given, and `branch` set when given.
    /// `source` reads a content file; `versionFiles` lists the family folder's file names.
    public static func version(of family: PromptFamily, from number: Int?, branch: String?, message: String?, date: Date,
                               versionFiles: [String], source: (String) -> String?) -> Result<[File], Refusal> {
        guard let base = number.map({ family.version($0) }) ?? family.latest else {
            if let number { return .failure(.usage("\(family.slug) has no version \(number)")) }
            return .failure(.usage("\(family.slug) has no version to copy; write prompts/\(family.slug)/v1.prompt first (or run `promptsite new family`)"))
        }
        guard let text = source(base.file) else { return .failure(.usage("cannot read \(base.file)")) }
        let next = (versionFiles.compactMap(FamilyLoader.versionNumber).max() ?? 0) + 1
        let path = "prompts/\(family.slug)/v\(next).prompt"
        guard !versionFiles.contains("v\(next).prompt") else { return .failure(.exists("\(path) already exists; nothing was written")) }
        var changes: [(String, String)] = [("version", "\(next)"), ("parent", "\(base.number)"), ("date", ISODate.format(date)),
                                           ("message", message.map(yamlText) ?? "\"\"")]
        if let branch { changes.append(("branch", yamlText(branch))) }
        switch replacingFrontMatter(text, with: changes) {
        case .success(let contents): return .success([File(path: path, contents: contents)])
        case .failure(let problem): return .failure(.usage("\(base.file) \(problem.why)"))
        }
    }

    /// The file with each top-level front-matter field of `changes` replaced (from its key to the
    /// next top-level key, a block scalar's blank lines and a quoted key's spelling included) or,
    /// when absent, added after `version:` in the order given; everything else kept as written —
    /// also the comments and blank lines before the next field.
    static func replacingFrontMatter(_ text: String, with changes: [(String, String)]) -> Result<String, FrontMatterProblem> {
        // Cut at "\n" bytes: a Swift Character "\r\n" is no "\n", so a CRLF file had no lines.
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        // The loader's rule: an indented `---` (inside a block scalar) is no fence.
        func fence(_ line: String) -> Bool { FrontMatter.isFence(Substring(line).utf8) }
        guard let first = lines.first, fence(first), let closing = lines.indices.dropFirst().first(where: { fence(lines[$0]) }) else {
            return .failure(FrontMatterProblem(why: "has no front matter between `---` lines to copy"))
        }
        // Lines written here end as the file's first line does.
        let lineEnd = first.hasSuffix("\r") ? "\r" : ""
        var header = Array(lines[1..<closing])
        var lastAdded: Int?
        for (name, value) in changes {
            // The fields as YAML reads them: each key's line, in order (line numbers from 1).
            guard case .success(let root) = YAMLReader.parse(header.joined(separator: "\n"), file: ""),
                  let members = root?.members ?? (root == nil ? [] : nil) else {
                return .failure(FrontMatterProblem(why: "has front matter that is not a YAML mapping of fields: fix it first (`promptsite check` shows where)"))
            }
            let starts = members.compactMap { $0.keyLocation.line.map { $0 - 1 } }
            // Fields are replaced line by line: a flow mapping (`{version: 1, message: x}`) or two
            // fields on one line cannot be, and would be lost with the line they share.
            guard starts.count == members.count, zip(starts, starts.dropFirst()).allSatisfy({ $0 < $1 }) else {
                if header.contains(where: { $0.hasPrefix("<<") }) {
                    return .failure(FrontMatterProblem(why: "merges fields into its front matter with `<<`; write the fields out, then run this again"))
                }
                return .failure(FrontMatterProblem(why: "has front-matter fields that share a line (a flow mapping `{…}`); write one field per line (`version: 1`, `message: …`), then run this again"))
            }
            if let index = members.firstIndex(where: { $0.key == name }), let start = members[index].keyLocation.line.map({ $0 - 1 }) {
                var end = starts.first { $0 > start } ?? header.count
                // Comments and blank lines at the end belong to what follows.
                while end > start + 1, header[end - 1].allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) || header[end - 1].hasPrefix("#") { end -= 1 }
                header.replaceSubrange(start..<end, with: ["\(name): \(value)" + lineEnd])
            } else {
                let version = members.first { $0.key == "version" }.flatMap { $0.keyLocation.line }
                    .map { line in (starts.first { $0 > line - 1 } ?? header.count) }
                let after = lastAdded.map { $0 + 1 } ?? version ?? 0
                header.insert("\(name): \(value)" + lineEnd, at: after)
                lastAdded = after
            }
        }
        // A replaced field may have carried an anchor other fields name (`message: &m …`, `tags: [*m]`):
        // what would not read is refused, never written.
        if case .failure(let problem) = YAMLReader.parse(header.joined(separator: "\n"), file: "") {
            return .failure(FrontMatterProblem(why: "cannot be copied field by field: with `version`, `parent`, `date` and `message` replaced its front matter would not read (\(problem.message)); remove the anchors (`&name`) on those fields, then run this again"))
        }
        lines.replaceSubrange(1..<closing, with: header)
        return .success(lines.joined(separator: "\n"))
    }

    /// Why a version's front matter cannot be copied.
    struct FrontMatterProblem: Error {
        let why: String
    }

    /// A first template that passes `check`: plain text, no variables yet.
    static func placeholder(_ type: PromptType) -> String {
        switch type {
        case .visual: "Describe the shot: subject, setting, light, camera."
        case .narrative: "Write what the character says or what happens next."
        case .hybrid: "Describe the shot, then what the character says."
        case .snippet: "A shared line that other prompts include."
        }
    }

    /// A YAML scalar: plain when that reads back as the same text, double-quoted otherwise.
    static func yamlText(_ text: String) -> String {
        let plain = (try? /^[A-Za-z][A-Za-z0-9 _.,()'\/-]*$/.wholeMatch(in: text)) != nil && !text.hasSuffix(" ")
            && !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(text.lowercased())
        return plain ? text : BlockImport.quoted(text)
    }
}
