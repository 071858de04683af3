@testable import Analytics
import Foundation
import PromptCatalog
import Testing
import TestSupport

/// Cost, rating and latency moments in exact fixed point: Welch's test on costs of a million that
/// differ by cents, and the same bits whatever the order, the files, the chunks and the cache.
///
/// The expected values are not computed by this code: the samples below, with Python's `fractions`
/// (exact means and variances) and `decimal` (60 digits for the square root), give
///   t = 6.759391685632176, ν = 106.68291803181515, difference = 0.0215,
/// and scipy.stats.t gives p = 2·sf(t, ν) = 7.615270645745584e-10 and the 95% interval
/// 0.015194300736289228 … 0.027805699263710768. The same values at $1,000 and $1,000,000 (only
/// the base moves); sums of doubles gave t = 7.236 at $1,000,000 and 6.7593944 at $1,000, and
/// scipy's own ttest_ind 6.75939173 at $1,000,000.
@Suite struct ExactMomentsTests {
    static let expectedT = 6.759391685632176
    static let expectedDegreesOfFreedom = 106.68291803181515
    static let expectedP = 7.615270645745584e-10
    static let expectedInterval = (lower: 0.015194300736289228, upper: 0.027805699263710768)

    /// Micro-units as a decimal string: 1000000011000 → "1000000.011000".
    static func decimal(_ micros: Int64) -> String {
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    /// One generation of the samples, its numbers written as decimals.
    struct Sample {
        let version: String, arm: String, cost: String, latency: String, rating: String, createdAt: String, index: Int

        var jsonLine: String {
            #"{"id":"g-\#(index)","version":"\#(version)","provider":"inkwell","status":"success","latency_ms":\#(latency),"cost":\#(cost),"created_at":"\#(createdAt)","rating":\#(rating),"experiment":"budget","arm":"\#(arm)"}"#
        }
    }

    /// Control: base + i mod 7 cents + i mod 3 mils; B: base + 3 cents + i mod 5 cents + i mod 4 mils.
    /// Latencies and ratings with fractions whose binary sums round differently in another order.
    static func samples(base: Int64) -> [Sample] {
        func day(_ index: Int) -> String { "2026-11-\(10 + index % 9)T10:00:00Z" }
        let control = (0..<60).map { i in
            Sample(version: "walk@1", arm: "control", cost: decimal(base * 1_000_000 + Int64(i % 7) * 10_000 + Int64(i % 3) * 1_000),
                   latency: "\(1000 + i).\(i % 10)3", rating: "\(3 + i % 2).\(i % 10)", createdAt: day(i), index: i)
        }
        let treatment = (0..<60).map { i in
            Sample(version: "walk@2", arm: "B", cost: decimal(base * 1_000_000 + 30_000 + Int64(i % 5) * 10_000 + Int64(i % 4) * 1_000),
                   latency: "\(2000 + 7 * i).\(i % 10)7", rating: "4.\(i % 10)1", createdAt: day(60 + i), index: 60 + i)
        }
        return control + treatment
    }

    static func lines(base: Int64) -> [String] { samples(base: base).map(\.jsonLine) }

    static let catalogFiles = [
        "providers/inkwell.yaml": Fixture.provider("inkwell", limit: 300),
        "prompts/walk/family.yaml": "title: Walk\nprompt_type: visual\n",
        "prompts/walk/v1.prompt": "---\nversion: 1\n---\nA walk by the harbor.\n",
        "prompts/walk/v2.prompt": "---\nversion: 2\nparent: 1\n---\nA slow walk by the harbor.\n",
    ]

    static func report(_ content: TemporaryContent, cache: LogCache? = nil, chunkSize: Int = 8 << 20) -> (LogIngest, AnalyticsReport) {
        let catalog = CatalogLoader.load(contentDirectory: content.root).catalog
        let ingest = LogIngestion.ingest(catalog.logFiles, options: LogIngestOptions(cache: cache, chunkSize: chunkSize))
        return (ingest, AnalyticsReport(ingest, catalog: catalog, minSamples: 30, confidence: 0.95))
    }

    static func close(_ actual: Double?, _ expected: Double, relative: Double = 1e-12) -> Bool {
        guard let actual else { return false }
        return abs(actual - expected) <= relative * abs(expected)
    }

    @Test(arguments: [Int64(1_000_000), 1_000, 1])
    func welchOnCostsMatchesTheExactValueWhateverTheirSize(base: Int64) throws {
        let content = try TemporaryContent(Self.catalogFiles.merging(["logs/a.jsonl": Self.lines(base: base).joined(separator: "\n") + "\n"]) { $1 })
        let (ingest, report) = Self.report(content)
        #expect(ingest.diagnostics.isEmpty)
        let experiment = try #require(report.experiments.first)
        #expect(experiment.control.name == "control")
        let test = try #require(experiment.treatments.first?.costTest)
        #expect(Self.close(test.t, Self.expectedT), "t = \(test.t) at base \(base)")
        #expect(Self.close(test.degreesOfFreedom, Self.expectedDegreesOfFreedom, relative: 1e-12), "ν = \(test.degreesOfFreedom)")
        #expect(Self.close(test.difference, 0.0215, relative: 1e-14), "difference = \(test.difference)")
        #expect(Self.close(test.pValue, Self.expectedP, relative: 1e-9), "p = \(test.pValue)")
        #expect(Self.close(test.differenceInterval.lower, Self.expectedInterval.lower, relative: 1e-9))
        #expect(Self.close(test.differenceInterval.upper, Self.expectedInterval.upper, relative: 1e-9))
        #expect(test.controlMean == Double("\(base).03"))
        #expect(test.treatmentMean == Double("\(base).0515"))
    }

    /// The moments as `FixedPointMoments` (no reading): 4 million each way, variance 0.0004023728813559322
    /// (control) and 0.00020466101694915256 (B) exactly, as Python's fractions give them.
    @Test func momentsOfLargeValuesKeepTheirVariance() throws {
        var control = FixedPointMoments(), treatment = FixedPointMoments()
        for i in 0..<60 {
            control.add(units: 1_000_000_000_000 + Int64(i % 7) * 10_000 + Int64(i % 3) * 1_000)
            treatment.add(units: 1_000_000_000_000 + 30_000 + Int64(i % 5) * 10_000 + Int64(i % 4) * 1_000)
        }
        #expect(Self.close(control.variance, 0.0004023728813559322, relative: 1e-15))
        #expect(Self.close(treatment.variance, 0.00020466101694915256, relative: 1e-15))
        #expect(FixedPointMoments.differenceOfMeans(treatment, control) == 0.0215)
        let test = try #require(WelchTest(control: control, treatment: treatment))
        #expect(Self.close(test.t, Self.expectedT))
    }

    /// The same records in another order, split over files, read in small chunks, recalled from the
    /// cache and read as a tail after an append: the same summary and the same statistics, to the bit.
    @Test func theStatisticsAreTheSameWhateverTheOrderFilesChunksAndCache() throws {
        let lines = Self.lines(base: 1_000_000)
        let inOrder = try TemporaryContent(Self.catalogFiles.merging(["logs/a.jsonl": lines.joined(separator: "\n") + "\n"]) { $1 })
        let (baseIngest, baseline) = Self.report(inOrder)

        // The rounding this test is about: the same latencies summed in another order as doubles.
        let latencies = lines.compactMap { line in
            line.range(of: #""latency_ms":([0-9.]+)"#, options: .regularExpression).map { Double(line[$0].dropFirst(13))! }
        }
        #expect(latencies.count == 120)
        let shuffledOrder = (0..<120).map { ($0 * 37) % 120 }
        #expect(latencies.reduce(0, +) != shuffledOrder.map { latencies[$0] }.reduce(0, +), "double sums depend on the order")

        let shuffled = shuffledOrder.map { lines[$0] }
        var variants: [(String, LogIngest, AnalyticsReport)] = []
        let oneShuffledFile = try TemporaryContent(Self.catalogFiles.merging(["logs/a.jsonl": shuffled.joined(separator: "\n") + "\n"]) { $1 })
        let read = Self.report(oneShuffledFile)
        variants.append(("shuffled", read.0, read.1))
        let chunked = Self.report(oneShuffledFile, chunkSize: 700)
        #expect(chunked.0.files.count == 1)
        variants.append(("shuffled, in chunks of 700 bytes", chunked.0, chunked.1))
        func text(_ part: ArraySlice<String>) -> String { part.joined(separator: "\n") + "\n" }
        let parts: [String: String] = ["logs/a.jsonl": text(shuffled[0..<17]), "logs/b/c.jsonl": text(shuffled[17..<90]), "logs/d.jsonl": text(shuffled[90...])]
        let split = try TemporaryContent(Self.catalogFiles.merging(parts) { $1 })
        let splitRead = Self.report(split, chunkSize: 1_500)
        variants.append(("over three files", splitRead.0, splitRead.1))

        // Cached: 50 lines first, then the rest appended (a tail read), then recalled as it is.
        let cachedContent = try TemporaryContent(Self.catalogFiles.merging(["logs/a.jsonl": shuffled[0..<50].joined(separator: "\n") + "\n"]) { $1 })
        let cache = LogCache(directory: cachedContent.project.appendingPathComponent("cache"))
        _ = Self.report(cachedContent, cache: cache)
        try cachedContent.write("logs/a.jsonl", shuffled.joined(separator: "\n") + "\n")
        let tail = Self.report(cachedContent, cache: cache)
        guard case .tail = tail.0.files[0].source else {
            Issue.record("expected a tail read, got \(tail.0.files[0].source)")
            return
        }
        variants.append(("a cached tail", tail.0, tail.1))
        let recalled = Self.report(cachedContent, cache: cache)
        #expect(recalled.0.files[0].source == .cache)
        variants.append(("recalled from the cache", recalled.0, recalled.1))

        let expected = try #require(baseline.experiments.first)
        for (name, ingest, report) in variants {
            #expect(ingest.summary == baseIngest.summary, "\(name): the summary")
            let experiment = try #require(report.experiments.first)
            for (arm, base) in zip(experiment.arms, expected.arms) {
                #expect(arm.costTest == base.costTest, "\(name): cost test of \(arm.name)")
                #expect(arm.ratingTest == base.ratingTest, "\(name): rating test of \(arm.name)")
                #expect(arm.metrics.meanLatency?.bitPattern == base.metrics.meanLatency?.bitPattern, "\(name): mean latency of \(arm.name)")
                #expect(arm.metrics.ratingMean?.bitPattern == base.metrics.ratingMean?.bitPattern, "\(name): rating mean of \(arm.name)")
                #expect(arm.metrics.totalCost.bitPattern == base.metrics.totalCost.bitPattern, "\(name): total cost of \(arm.name)")
            }
        }
        #expect(expected.treatments.first?.costTest != nil && expected.treatments.first?.ratingTest != nil)
    }

    /// A cache written in an earlier format (format 4 had doubles where 128-bit integers now are) is
    /// never misread: the entry is ignored and the file read again.
    @Test func aCacheOfTheFormerFormatIsIgnored() throws {
        let content = try TemporaryContent(Self.catalogFiles.merging(["logs/a.jsonl": Self.lines(base: 1_000).joined(separator: "\n") + "\n"]) { $1 })
        let cache = LogCache(directory: content.project.appendingPathComponent("cache"))
        let (first, _) = Self.report(content, cache: cache)
        let url = cache.url(for: "logs/a.jsonl")
        var bytes = [UInt8](try Data(contentsOf: url))
        let magic = Array("promptsite-log-cache".utf8).count
        #expect(bytes[magic..<magic + 8] == [UInt8(LogCache.formatVersion), 0, 0, 0, 0, 0, 0, 0][...])
        // The same entry claiming the format before, with a valid checksum: still not read.
        bytes[magic] = UInt8(LogCache.formatVersion - 1)
        let body = Array(bytes[..<(bytes.count - 8)])
        bytes.replaceSubrange((bytes.count - 8)..., with: withUnsafeBytes(of: XXH64.hash(body).littleEndian, Array.init))
        try Data(bytes).write(to: url)
        let (second, _) = Self.report(content, cache: cache)
        #expect(second.files[0].source == .full)
        #expect(second.summary == first.summary)
    }
}
