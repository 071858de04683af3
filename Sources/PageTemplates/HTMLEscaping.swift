/// The bytes of text escaped for HTML element content and quoted attributes: `& < > " '` as
/// entities, and control characters (HTML parse errors, never meant as text) as their pictures
/// (␛, ␇), as a terminal shows them. By bytes, not Characters: `<` joined to a mark (`<` + U+0301)
/// is a Character that is not `<`, but a browser still reads the `<`. Templates' `{{name}}` and
/// the markup the build makes in Swift (diff tables, SVG) escape with this one function.
public enum HTMLEscaping {
    /// Bytes below 0x40 that are escaped, one bit each: controls but tab, line feed and carriage
    /// return, and `"`, `&`, `'`, `<`, `>`. Above 0x3F only DEL is (a mask test per byte instead of
    /// a chain of comparisons: escaping is a few percent of a build).
    private static let escapedBelow0x40: UInt64 = 0x1FF | 1 << 0x0B | 1 << 0x0C | 0xFFFF_C000
        | 1 << 0x22 | 1 << 0x26 | 1 << 0x27 | 1 << 0x3C | 1 << 0x3E

    @inline(__always)
    public static func isEscaped(_ byte: UInt8) -> Bool {
        byte < 0x40 ? escapedBelow0x40 >> UInt64(byte) & 1 == 1 : byte == 0x7F
    }

    /// Appends `text` escaped; runs of bytes that need no escaping are appended whole.
    public static func append(escaping text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            let count = bytes.count
            var start = 0, index = 0
            while index < count {
                let byte = base[index]
                guard isEscaped(byte) else {
                    index += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(start: base + start, count: index - start))
                switch byte {
                case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
                case 0x7F: out.append(contentsOf: [0xE2, 0x90, 0xA1])
                default: out.append(contentsOf: [0xE2, 0x90, 0x80 + byte])
                }
                index += 1
                start = index
            }
            out.append(contentsOf: UnsafeBufferPointer(start: base + start, count: count - start))
        }
    }
}
