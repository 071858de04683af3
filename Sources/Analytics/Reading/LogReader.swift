import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streaming readers for generation logs (SPEC §2.10): memory stays at one buffer (1 MiB,
/// at most twice the line bound while a longer line is in it) whatever the size of the file;
/// a line longer than the bound is skipped as malformed without being kept. Every problem
/// with the content goes to the sink as a malformed line; only I/O failures throw
/// (`LogReadError`: the file vanished or cannot be read, a gzip stream is corrupt or cut).
public enum LogReader {
    /// Lines (and CSV records) longer than this many bytes are skipped as malformed (Site.json `logs.maxLineBytes`).
    public static let defaultMaximumLineLength = 1 << 20

    /// Reads a whole file sequentially; returns the number of lines read (a final line
    /// without "\n" counts; an empty file is 0 lines; CSV: the header row counts as line 1,
    /// so record lines are numbered as in an editor).
    public static func read(_ url: URL, format: LogFormat, maximumLineLength: Int = LogReader.defaultMaximumLineLength,
                            columns: LogColumns = .promptsite, into sink: inout some LogSink) throws -> Int {
        try read(url, format: format, bufferSize: LineReader.defaultBufferSize, maximumLineLength: maximumLineLength, columns: columns, into: &sink)
    }

    /// Reads the byte range of a JSON Lines file (ranges come from `chunks` or start at a
    /// previous file length); lines numbered from 1 at `range.lowerBound`. A range that
    /// ends inside a line reads the part before its end as the last line.
    public static func readJSONLines(_ url: URL, range: Range<Int>, maximumLineLength: Int = LogReader.defaultMaximumLineLength,
                                     columns: LogColumns = .promptsite, into sink: inout some LogSink) throws -> Int {
        try readJSONLines(url, range: range, bufferSize: LineReader.defaultBufferSize, maximumLineLength: maximumLineLength, columns: columns,
                          into: &sink)
    }

    /// Byte ranges of about `approximateSize` bytes covering the whole file, each starting
    /// at the start of a line (after a "\n"), in order. Finds boundaries by reading a
    /// little around each split point, not the whole file. An empty file has no ranges.
    public static func chunks(of url: URL, approximateSize: Int) throws -> [Range<Int>] {
        let file = try FileSource(path: url.path)
        let size = try file.size()
        let step = max(1, approximateSize)
        let windowSize = 64 << 10
        let window = UnsafeMutablePointer<UInt8>.allocate(capacity: windowSize)
        defer { window.deallocate() }
        var ranges: [Range<Int>] = []
        var start = 0
        while start < size {
            guard size - start > step else {
                ranges.append(start..<size)
                break
            }
            let target = start + step
            // The first line start at or after `target`: just after the first "\n" at or
            // after `target - 1`; the end of the file when there is none.
            var boundary = size
            var position = target - 1
            while position < size {
                let got = try file.read(at: position, into: window, count: min(windowSize, size - position))
                guard got > 0 else { break }
                if let hit = memchr(window, 0x0A, got) {
                    boundary = position + (hit.assumingMemoryBound(to: UInt8.self) - window) + 1
                    break
                }
                position += got
            }
            ranges.append(start..<boundary)
            start = boundary
        }
        return ranges
    }

    // MARK: - With a chosen buffer size (tests use small ones)

    static func read(_ url: URL, format: LogFormat, bufferSize: Int, maximumLineLength: Int = LogReader.defaultMaximumLineLength,
                     columns: LogColumns = .promptsite, into sink: inout some LogSink) throws -> Int {
        switch format {
        case .jsonLines:
            var reader = LineReader(source: try FileSource(path: url.path), bufferSize: bufferSize, maximumLineLength: maximumLineLength)
            try reader.skipByteOrderMark(path: url.path)
            return try readJSONLines(&reader, columns: columns, into: &sink)
        case .gzippedJSONLines:
            let source = try GzipSource(path: url.path)
            var reader = LineReader(source: source, bufferSize: bufferSize, maximumLineLength: maximumLineLength)
            try reader.skipByteOrderMark(path: url.path)
            let lines = try readJSONLines(&reader, columns: columns, into: &sink)
            // A file cut short keeps the records before the cut (its last line, cut too, is malformed).
            if let cut = source.cutAfter {
                sink.malformed(line: max(1, lines), column: nil, message: "the gzip stream ends early after \(cut) compressed bytes (truncated file?): the lines before it are read")
            }
            if let stopped = source.stoppedAfter {
                sink.malformed(line: max(1, lines), column: nil, message: "the gzip stream unpacks to more than \(GzipSource.maximumRatio) times its compressed size "
                               + "(a decompression bomb?): reading stopped after \(stopped >> 20) MB unpacked; the lines before are read")
            }
            return lines
        case .csv:
            var reader = LineReader(source: try FileSource(path: url.path), bufferSize: bufferSize, maximumLineLength: maximumLineLength)
            try reader.skipByteOrderMark(path: url.path)
            return try readCSV(&reader, columns: columns, into: &sink)
        }
    }

    static func readJSONLines(_ url: URL, range: Range<Int>, bufferSize: Int, maximumLineLength: Int = LogReader.defaultMaximumLineLength,
                              columns: LogColumns = .promptsite, into sink: inout some LogSink) throws -> Int {
        var reader = LineReader(source: try FileSource(path: url.path, range: range), bufferSize: bufferSize, maximumLineLength: maximumLineLength)
        if range.lowerBound == 0 { try reader.skipByteOrderMark(path: url.path) }
        return try readJSONLines(&reader, columns: columns, into: &sink)
    }

    // MARK: - The loops

    private static func readJSONLines(_ reader: inout LineReader, columns: LogColumns, into sink: inout some LogSink) throws -> Int {
        var parser = JSONLineParser(columns: columns)
        while let line = try reader.nextLine() {
            if line.isEmpty, let length = reader.skippedLineLength {
                sink.malformed(line: reader.lines, column: nil, message: tooLong(length, bound: reader.maximumLineLength), text: line)
                continue
            }
            do throws(ScanFailure) {
                switch try parser.parse(line) {
                case .record:
                    if !parser.ignored.items.isEmpty { parser.ignored.deliver(to: &sink, line: reader.lines, text: line) }
                    sink.record(parser.record, line: reader.lines, text: line)
                case .unfinished(let status):
                    sink.unfinished(status, line: reader.lines, text: line)
                case .blank: break
                }
            } catch {
                sink.malformed(line: reader.lines, column: error.offset(from: line.baseAddress!).map { $0 + 1 }, message: error.message, text: line)
            }
        }
        return reader.lines
    }

    static func tooLong(_ length: Int, bound: Int) -> String {
        "the line is longer than \(bound) bytes (\(length) bytes): skipped without keeping it (Site.json `logs.maxLineBytes` sets the bound)"
    }

    /// CSV: the first record is the header. A header without a `status` column is one
    /// malformed report on line 1 and no records (the lines are still counted).
    private static func readCSV(_ reader: inout LineReader, columns: LogColumns, into sink: inout some LogSink) throws -> Int {
        var parser = CSVRecordParser(columns: columns)
        guard let header = try reader.nextCSVRecord() else { return 0 }
        if header.bytes.isEmpty, let length = reader.skippedLineLength {
            // A header past the bound was not kept: say so, not that it lacks a `status` column.
            sink.malformed(line: header.line, column: nil, message: "the header row is longer than \(reader.maximumLineLength) bytes (\(length) bytes), so no row can be read (Site.json `logs.maxLineBytes` sets the bound)", text: header.bytes)
            while try reader.nextCSVRecord() != nil {}
            return reader.lines
        }
        do throws(ScanFailure) {
            try parser.readHeader(header.bytes)
        } catch {
            let (column, message) = locate(error, in: header.bytes, line: header.line)
            sink.malformed(line: header.line, column: column, message: message, text: header.bytes)
            while try reader.nextCSVRecord() != nil {}
            return reader.lines
        }
        while let (bytes, line) = try reader.nextCSVRecord() {
            if bytes.isEmpty, let length = reader.skippedLineLength {
                sink.malformed(line: line, column: nil, message: tooLong(length, bound: reader.maximumLineLength), text: bytes)
                continue
            }
            do throws(ScanFailure) {
                switch try parser.parse(bytes) {
                case .record:
                    if !parser.ignored.items.isEmpty { parser.ignored.deliver(to: &sink, line: line, text: bytes) }
                    sink.record(parser.record, line: line, text: bytes)
                case .unfinished(let status):
                    sink.unfinished(status, line: line, text: bytes)
                case .blank: break
                }
            } catch {
                let (column, message) = locate(error, in: bytes, line: line)
                sink.malformed(line: line, column: column, message: message, text: bytes)
            }
        }
        return reader.lines
    }

    /// The column of a CSV problem on the record's first line; a problem on a later line
    /// of a multi-line record names its own line and column in the message instead.
    private static func locate(_ failure: ScanFailure, in record: UnsafeBufferPointer<UInt8>, line: Int) -> (Int?, String) {
        guard let base = record.baseAddress, let offset = failure.offset(from: base) else { return (nil, failure.message) }
        var lineOffset = 0
        var lineStart = 0
        for index in 0..<min(offset, record.count) where record[index] == 0x0A {
            lineOffset += 1
            lineStart = index + 1
        }
        if lineOffset == 0 { return (offset + 1, failure.message) }
        return (nil, "\(failure.message) (line \(line + lineOffset), column \(offset - lineStart + 1), inside this record)")
    }
}

/// A log file that could not be read: it vanished, cannot be opened or read, or its
/// gzip stream is corrupt or cut short. Problems with the content are never thrown;
/// they go to the sink as malformed lines.
public struct LogReadError: Error, CustomStringConvertible {
    public let path: String
    /// What went wrong and where, e.g. "the gzip stream ends early after 4096 compressed bytes (truncated file?)".
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
