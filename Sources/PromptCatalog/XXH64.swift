/// XXH64 (Yann Collet's xxHash, 64-bit): a fast non-cryptographic hash, used to
/// recognise log files whose content did not change and the prefix of files that grew, and to
/// name what a version file held when it was read.
/// Streaming: feed any number of byte buffers, then read `digest`.
public struct XXH64 {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    private let seed: UInt64
    private var lanes: (UInt64, UInt64, UInt64, UInt64)
    /// Up to 31 bytes not yet consumed, inline: fingerprints feed many small values, and an
    /// array here cost an allocation per hasher and a slice copy per value.
    private var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var buffered = 0
    private var length: UInt64 = 0

    public init(seed: UInt64 = 0) {
        self.seed = seed
        lanes = (seed &+ Self.prime1 &+ Self.prime2, seed &+ Self.prime2, seed, seed &- Self.prime1)
    }

    /// The hash of one buffer.
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        var hasher = XXH64(seed: seed)
        hasher.update(bytes)
        return hasher.digest
    }

    public static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    @inline(__always)
    private static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        let mixed = accumulator &+ input &* prime2
        return ((mixed << 31) | (mixed >> 33)) &* prime1
    }

    @inline(__always)
    private static func mergeRound(_ accumulator: UInt64, _ lane: UInt64) -> UInt64 {
        (accumulator ^ round(0, lane)) &* prime1 &+ prime4
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        length &+= UInt64(bytes.count)
        var position = 0
        if buffered > 0 || bytes.count < 32 {
            let take = min(32 - buffered, bytes.count)
            let start = buffered
            withUnsafeMutableBytes(of: &buffer) { $0.baseAddress!.advanced(by: start).copyMemory(from: bytes.baseAddress!, byteCount: take) }
            buffered += take
            position = take
            guard buffered == 32 else { return }
            let full = buffer
            withUnsafeBytes(of: full) { consumeStripes($0, count: 32) }
            buffered = 0
        }
        let remaining = UnsafeRawBufferPointer(rebasing: bytes[position...])
        let whole = remaining.count / 32 * 32
        if whole > 0 { consumeStripes(remaining, count: whole) }
        let rest = remaining.count - whole
        if rest > 0 {
            withUnsafeMutableBytes(of: &buffer) { $0.baseAddress!.copyMemory(from: remaining.baseAddress! + whole, byteCount: rest) }
            buffered = rest
        }
    }

    @inline(__always)
    private mutating func consumeStripes(_ bytes: UnsafeRawBufferPointer, count: Int) {
        var (v1, v2, v3, v4) = lanes
        var offset = 0
        while offset < count {
            v1 = Self.round(v1, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian)
            v2 = Self.round(v2, bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self).littleEndian)
            v3 = Self.round(v3, bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self).littleEndian)
            v4 = Self.round(v4, bytes.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self).littleEndian)
            offset += 32
        }
        lanes = (v1, v2, v3, v4)
    }

    public var digest: UInt64 {
        var hash: UInt64
        if length >= 32 {
            let (v1, v2, v3, v4) = lanes
            hash = ((v1 << 1) | (v1 >> 63)) &+ ((v2 << 7) | (v2 >> 57)) &+ ((v3 << 12) | (v3 >> 52)) &+ ((v4 << 18) | (v4 >> 46))
            hash = Self.mergeRound(hash, v1)
            hash = Self.mergeRound(hash, v2)
            hash = Self.mergeRound(hash, v3)
            hash = Self.mergeRound(hash, v4)
        } else {
            hash = seed &+ Self.prime5
        }
        hash &+= length
        let count = buffered
        withUnsafeBytes(of: buffer) { stored in
            let tail = UnsafeRawBufferPointer(rebasing: stored[0..<count])
            var offset = 0
            while offset + 8 <= tail.count {
                let lane = Self.round(0, tail.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian)
                hash ^= lane
                hash = ((hash << 27) | (hash >> 37)) &* Self.prime1 &+ Self.prime4
                offset += 8
            }
            if offset + 4 <= tail.count {
                hash ^= UInt64(tail.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian) &* Self.prime1
                hash = ((hash << 23) | (hash >> 41)) &* Self.prime2 &+ Self.prime3
                offset += 4
            }
            while offset < tail.count {
                hash ^= UInt64(tail[offset]) &* Self.prime5
                hash = ((hash << 11) | (hash >> 53)) &* Self.prime1
                offset += 1
            }
        }
        hash ^= hash >> 33
        hash &*= Self.prime2
        hash ^= hash >> 29
        hash &*= Self.prime3
        hash ^= hash >> 32
        return hash
    }
}
