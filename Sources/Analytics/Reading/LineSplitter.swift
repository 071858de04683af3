/// Cuts a stream of byte blocks into lines with a fixed buffer: a partial line is carried
/// to the front for the next read; a line longer than the buffer grows it (for that line).
struct LineSplitter {
    static let defaultBlockSize = 1 << 20

    /// Calls `line` with each line's bytes (without "\n") and its 1-based number; returns the line count.
    static func lines(of source: inout some ByteBlocks, blockSize: Int = defaultBlockSize,
                      _ line: (UnsafeBufferPointer<UInt8>, Int) -> Void) throws -> Int {
        var capacity = blockSize
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0
        var number = 0
        while true {
            if filled == capacity {
                // One line fills the whole buffer: make room.
                let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity * 2, alignment: 16)
                bigger.copyMemory(from: UnsafeRawBufferPointer(buffer))
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<capacity]))
            let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            if count == 0 {
                if filled > 0 {
                    number += 1
                    line(UnsafeBufferPointer(start: base, count: filled), number)
                }
                return number
            }
            let end = filled + count
            var start = 0
            var scan = filled
            while scan < end, let found = memchr(base + scan, 0x0A, end - scan) {
                let position = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                number += 1
                line(UnsafeBufferPointer(start: base + start, count: position - start), number)
                start = position + 1
                scan = start
            }
            filled = end - start
            if start > 0, filled > 0 { memmove(base, base + start, filled) }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
