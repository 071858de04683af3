import Foundation
import Project
import PromptCatalog
import Site

/// A generated prompt repository of a given size, built and timed as separate processes (so
/// peak memory is the build's own), beside Hugo on pages that carry the same information.
public struct Benchmark {
    public let families: Int
    public let versionsPerFamily: Int
    public let runs: Int
    /// Every version gets the same text (the near-duplicate worst case: one cluster of every prompt).
    public let sameText: Bool

    public init(families: Int, versionsPerFamily: Int, runs: Int = 3, sameText: Bool = false) {
        self.families = families
        self.versionsPerFamily = versionsPerFamily
        self.runs = runs
        self.sameText = sameText
    }

    public struct Report: Sendable {
        public let pages: Int
        public let versions: Int
        /// Median wall time of the full builds (empty output, no cache), in seconds.
        public let seconds: Double
        public let peakMemoryMB: Double
        /// A rebuild with nothing changed, and after one edited version.
        public let noOpSeconds: Double
        public let oneEditSeconds: Double
        /// The first edit after a fresh full build, which also makes the spare site (every folder
        /// once) that later rebuilds update in place; not in the median.
        public let firstEditSeconds: Double
        public let hugoSeconds: Double?
        public let hugoPeakMemoryMB: Double?
        public let hugoPages: Int?

        public var pagesPerSecond: Double { Double(pages) / seconds }

        public var description: String {
            var lines = [
                "promptsite: \(versions) versions, \(pages) pages, full build in \(format(seconds)) s (median of runs) = \(Int(pagesPerSecond)) pages/s, peak RSS \(format(peakMemoryMB)) MB",
                "  no-op rebuild: \(format(noOpSeconds)) s (\(percent(noOpSeconds / seconds)) of a full build; target ≤ 5%)",
                "  one edited version: \(format(oneEditSeconds)) s (\(percent(oneEditSeconds / seconds)) of a full build; target ≤ 10%)",
                "  the first edit after a fresh build: \(format(firstEditSeconds)) s (\(percent(firstEditSeconds / seconds))): it also makes the spare site the later ones update",
            ]
            if let hugoSeconds, let hugoPages, let hugoPeakMemoryMB {
                let hugoRate = Double(hugoPages) / hugoSeconds
                lines.append("hugo (cold, empty public/): \(hugoPages) pages with the same information in \(format(hugoSeconds)) s = \(Int(hugoRate)) pages/s, peak RSS \(format(hugoPeakMemoryMB)) MB")
                lines.append("  promptsite / hugo: \(format(pagesPerSecond / hugoRate))× the pages/s (target ≥ 2×), \(format(peakMemoryMB / hugoPeakMemoryMB))× the memory (target ≤ 0.5×)")
            }
            return lines.joined(separator: "\n")
        }

        private func format(_ value: Double) -> String { String(format: "%.2f", value) }
        private func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
    }

