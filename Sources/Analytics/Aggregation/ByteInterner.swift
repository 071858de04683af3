import Foundation

/// Gives each distinct byte string a small number, without making a `String` for
/// strings seen before: the hot path of log aggregation looks up every field of every
/// record here. Open addressing over a power-of-two table; bytes kept in one arena.
struct ByteInterner {
    private var arena: [UInt8] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var hashes: [UInt64] = []
    /// Slot → id + 1 (0 = empty).
    private var table = [Int32](repeating: 0, count: 256)
    private(set) var strings: [String] = []

    var count: Int { strings.count }

    /// The id of `bytes`, adding it when new.
    @inline(__always)
    mutating func id(_ bytes: ByteString) -> Int32 {
        let hash = Self.hash(bytes.bytes)
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = table[slot]
            if entry == 0 { break }
            let id = Int(entry - 1)
            if hashes[id] == hash, lengths[id] == bytes.count, equalsStored(id, bytes) { return Int32(id) }
            slot = (slot + 1) & mask
        }
        let id = Int32(strings.count)
        starts.append(arena.count)
        lengths.append(bytes.count)
        hashes.append(hash)
        arena.append(contentsOf: bytes.bytes)
        strings.append(bytes.string.canonicalName)
        table[slot] = id + 1
        if strings.count * 2 > table.count { grow() }
        return id
    }

    mutating func id(_ string: String) -> Int32 {
        var copy = string
        return copy.withUTF8 { id(ByteString($0)) }
    }

    subscript(id: Int32) -> String { strings[Int(id)] }

    private func equalsStored(_ id: Int, _ bytes: ByteString) -> Bool {
        guard bytes.count > 0 else { return true }
        return arena.withUnsafeBufferPointer { stored in
            memcmp(stored.baseAddress! + starts[id], bytes.bytes.baseAddress!, bytes.count) == 0
        }
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: 0, count: table.count * 2)
        let mask = bigger.count - 1
        for id in 0..<strings.count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while bigger[slot] != 0 { slot = (slot + 1) & mask }
            bigger[slot] = Int32(id + 1)
        }
        table = bigger
    }

    /// A fast 64-bit hash of short byte strings, eight bytes at a time.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            index += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count {
            tail |= UInt64(base[index]) << shift
            shift += 8
            index += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 29)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// The name in Unicode NFC (`e` + U+0301 → `é`): names that Swift calls equal are one group,
    /// and the spelling a group shows no longer depends on which record came first (or on the
    /// order a dictionary was walked in), so the analytics are the same bytes on every run.
    var canonicalName: String {
        utf8.allSatisfy { $0 < 0x80 } ? self : precomposedStringWithCanonicalMapping
    }
}
