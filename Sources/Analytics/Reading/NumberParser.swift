#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// JSON numbers from bytes: exact for up to 15 significant digits and small exponents,
/// `strtod` for the rest.
enum NumberParser {
    private static let powers: [Double] = (0...22).map { pow(10, Double($0)) }

    /// Parses a JSON number starting at `start`; returns it and the index after it, or nil.
    @inline(__always)
    static func parse(_ bytes: UnsafePointer<UInt8>, from start: Int, end: Int) -> (value: Double, end: Int)? {
        var index = start
        var negative = false
        if index < end, bytes[index] == 0x2D {
            negative = true
            index += 1
        }
        guard index < end, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        if bytes[index] == 0x30 {
            index += 1
        } else {
            while index < end, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                if digits < 19 { mantissa = mantissa * 10 + UInt64(bytes[index] - 0x30); digits += 1 } else { exponent += 1 }
                index += 1
            }
        }
        if index < end, bytes[index] == 0x2E {
            index += 1
            guard index < end, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
            while index < end, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                if digits < 19 { mantissa = mantissa * 10 + UInt64(bytes[index] - 0x30); digits += 1; exponent -= 1 }
                index += 1
            }
        }
        if index < end, bytes[index] == 0x65 || bytes[index] == 0x45 {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == 0x2B || bytes[index] == 0x2D {
                exponentNegative = bytes[index] == 0x2D
                index += 1
            }
            guard index < end, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
            var written = 0
            while index < end, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                if written < 10_000 { written = written * 10 + Int(bytes[index] - 0x30) }
                index += 1
            }
            exponent += exponentNegative ? -written : written
        }
        if digits <= 15, abs(exponent) <= 22 {
            var value = Double(mantissa)
            value = exponent < 0 ? value / powers[-exponent] : value * powers[exponent]
            return (negative ? -value : value, index)
        }
        // Rare: more digits or a large exponent. Let the C library round correctly.
        let length = index - start
        let text = UnsafeMutablePointer<CChar>.allocate(capacity: length + 1)
        defer { text.deallocate() }
        for offset in 0..<length { text[offset] = CChar(bitPattern: bytes[start + offset]) }
        text[length] = 0
        return (strtod(text, nil), index)
    }

    /// A whole field that must be a number (CSV), surrounding spaces allowed.
    static func parseWhole(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let base = bytes.baseAddress else { return nil }
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 { end -= 1 }
        guard let (value, stop) = parse(base, from: start, end: end), stop == end else { return nil }
        return value
    }
}
