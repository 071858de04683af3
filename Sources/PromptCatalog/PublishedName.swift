/// Names from content and logs become path segments of the site. A name that cannot be one —
/// too long in bytes once encoded, reserved (`index.html` beside a folder's own page), or
/// empty — gets a stable short form instead of costing the whole build, and `problem` says so
/// at the name's source.
public enum PublishedName {
    /// The longest segment published as-is, in bytes (file systems allow 255; `.json` and
    /// duplicate suffixes such as `~d2` must still fit).
    public static let longestSegment = 120
    /// Names that would collide with the site's own files in the same folder.
    public static let reserved: Set<String> = ["index.html"]

    /// Text as one path segment, reversibly for ordinary names: ASCII letters, digits, `_`, `-`
    /// and a `.` that neither starts the text nor follows another `.` stay (so no segment is `.`,
    /// `..` or hidden); every other byte becomes `~XX` (upper-case hex), so different texts stay
    /// different. A reserved name has its dots escaped; a segment over `longestSegment` bytes is
    /// cut and ends in `~h` and a 64-bit FNV-1a hash of the whole name (`~h` never comes out of
    /// the encoding), so it stays stable across builds and distinct from its neighbours.
    public static func segment(_ text: String) -> String {
        guard !text.isEmpty else { return "~" }
        // Bytes, not Characters: this runs for every link of every page.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var previous: UInt8 = 0
        let digits = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            let kept = (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || (byte == UInt8(ascii: ".") && previous != 0 && previous != UInt8(ascii: "."))
            if kept {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "~"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
            }
            previous = byte
        }
        let out = String(decoding: bytes, as: UTF8.self)
        if reserved.contains(out) { return out.replacingDots() }
        guard out.utf8.count > longestSegment else { return out }
        var head = String(out.prefix(80))
        // Never end inside a `~XX` escape.
        if let tilde = head.lastIndex(of: "~"), head.distance(from: tilde, to: head.endIndex) < 3 { head = String(head[..<tilde]) }
        return head + "~h" + fnv1a64(text)
    }

    /// Why `text` is not published under its own name, or nil when it is.
    public static func problem(_ text: String) -> String? {
        if text.isEmpty { return "is empty" }
        let published = segment(text)
        if reserved.contains(text) { return "is a name the site uses for its own pages; it is published as `\(published)`" }
        if published.hasSuffix(fnv1a64(text)), published.contains("~h") {
            return "is \(text.utf8.count) bytes, too long for a file name once encoded; it is published as `\(published)`"
        }
        return nil
    }

    public static func fnv1a64(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

}

private extension String {
    func replacingDots() -> String { split(separator: ".", omittingEmptySubsequences: false).joined(separator: "~2E") }
}
