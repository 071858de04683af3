import CZlib
import Foundation

/// A source of bytes read in blocks: a byte range of a file, or a gzip stream.
protocol ByteBlocks {
    /// The next bytes into `buffer` (up to its count); 0 at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Why a log file could not be read.
public struct LogReadError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// An open file descriptor, closed when the value goes away.
final class OpenFile {
    let descriptor: Int32

    init(_ url: URL) throws {
        descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else { throw LogReadError(description: "cannot open \(url.lastPathComponent): \(String(cString: strerror(errno)))") }
    }

    deinit { close(descriptor) }

    var size: Int {
        var info = stat()
        return fstat(descriptor, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Reads at `offset`, retrying on interruption; 0 at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        while true {
            let count = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno != EINTR { throw LogReadError(description: "read failed: \(String(cString: strerror(errno)))") }
        }
    }
}

/// Bytes `range` of a file.
struct FileBlocks: ByteBlocks {
    let file: OpenFile
    var position: Int
    let end: Int

    init(_ file: OpenFile, range: Range<Int>) {
        self.file = file
        position = range.lowerBound
        end = range.upperBound
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard position < end else { return 0 }
        let wanted = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, end - position)])
        let count = try file.read(into: wanted, at: position)
        position += count
        return count
    }
}

/// The decompressed bytes of a gzip file (several concatenated members allowed).
final class GzipBlocks: ByteBlocks {
    private let file: OpenFile
    private var stream = z_stream()
    private var input: UnsafeMutableRawBufferPointer
    private var filePosition = 0
    private var fileEnded = false
    private var finished = false
    private let name: String

    init(_ file: OpenFile, name: String) throws {
        self.file = file
        self.name = name
        input = .allocate(byteCount: 1 << 18, alignment: 8)
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            input.deallocate()
            throw LogReadError(description: "\(name): cannot start gzip decompression")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished else { return 0 }
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(buffer.count)
        while stream.avail_out > 0 {
            if stream.avail_in == 0, !fileEnded {
                let count = try file.read(into: input, at: filePosition)
                filePosition += count
                if count == 0 { fileEnded = true }
                stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = UInt32(count)
            }
            if stream.avail_in == 0, fileEnded {
                // Input ended inside a member: truncated.
                if stream.total_in > 0 || filePosition > 0 {
                    throw LogReadError(description: "\(name) is truncated: the gzip stream ends early after \(filePosition) bytes")
                }
                finished = true
                break
            }
            let result = inflate(&stream, Z_NO_FLUSH)
            switch result {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                // Another member may follow; a file that ends here is complete.
                if stream.avail_in == 0 {
                    let count = try file.read(into: input, at: filePosition)
                    filePosition += count
                    stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_in = UInt32(count)
                    if count == 0 {
                        fileEnded = true
                        finished = true
                        return buffer.count - Int(stream.avail_out)
                    }
                }
                inflateReset(&stream)
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "error \(result)"
                throw LogReadError(description: "\(name) is not valid gzip data (\(message)) near byte \(filePosition)")
            }
        }
        return buffer.count - Int(stream.avail_out)
    }
}
