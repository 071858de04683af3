import Foundation
import Project
import PromptCatalog
import Site

/// A generated prompt repository of a given size, built and timed; optionally the
/// same number of Markdown pages of similar size built by Hugo, for comparison.
public struct Benchmark {
    public let families: Int
    public let versionsPerFamily: Int
    public let runs: Int

    public init(families: Int, versionsPerFamily: Int, runs: Int = 3) {
        self.families = families
        self.versionsPerFamily = versionsPerFamily
        self.runs = runs
    }

    public struct Report: Sendable {
        public let pages: Int
        public let versions: Int
        /// Median wall time of the runs, in seconds.
        public let seconds: Double
        /// The steps of the last build.
        public let steps: [StepTime]
        public let checkOnlySeconds: Double
        public let peakMemoryMB: Double
        public let hugoSeconds: Double?
        public let hugoPages: Int?

        public var pagesPerSecond: Double { Double(pages) / seconds }

        public var description: String {
            var lines = [
                "promptsite: \(versions) versions, \(pages) pages in \(format(seconds)) s (median of runs) = \(Int(pagesPerSecond)) pages/s",
                "  steps of the last run: " + steps.map { "\($0.name) \(format($0.seconds)) s" }.joined(separator: ", "),
                "promptsite load only: \(format(checkOnlySeconds)) s",
                "peak memory (max RSS of this process): \(format(peakMemoryMB)) MB",
            ]
            if let hugoSeconds, let hugoPages {
                lines.append("hugo (cold, empty public/): \(hugoPages) Markdown pages in \(format(hugoSeconds)) s = \(Int(Double(hugoPages) / hugoSeconds)) pages/s")
            }
            return lines.joined(separator: "\n")
        }

        private func format(_ value: Double) -> String { String(format: "%.2f", value) }
    }

    /// Writes the repository, builds it `runs` times, and reports the median.
    public func run(compareWithHugo hugo: String?) throws -> Report {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("Content")
        try generate(into: content)
        var config = SiteConfig(root: root)
        config.defaultProviders = ["video"]
        var times: [Double] = []
        var steps: [StepTime] = []
        var pages = 0
        for _ in 0..<runs {
            let start = Date()
            let result = try buildSite(BuildRequest(config: config, project: root))
            times.append(Date().timeIntervalSince(start))
            steps = result.steps
            pages = result.pageCount
        }
        let checkStart = Date()
        _ = CatalogLoader.load(contentDirectory: content)
        let checkSeconds = Date().timeIntervalSince(checkStart)
        var hugoSeconds: Double?
        var hugoPages: Int?
        if let hugo {
            let site = root.appendingPathComponent("hugo")
            hugoPages = try generateHugoSite(into: site)
            var hugoTimes: [Double] = []
            let public_ = site.appendingPathComponent("public")
            for _ in 0..<runs {
                // Cold, like every promptsite build (which writes a fresh folder and swaps it in):
                // Hugo otherwise rewrites files in place in an existing public/.
                try? FileManager.default.removeItem(at: public_)
                hugoTimes.append(try time(hugo, ["--quiet", "--source", site.path, "--destination", public_.path]))
            }
            hugoSeconds = median(hugoTimes)
        }
        return Report(pages: pages, versions: families * versionsPerFamily, seconds: median(times), steps: steps, checkOnlySeconds: checkSeconds,
                      peakMemoryMB: peakMemoryMB(), hugoSeconds: hugoSeconds, hugoPages: hugoPages)
    }

    private static let words = "harbor lantern storm fog bell keeper smuggler market night tide gull rope sail stone cliff ember dusk mist wharf beacon".split(separator: " ")

    /// A deterministic paragraph of about 70 words.
    private func paragraph(_ seed: Int) -> String {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15
        return (0..<70).map { _ in
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
        let layout = "<!doctype html><html><head><title>{{ .Title }}</title></head><body><nav><a href=\"{{ .Site.BaseURL }}\">home</a></nav><main>{{ .Content }}</main></body></html>"
        try layout.write(to: site.appendingPathComponent("layouts/_default/single.html"), atomically: true, encoding: .utf8)
        try layout.write(to: site.appendingPathComponent("layouts/_default/list.html"), atomically: true, encoding: .utf8)
        for family in 0..<families {
            let folder = site.appendingPathComponent("content/family-\(family)")
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            for number in 1...versionsPerFamily {
                let page = "---\ntitle: Family \(family) v\(number)\n---\n\n# Version \(number)\n\n**lead** at **time**: \(paragraph(family * 1000 + number))\n\n| variable | type |\n|---|---|\n| lead | string |\n| time | enum |\n"
                try page.write(to: folder.appendingPathComponent("v\(number).md"), atomically: true, encoding: .utf8)
            }
        }
        return families * versionsPerFamily
    }

    private func time(_ executable: String, _ arguments: [String]) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let start = Date()
        try process.run()
        process.waitUntilExit()
        return Date().timeIntervalSince(start)
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    private func peakMemoryMB() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        #if os(Linux)
        return Double(usage.ru_maxrss) / 1024
        #else
        return Double(usage.ru_maxrss) / 1_048_576
        #endif
    }
}
