import CZlib
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a reader's bytes come from: a byte range of a file, or a gzip stream inflated
/// on the way. Called once per buffer refill, so an existential is cheap enough.
protocol ByteSource: AnyObject {
    /// Fills up to `count` bytes at `destination`; 0 means the end of the input.
    func read(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int
}

/// The bytes of a file from `offset` up to `limit` (or its end), read with `pread`.
final class FileSource: ByteSource {
    let path: String
    private let descriptor: Int32
    private(set) var offset: Int
    private let limit: Int

    init(path: String, range: Range<Int>? = nil) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw LogReadError(path: path, message: "cannot open the file: \(Self.describe(errno))")
        }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw LogReadError(path: path, message: "cannot read the file: it is a directory")
        }
        self.descriptor = descriptor
        offset = max(0, range?.lowerBound ?? 0)
        limit = range?.upperBound ?? Int.max
        #if canImport(Glibc)
        _ = posix_fadvise(descriptor, off_t(offset), 0, POSIX_FADV_SEQUENTIAL)
        #endif
    }

    deinit { close(descriptor) }

    func read(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        let wanted = min(count, limit - offset)
        guard wanted > 0 else { return 0 }
        while true {
            let got = pread(descriptor, destination, wanted, off_t(offset))
            if got >= 0 {
                offset += got
                return got
            }
            if errno == EINTR { continue }
            throw LogReadError(path: path, message: "cannot read at byte \(offset): \(Self.describe(errno))")
        }
    }

    /// Up to `count` bytes at `position`, without moving the sequential offset.
    func read(at position: Int, into destination: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        while true {
            let got = pread(descriptor, destination, count, off_t(position))
            if got >= 0 { return got }
            if errno == EINTR { continue }
            throw LogReadError(path: path, message: "cannot read at byte \(position): \(Self.describe(errno))")
        }
    }

    /// The size of the file now.
    func size() throws -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw LogReadError(path: path, message: "cannot read the file size: \(Self.describe(errno))")
        }
        return Int(info.st_size)
    }

    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// A gzip file inflated with zlib as it is read. Concatenated members (as `cat a.gz b.gz`
/// or `gzip` appending produce) are read one after another; a stream that is corrupt or
/// ends before its last member is complete throws. An empty file is an empty log.
final class GzipSource: ByteSource {
    private let file: FileSource
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutablePointer<UInt8>
    private let inputCapacity: Int
    /// Compressed bytes handed to zlib so far (for error messages).
    private var consumedBefore = 0
    private var inputExhausted = false
    /// Inside a member (header seen, end not yet reached).
    private var inMember = false
    /// A member ended: what follows is another member, or padding to ignore.
    private var afterMember = false
    private var finished = false
    /// Where the compressed stream stopped in the middle of a member (a file cut short), if it did:
    /// the lines before it have been read; the reader says so.
    private(set) var cutAfter: Int?
    /// Bytes inflated so far, over all members.
    private var inflated = 0
    /// Set when the stream was stopped for unpacking to more than `maximumRatio` times its
    /// compressed size (past the first `ratioFreeBytes`): the bytes inflated by then.
    private(set) var stoppedAfter: Int?
    /// Real logs compress 5–30 times; deflate's limit is about 1,030 (a file of blank lines). A
    /// 4 MB file unpacking to 4 GiB of blank lines read for minutes: such a stream is stopped.
    static let maximumRatio = 200
    static let ratioFreeBytes = 64 << 20

    init(path: String, inputCapacity: Int = 256 << 10) throws {
        file = try FileSource(path: path)
        self.inputCapacity = inputCapacity
        input = .allocate(capacity: inputCapacity)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 32: the largest window, and detect a gzip (or zlib) header automatically.
        let status = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            input.deallocate()
            stream.deallocate()
            throw LogReadError(path: path, message: "cannot start zlib (error \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    private var compressedPosition: Int { consumedBefore + Int(stream.pointee.total_in) }

    func read(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        guard !finished, count > 0 else { return 0 }
        stream.pointee.next_out = destination
        stream.pointee.avail_out = UInt32(clamping: count)
        let wanted = Int(stream.pointee.avail_out)
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 {
                if !inputExhausted {
                    let got = try file.read(into: input, count: inputCapacity)
                    if got == 0 {
                        inputExhausted = true
                    } else {
                        stream.pointee.next_in = input
                        stream.pointee.avail_in = UInt32(got)
                    }
                }
                if stream.pointee.avail_in == 0 && inputExhausted {
                    if inMember { cutAfter = compressedPosition }
                    finished = true
                    break
                }
            }
            // After a member, only another member's magic byte starts one: gzip ignores what else
            // follows (the zero bytes a copy or a tape pads with, trailing garbage).
            if afterMember {
                afterMember = false
                if stream.pointee.next_in.pointee != 0x1F {
                    finished = true
                    break
                }
            }
            inMember = true
            let status = inflate(stream, Z_NO_FLUSH)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                // One member done; another may follow in the remaining input.
                inMember = false
                consumedBefore += Int(stream.pointee.total_in)
                inflateReset(stream)
                afterMember = true
                if stream.pointee.avail_in == 0 && inputExhausted {
                    finished = true
                }
            case Z_BUF_ERROR:
                // No progress possible: needs more input (read above on the next turn).
                if stream.pointee.avail_in != 0 {
                    throw LogReadError(path: file.path, message: "corrupt gzip data near compressed byte \(compressedPosition)")
                }
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw LogReadError(path: file.path, message: "corrupt gzip data near compressed byte \(compressedPosition): \(reason)")
            }
            if finished { break }
        }
        let produced = wanted - Int(stream.pointee.avail_out)
        inflated += produced
        if inflated > Self.ratioFreeBytes, inflated / max(1, compressedPosition) > Self.maximumRatio {
            stoppedAfter = inflated
            finished = true
        }
        return produced
    }
}