    /// Writes the repository, builds it `runs` times from nothing, then `runs` times with nothing
    /// changed, then after editing one version `runs` + 1 times (the first is reported on its own),
    /// and Hugo `runs` times; medians are reported.
    public func run(promptsite: String, compareWithHugo hugo: String?) throws -> Report {
        let root = ScratchFolders.make("promptsite-bench")
        defer { ScratchFolders.remove(root) }
        let content = root.appendingPathComponent("Content")
        let config = root.appendingPathComponent("Site.json")
        let output = root.appendingPathComponent("Output")
        let build = [ "build", "--config", config.path, "--quiet"]
        let hugoSite = root.appendingPathComponent("hugo"), hugoPublic = hugoSite.appendingPathComponent("public")
        let hugoPages = try ScratchFolders.guarded {
            try generate(into: content)
            try #"{"title": "bench", "defaultProviders": ["video"], "content": "Content", "output": "Output"}"#.write(to: config, atomically: true, encoding: .utf8)
            return try hugo.map { _ in try generateHugoSite(into: hugoSite) }
        }
        // The build trusts file time stamps only when the files are older than the last build by a second.
        Thread.sleep(forTimeInterval: 1.1)
        // Full builds of both, alternating, so both meet the file system in the same state. Earlier
        // outputs are moved aside, not deleted, until every run is done: on ext4 without a journal,
        // creating files right after deleting as many makes each new inode step over the recently
        // deleted ones, and the timings measured that rather than the builds.
        var full: [MeasuredProcess.Measurement] = [], hugoFull: [MeasuredProcess.Measurement] = []
        for run in 0..<runs {
            Self.setAside(output, run: run)
            Self.setAside(root.appendingPathComponent(".promptsite-cache"), run: run)
            full.append(try MeasuredProcess.run(promptsite, build))
            if let hugo {
                // Cold, like a full promptsite build (which writes a fresh folder and swaps it in).
                Self.setAside(hugoPublic, run: run)
                hugoFull.append(try MeasuredProcess.run(hugo, ["--quiet", "--source", hugoSite.path, "--destination", hugoPublic.path]))
            }
        }
        let pages = Self.count(in: output, suffix: ".html")
        let noOp = try (0..<runs).map { _ in try Self.settled { try MeasuredProcess.run(promptsite, build).seconds } }
        var edits: [Double] = [], firstEdit = 0.0
        for run in 0...runs {
            let version = content.appendingPathComponent("prompts/family-\(families / 2)/v\(max(1, versionsPerFamily / 2)).prompt")
            try ScratchFolders.guarded { try (String(contentsOf: version, encoding: .utf8) + " edit\(run)").write(to: version, atomically: true, encoding: .utf8) }
            let seconds = try Self.settled { try MeasuredProcess.run(promptsite, build).seconds }
            if run == 0 { firstEdit = seconds } else { edits.append(seconds) }
        }
        let hugoMiddle = hugoFull.isEmpty ? nil : hugoFull.sorted { $0.seconds < $1.seconds }[hugoFull.count / 2]
        let hugoSeconds = hugoMiddle?.seconds, hugoMemory = hugoMiddle?.peakMemoryMB
        let middle = full.sorted { $0.seconds < $1.seconds }[full.count / 2]
        return Report(pages: pages, versions: families * versionsPerFamily, seconds: middle.seconds, peakMemoryMB: middle.peakMemoryMB,
                      noOpSeconds: median(noOp), oneEditSeconds: median(edits), firstEditSeconds: firstEdit, hugoSeconds: hugoSeconds, hugoPeakMemoryMB: hugoMemory,
                      hugoPages: hugoPages)
    }

    /// `run` after the disk has written what earlier runs left in memory (`sync`): the rebuilds
    /// timed after six full builds (ours and Hugo's, 130,000 files) otherwise measured the kernel
    /// writing those back too. The full builds are not preceded by one: on this machine's ext4 a
    /// `sync` made the next cold build slower for both, by the same seconds (Hugo 2.8 → 4.9 s).
    static func settled<Value>(_ run: () throws -> Value) rethrows -> Value {
        sync()
        return try run()
    }

    /// Renames `folder` to `<folder>.run-N` (removed with the whole bench folder at the end).
    static func setAside(_ folder: URL, run: Int) {
        guard FileManager.default.fileExists(atPath: folder.path) else { return }
        try? FileManager.default.moveItem(at: folder, to: folder.deletingLastPathComponent().appendingPathComponent(folder.lastPathComponent + ".run-\(run)"))
    }

