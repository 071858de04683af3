#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem found at a byte of the line being parsed; the reader turns it into a
/// malformed report with a column. The address is kept as an integer so the error is
/// `Sendable`.
struct ScanFailure: Error {
    let address: UInt
    let message: String

    init(at position: UnsafePointer<UInt8>, _ message: String) {
        address = UInt(bitPattern: position)
        self.message = message
    }

    /// A problem of the whole line (such as a missing field): no column.
    init(_ message: String) {
        address = 0
        self.message = message
    }

    /// 0-based byte offset from `lineStart`, or nil for a problem of the whole line.
    func offset(from lineStart: UnsafePointer<UInt8>) -> Int? {
        address == 0 ? nil : Int(bitPattern: address &- UInt(bitPattern: lineStart))
    }
}

enum ByteScanning {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The high bit of the first byte of `word` (little-endian) that is `"`, `\`, below
    /// 0x20 or above 0x7F is set; bits above the first such byte may be set spuriously.
    /// Zero when the eight bytes are plain string content.
    @inline(__always)
    static func stringSpecials(_ word: UInt64) -> UInt64 {
        let quotes = word ^ (0x22 &* ones)
        let backslashes = word ^ (0x5C &* ones)
        let quoteHit = (quotes &- ones) & ~quotes
        let backslashHit = (backslashes &- ones) & ~backslashes
        let controlHit = (word &- 0x20 &* ones) & ~word
        return (quoteHit | backslashHit | controlHit | word) & highBits
    }

    /// The end of the UTF-8 sequence that starts with the non-ASCII byte at `position`,
    /// or nil when it is not valid UTF-8 (overlong, surrogate, beyond U+10FFFF, cut short).
    @inline(__always)
    static func utf8SequenceEnd(_ position: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
        let lead = position[0]
        let available = end - position
        @inline(__always) func continuation(_ offset: Int) -> Bool { position[offset] & 0xC0 == 0x80 }
        switch lead {
        case 0xC2...0xDF:
            guard available >= 2, continuation(1) else { return nil }
            return position + 2
        case 0xE0...0xEF:
            guard available >= 3 else { return nil }
            let second = position[1]
            switch lead {
            case 0xE0: guard second >= 0xA0 && second <= 0xBF else { return nil }
            case 0xED: guard second >= 0x80 && second <= 0x9F else { return nil }
            default: guard continuation(1) else { return nil }
            }
            guard continuation(2) else { return nil }
            return position + 3
        case 0xF0...0xF4:
            guard available >= 4 else { return nil }
            let second = position[1]
            switch lead {
            case 0xF0: guard second >= 0x90 && second <= 0xBF else { return nil }
            case 0xF4: guard second >= 0x80 && second <= 0x8F else { return nil }
            default: guard continuation(1) else { return nil }
            }
            guard continuation(2), continuation(3) else { return nil }
            return position + 4
        default:
            return nil
        }
    }

    /// The first byte in `bytes` that is not part of valid UTF-8, or nil when all is valid.
    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafePointer<UInt8>? {
        guard var position = bytes.baseAddress else { return nil }
        let end = position + bytes.count
        while position < end {
            if end - position >= 8 {
                let word = UnsafeRawPointer(position).loadUnaligned(as: UInt64.self)
                if word & highBits == 0 {
                    position += 8
                    continue
                }
            }
            if position[0] < 0x80 {
                position += 1
            } else if let next = utf8SequenceEnd(position, end) {
                position = next
            } else {
                return position
            }
        }
        return nil
    }

    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses a JSON number (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`)
    /// starting at `start`. Exact and fast when the digits fit 2^53 and the decimal
    /// exponent is within ±22 (both factors are then exact doubles, so one rounding);
    /// otherwise `strtod` decides. Returns the value and the first byte after the number.
    @inline(__always)
    static func parseNumber(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws(ScanFailure) -> (Double, UnsafePointer<UInt8>) {
        var position = start
        let negative = position[0] == 0x2D
        if negative { position += 1 }
        guard position < end, position[0] &- 0x30 < 10 else {
            throw ScanFailure(at: position, "a number needs a digit after `-`")
        }
        var mantissa: UInt64 = 0
        var exponent = 0
        var exact = true
        if position[0] == 0x30 {
            position += 1
            if position < end, position[0] &- 0x30 < 10 {
                throw ScanFailure(at: start, "a number cannot start with a leading zero")
            }
        } else {
            while position < end {
                let digit = position[0] &- 0x30
                guard digit < 10 else { break }
                if mantissa < 1_000_000_000_000_000_000 / 10 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                } else {
                    exponent += 1
                    exact = false
                }
                position += 1
            }
        }
        if position < end, position[0] == 0x2E {
            position += 1
            guard position < end, position[0] &- 0x30 < 10 else {
                throw ScanFailure(at: position, "expected a digit after the decimal point")
            }
            while position < end {
                let digit = position[0] &- 0x30
                guard digit < 10 else { break }
                if mantissa < 1_000_000_000_000_000_000 / 10 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    exponent -= 1
                } else {
                    exact = false
                }
                position += 1
            }
        }
        if position < end, position[0] | 0x20 == 0x65 {
            position += 1
            var negativeExponent = false
            if position < end, position[0] == 0x2D || position[0] == 0x2B {
                negativeExponent = position[0] == 0x2D
                position += 1
            }
            guard position < end, position[0] &- 0x30 < 10 else {
                throw ScanFailure(at: position, "expected a digit in the exponent")
            }
            var written = 0
            while position < end {
                let digit = position[0] &- 0x30
                guard digit < 10 else { break }
                if written < 100_000 { written = written * 10 + Int(digit) }
                position += 1
            }
            exponent += negativeExponent ? -written : written
        }
        if exact, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            let magnitude = exponent >= 0
                ? Double(mantissa) * powersOfTen[exponent]
                : Double(mantissa) / powersOfTen[-exponent]
            return (negative ? -magnitude : magnitude, position)
        }
        return (slowParse(start, count: position - start), position)
    }

    /// `strtod` on a copy of the bytes (it needs a terminating NUL).
    static func slowParse(_ start: UnsafePointer<UInt8>, count: Int) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            let base = buffer.baseAddress!
            UnsafeMutableRawPointer(base).copyMemory(from: start, byteCount: count)
            base[count] = 0
            return strtod(base, nil)
        }
    }

    /// Up to `limit` bytes of `bytes` for a message, with "…" when cut.
    static func quote(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = 40) -> String {
        if bytes.count <= limit { return String(decoding: bytes, as: UTF8.self) }
        var cut = limit
        // Do not cut inside a UTF-8 sequence.
        while cut > 0, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<cut]), as: UTF8.self) + "…"
    }

    /// How a byte reads in a message: `x` for printable ASCII, else its hex value.
    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "`\(Character(Unicode.Scalar(byte)))`" }
        switch byte {
        case 0x20: return "a space"
        case 0x09: return "a tab"
        default: return "byte 0x\(String(byte, radix: 16, uppercase: true))"
        }
    }
}
