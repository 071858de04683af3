@testable import Analytics
import Foundation
import PromptCatalog
import Testing

@Suite struct LatencySketchTests {
    /// Nearest-rank quantile of sorted values, the definition the sketch approximates.
    func nearestRank(_ sorted: [Double], _ q: Double) -> Double {
        sorted[max(1, Int((q * Double(sorted.count)).rounded(.up))) - 1]
    }

    @Test func quantilesAreWithinHalfAPercentOfTheTrueValues() {
        var state: UInt64 = 42
        var values: [Double] = []
        var sketch = LatencySketch()
        for _ in 0..<50_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            // Log-uniform over 5 ms … 200 s, as real latencies spread.
            let value = (5 * pow(40_000, Double(state >> 11) / Double(1 << 53))).rounded()
            values.append(value)
            sketch.add(value)
        }
        values.sort()
        for q in [0.01, 0.25, 0.5, 0.9, 0.99, 0.999] {
            let exact = nearestRank(values, q)
            let estimate = sketch.quantile(q)!
            #expect(abs(estimate - exact) / exact <= LatencySketch.relativeAccuracy + 1e-12, "q=\(q): \(estimate) vs \(exact)")
        }
        #expect(sketch.quantile(0) == values.first)
        #expect(sketch.quantile(1) == values.last)
        #expect(sketch.count == 50_000)
    }

    @Test func mergingEqualsAddingEverythingToOneSketch() {
        var whole = LatencySketch()
        var parts = [LatencySketch(), LatencySketch(), LatencySketch()]
        for value in stride(from: 1.0, through: 90_000, by: 7.3) {
            whole.add(value)
            parts[Int(value) % 3].add(value)
        }
        var forward = parts[0]; forward.merge(parts[1]); forward.merge(parts[2])
        var backward = parts[2]; backward.merge(parts[1]); backward.merge(parts[0])
        #expect(forward.counts == whole.counts)
        #expect(forward.offset == whole.offset)
        #expect(backward.counts == whole.counts)
        #expect(forward.quantile(0.9) == whole.quantile(0.9))
        #expect(forward.count == whole.count && forward.minimum == whole.minimum && forward.maximum == whole.maximum)
    }

    @Test func smallAndEmptySketches() {
        var sketch = LatencySketch()
        #expect(sketch.quantile(0.5) == nil)
        #expect(sketch.mean == nil)
        sketch.add(0)
        sketch.add(0.4)
        sketch.add(1200)
        #expect(sketch.quantile(0.5)! == 1) // sub-millisecond values share the smallest bucket
        #expect(sketch.quantile(1) == 1200)
        // The nearest double to 1200.4 / 3 (the sum is exact in millionths; a sum of doubles gave 400.1333333333334).
        #expect(sketch.mean == 400.1333333333333)
    }

    /// Bucket counts read back from a database are clamped to 32 bits; merged, they stay at the
    /// largest count instead of wrapping to a handful (which moved every quantile).
    @Test func mergedBucketCountsSaturate() throws {
        let big = try #require(LatencySketch(offset: 40, counts: [UInt32.max - 5], sum: 0, minimum: 50, maximum: 50))
        var merged = try #require(LatencySketch(offset: 40, counts: [10], sum: 0, minimum: 50, maximum: 50))
        merged.merge(big)
        #expect(merged.counts == [UInt32.max])
        #expect(merged.count == Int(UInt32.max) + 5)
        var added = big
        for _ in 0..<10 { added.add(LatencySketch.value(ofBucket: 40)) }
        #expect(added.counts == [UInt32.max])
    }

    @Test func inconsistentStoredPartsAreRejected() {
        #expect(LatencySketch(offset: 10, counts: [1, 2], sum: 5, minimum: 9, maximum: 3) == nil)
        #expect(LatencySketch(offset: 10, counts: [1, 2], sum: 5, minimum: 2, maximum: 3)?.count == 3)
    }
}