    static func count(in folder: URL, suffix: String) -> Int {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return 0 }
        var count = 0
        while let path = enumerator.nextObject() as? String {
            if path.hasSuffix(suffix) { count += 1 }
        }
        return count
    }

    private static let words = "harbor lantern storm fog bell keeper smuggler market night tide gull rope sail stone cliff ember dusk mist wharf beacon".split(separator: " ")

    /// A deterministic paragraph of about 90 words (the same for every version with `sameText`).
    private func paragraph(_ seed: Int) -> String {
        var state = UInt64(sameText ? 1 : seed) &* 0x9E37_79B9_7F4A_7C15
        return (0..<88).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return String(Self.words[Int(state >> 33) % Self.words.count])
        }.joined(separator: " ")
    }

    func generate(into content: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: content.appendingPathComponent("providers"), withIntermediateDirectories: true)
        try """
        id: video
        name: Video
        prompt_limit: 2048
        negative_prompt_limit: 512
        parameters:
          - { name: duration, type: int, min: 1, max: 10 }
        """.write(to: content.appendingPathComponent("providers/video.yaml"), atomically: true, encoding: .utf8)
        for family in 0..<families {
            let folder = content.appendingPathComponent("prompts/family-\(family)")
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            try "title: Family \(family)\nprompt_type: visual\ntags: [bench]\nlabels: { production: \(max(1, versionsPerFamily - 1)) }\n"
                .write(to: folder.appendingPathComponent("family.yaml"), atomically: true, encoding: .utf8)
            for number in 1...versionsPerFamily {
                let parent = number > 1 ? "parent: \(number - 1)\n" : ""
                let text = """
                ---
                version: \(number)
                \(parent)message: Revision \(number)
                author: bench
                date: 2025-01-01T00:00:00Z
                variables:
                  lead: { type: string, max_length: 30 }
                  time: { type: enum, values: [dusk, night] }
                examples:
                  - { name: e, vars: { lead: Mara, time: dusk } }
                provider_hints:
                  video: { duration: 5 }
                ---
                {{lead}} at {{time}}: \(paragraph(family * 1000 + number))

                """
                try text.write(to: folder.appendingPathComponent("v\(number).prompt"), atomically: true, encoding: .utf8)
            }
        }
    }

    /// One Markdown page per version with a similar amount of text, in a minimal Hugo site.
    private func generateHugoSite(into site: URL) throws -> Int {
        let manager = FileManager.default
        try manager.createDirectory(at: site.appendingPathComponent("layouts/_default"), withIntermediateDirectories: true)
        try "baseURL = '/'\ntitle = 'bench'\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap']\n"
            .write(to: site.appendingPathComponent("hugo.toml"), atomically: true, encoding: .utf8)
        let layout = """
        <!doctype html><html><head><title>{{ .Title }}</title></head><body>
        <nav><a href="{{ .Site.BaseURL }}">home</a> <a href="{{ .Site.BaseURL }}prompts/">prompts</a> <a href="{{ .Site.BaseURL }}providers/">providers</a> <a href="{{ .Site.BaseURL }}checks/">checks</a></nav>
        <main><h1>{{ .Title }}</h1>
        <dl>{{ range $key, $value := .Params.meta }}<dt>{{ $key }}</dt><dd>{{ $value }}</dd>{{ end }}</dl>
        {{ .Content }}</main></body></html>
        """
        try layout.write(to: site.appendingPathComponent("layouts/_default/single.html"), atomically: true, encoding: .utf8)
        try layout.write(to: site.appendingPathComponent("layouts/_default/list.html"), atomically: true, encoding: .utf8)
        for family in 0..<families {
            let folder = site.appendingPathComponent("content/family-\(family)")
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            for number in 1...versionsPerFamily {
                let text = paragraph(family * 1000 + number)
                let parent = number > 1 ? "\n## Parent v\(number - 1)\n\n```\n{{lead}} at {{time}}: \(paragraph(family * 1000 + number - 1))\n```\n" : ""
                let page = """
                ---
                title: Family \(family) v\(number)
                meta: { version: \(number), branch: main, message: "Revision \(number)", author: bench, date: "2025-01-01", providers: video }
                ---

                ## Template

                ```
                {{lead}} at {{time}}: \(text)
                ```

                ## Preview

                Mara at dusk: \(text)

                ## Variables

                | name | type | required | constraints |
                |---|---|---|---|
                | lead | string | yes | max 30 characters |
                | time | enum | yes | one of: dusk, night |

                ## Lengths

                | provider | limit | example | worst case | status |
                |---|---|---|---|---|
                | video | 2048 | \(text.count + 14) | \(text.count + 37) | fits |
                \(parent)
                """
                try page.write(to: folder.appendingPathComponent("v\(number).md"), atomically: true, encoding: .utf8)
            }
        }
        return families * versionsPerFamily
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

}
