import Foundation

/// A latency distribution in logarithmic buckets (the DDSketch idea): every value `v`
/// falls in bucket `ceil(log(v) / log(γ))`, γ = (1 + α) / (1 − α), so any quantile it
/// answers is within a relative error α = 0.5% of the true value. Buckets are counts and the
/// sum is an integer of millionths of a millisecond, so merging two sketches adds integers:
/// exact, associative and commutative (the mean is the same however the values were grouped).
public struct LatencySketch: Sendable, Equatable {
    /// The relative accuracy of every quantile.
    public static let relativeAccuracy = 0.005
    static let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
    static let logGamma = log(gamma)
    /// Values at or below this (in ms) share bucket `zeroIndex`: sub-millisecond detail does not matter here.
    static let smallest = 1.0

    /// Counts of buckets `offset ..< offset + counts.count`.
    public private(set) var offset: Int32 = 0
    public private(set) var counts: [UInt32] = []
    public private(set) var count = 0
    /// The sum of the values in millionths of a millisecond (`FixedPointMoments.units(_:)`), exact.
    public private(set) var sum: Int128 = 0
    public private(set) var minimum = Double.infinity
    public private(set) var maximum = -Double.infinity

    public init() {}

    /// The bucket a value falls in.
    @inline(__always)
    public static func index(of value: Double) -> Int32 {
        value <= smallest ? 0 : Int32((log(value) / logGamma).rounded(.up))
    }

    /// The value a bucket stands for: the point with equal relative distance to both edges.
    public static func value(ofBucket index: Int32) -> Double {
        index <= 0 ? smallest : 2 * pow(gamma, Double(index)) / (gamma + 1)
    }

    /// Adds a value (ms); one beyond 64 bits of millionths (readers pass at most 30 days) adds to
    /// the buckets, the count and the extremes but nothing to the sum.
    public mutating func add(_ value: Double) {
        add(value, units: FixedPointMoments.units(value) ?? 0, bucket: Self.index(of: value))
    }

    /// Adds a value whose millionths and bucket are already known (one `log` per record, shared by every group).
    @inline(__always)
    mutating func add(_ value: Double, units: Int64, bucket: Int32) {
        addCount(1, toBucket: bucket)
        count += 1
        sum += Int128(units)
        if value < minimum { minimum = value }
        if value > maximum { maximum = value }
    }

    @inline(__always)
    private mutating func addCount(_ amount: UInt32, toBucket bucket: Int32) {
        if counts.isEmpty {
            offset = bucket
            counts = [amount]
            return
        }
        if bucket < offset {
            counts.insert(contentsOf: repeatElement(0, count: Int(offset - bucket)), at: 0)
            offset = bucket
        } else if Int(bucket - offset) >= counts.count {
            counts.append(contentsOf: repeatElement(0, count: Int(bucket - offset) - counts.count + 1))
        }
        counts[Int(bucket - offset)].addSaturating(amount)
    }

    public mutating func merge(_ other: LatencySketch) {
        guard other.count > 0 else { return }
        if counts.isEmpty {
            offset = other.offset
            counts = other.counts
        } else {
            // Widen once to both ranges, then add bucket by bucket.
            let low = Swift.min(Int(offset), Int(other.offset))
            let high = Swift.max(Int(offset) + counts.count, Int(other.offset) + other.counts.count)
            if low < Int(offset) || high > Int(offset) + counts.count {
                var grown = [UInt32](repeating: 0, count: high - low)
                let shift = Int(offset) - low
                grown.withUnsafeMutableBufferPointer { target in
                    counts.withUnsafeBufferPointer { source in
                        for index in source.indices { target[shift + index] = source[index] }
                    }
                }
                counts = grown
                offset = Int32(low)
            }
            let shift = Int(other.offset) - Int(offset)
            counts.withUnsafeMutableBufferPointer { target in
                other.counts.withUnsafeBufferPointer { source in
                    for index in source.indices { target[shift + index].addSaturating(source[index]) }
                }
            }
        }
        count += other.count
        // Cannot overflow for values added one by one (fewer than 2⁶³ of less than 2⁵²); parts read back
        // from a database saturate rather than trap.
        let (total, overflow) = sum.addingReportingOverflow(other.sum)
        sum = overflow ? .max : total
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }

    public var mean: Double? { count == 0 ? nil : Double(sum) / (Double(count) * Double(FixedPointMoments.scale)) }

    /// The `q`-quantile (0…1) by nearest rank: the value of rank ⌈q·n⌉, within 0.5%;
    /// the exact minimum and maximum at the ends. Nil when empty.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = Swift.max(1, Int((q * Double(count)).rounded(.up)))
        if rank <= 1 { return minimum }
        if rank >= count { return maximum }
        var seen = 0
        for (position, amount) in counts.enumerated() {
            seen += Int(amount)
            if seen >= rank {
                let estimate = Self.value(ofBucket: offset + Int32(position))
                return Swift.min(Swift.max(estimate, minimum), maximum)
            }
        }
        return maximum
    }

    /// Rebuilds a sketch from its stored parts (the cache); nil when they are inconsistent.
    public init?(offset: Int32, counts: [UInt32], sum: Int128, minimum: Double, maximum: Double) {
        let total = counts.reduce(0) { $0 + Int($1) }
        guard total == 0 || (minimum <= maximum && minimum >= 0 && sum >= 0) else { return nil }
        self.offset = offset
        self.counts = counts
        self.count = total
        self.sum = sum
        self.minimum = total == 0 ? .infinity : minimum
        self.maximum = total == 0 ? -.infinity : maximum
    }
}

extension UInt32 {
    /// A bucket count past 4,294,967,295 (a database's counts, merged) stays there instead of wrapping to a few.
    @inline(__always)
    mutating func addSaturating(_ amount: UInt32) {
        let (total, overflow) = addingReportingOverflow(amount)
        self = overflow ? .max : total
    }
}