@Suite struct XXH64Tests {
    /// Reference values from the `xxhash` Python package (xxh64).
    @Test func matchesTheReferenceImplementation() {
        #expect(XXH64.hash([]) == 0xEF46_DB37_51D8_E999)
        #expect(XXH64.hash(Array("a".utf8)) == 0xD24E_C4F1_A98C_6E5B)
        #expect(XXH64.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        #expect(XXH64.hash(Array(repeating: UInt8(ascii: "x"), count: 31)) == 0x60DD_0D01_083B_99F0)
        #expect(XXH64.hash(Array(repeating: UInt8(ascii: "x"), count: 32)) == 0xE2DF_261F_C2EC_30EB)
        let long = (0..<5).flatMap { _ in (0...255).map(UInt8.init) } + Array("tail".utf8)
        #expect(XXH64.hash(long) == 0x81B3_B2A9_C25C_6F59)
        #expect(XXH64.hash(long, seed: 7) == 0x5DD8_12EE_C7B4_7587)
    }

    @Test func streamingInPiecesGivesTheSameHash() {
        let long = (0..<5).flatMap { _ in (0...255).map(UInt8.init) } + Array("tail".utf8)
        for pieceSize in [1, 3, 31, 32, 33, 100] {
            var hasher = XXH64()
            var start = 0
            while start < long.count {
                let end = min(start + pieceSize, long.count)
                long[start..<end].withUnsafeBytes { hasher.update($0) }
                start = end
            }
            #expect(hasher.digest == 0x81B3_B2A9_C25C_6F59, "pieces of \(pieceSize)")
        }
    }
}

@Suite struct UTCDayTests {
    func day(_ text: String) -> String? {
        var copy = text
        return copy.withUTF8 { UTCDay(ByteString($0))?.text }
    }

    @Test func readsDatesWithAndWithoutOffsets() {
        #expect(day("2025-11-17T10:00:00Z") == "2025-11-17")
        #expect(day("2025-11-17") == "2025-11-17")
        #expect(day("2025-11-17 23:59:59.123456") == "2025-11-17")
        #expect(day("2025-11-17T23:30:00-05:00") == "2025-11-18")
        #expect(day("2025-11-17T01:30:00+0200") == "2025-11-16")
        #expect(day("2024-12-31T23:00:00-01:00") == "2025-01-01")
        #expect(day("2024-03-01T00:10:00+01:00") == "2024-02-29")
        // Whole-hour offsets, as PostgreSQL prints timestamptz (`COPY … TO CSV`, psql).
        #expect(day("2026-11-18 04:30:00+00") == "2026-11-18")
        #expect(day("2026-11-18 20:30:00-05") == "2026-11-19")
        #expect(day("2026-11-18 00:30:00.25+03") == "2026-11-17")
        var text = "2026-11-18 20:30:00-05"
        #expect(text.withUTF8 { UTCDay.epochMilliseconds(ByteString($0)) } == 1_795_051_800_000)
    }

    @Test func rejectsWhatIsNotADate() {
        // A time whose UTC day falls in year 10000 has no `YYYY` day (it was filed as 0000-01-01).
        #expect(day("9999-12-31T23:59:59-01:00") == nil)
        #expect(day("9999-12-31T22:59:59-01:00") == "9999-12-31")
        // Year 0 has no day, as in PostgreSQL (a database read them as none, a file as 0000-12-31).
        #expect(day("0001-01-01T00:30:00+01:00") == nil)
        #expect(day("0000-06-01") == nil && day("0000-06-01T10:00:00Z") == nil)
        #expect(day("0001-01-01T00:30:00Z") == "0001-01-01")
        for text in ["", "yesterday", "2025-13-01", "2025-02-30", "2025-11-17T25:00:00Z", "2025-11-17T10:00:00Zjunk", "17/11/2025", "2025-11-17T10",
                     "2025-11-17T10:00:00+0", "2025-11-17T10:00:00+05:", "2025-11-17T10:00:00+24"] {
            #expect(day(text) == nil, "\(text)")
        }
    }

    @Test func epochDaysRoundTrip() {
        for days in [-1000, 0, 1, 19_000, 20_410, 60_000] {
            let date = UTCDay(daysSinceEpoch: days)
            #expect(UTCDay.daysSinceEpoch(year: date.year, month: date.month, day: date.day) == days)
        }
        #expect(UTCDay(daysSinceEpoch: 0).text == "1970-01-01")
    }
}
