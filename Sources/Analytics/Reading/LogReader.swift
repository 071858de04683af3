import Foundation

/// The log file formats of SPEC §2.10.
public enum LogFormat: Sendable, Equatable {
    case jsonLines, csv, gzippedJSONLines

    public init?(path: String) {
        if path.hasSuffix(".jsonl.gz") {
            self = .gzippedJSONLines
        } else if path.hasSuffix(".jsonl") {
            self = .jsonLines
        } else if path.hasSuffix(".csv") {
            self = .csv
        } else {
            return nil
        }
    }
}

/// Streaming readers: a fixed buffer whatever the file's size, every record delivered to
/// a `LogSink`. Only I/O failures throw; problems in the content go to the sink.
public enum LogReader {
    /// Reads a whole file; returns its number of lines (a last line without "\n" counts).
    public static func read(_ url: URL, format: LogFormat, into sink: inout some LogSink) throws -> Int {
        let file = try OpenFile(url)
        switch format {
        case .jsonLines:
            var blocks = FileBlocks(file, range: 0..<file.size)
            return try jsonLines(&blocks, into: &sink)
        case .gzippedJSONLines:
            var blocks = try GzipBlocks(file, name: url.lastPathComponent)
            return try jsonLines(&blocks, into: &sink)
        case .csv:
            var blocks = FileBlocks(file, range: 0..<file.size)
            return try CSVParser.read(&blocks, into: &sink)
        }
    }

    /// Reads bytes `range` of a JSON Lines file, numbering lines from 1 at its start.
    public static func readJSONLines(_ url: URL, range: Range<Int>, into sink: inout some LogSink, blockSize: Int = 1 << 20) throws -> Int {
        var blocks = FileBlocks(try OpenFile(url), range: range)
        return try jsonLines(&blocks, into: &sink, blockSize: blockSize)
    }

    /// Byte ranges of about `approximateSize` covering the file, each starting at a line start.
    public static func chunks(of url: URL, approximateSize: Int) throws -> [Range<Int>] {
        let file = try OpenFile(url)
        let size = file.size
        let step = max(approximateSize, 1)
        var starts = [0]
        let probe = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { probe.deallocate() }
        var target = step
        while target < size {
            // The first line starting at or after `target`: just after the first "\n" at or after target − 1.
            var position = target - 1
            var found: Int?
            while found == nil, position < size {
                let count = try file.read(into: probe, at: position)
                if count == 0 { break }
                if let hit = memchr(probe.baseAddress!, 0x0A, count) {
                    found = position + probe.baseAddress!.distance(to: hit) + 1
                }
                position += count
            }
            guard let start = found, start < size else { break }
            if start > starts.last! { starts.append(start) }
            target = max(start, target) + step
        }
        return starts.enumerated().map { index, start in start..<(index + 1 < starts.count ? starts[index + 1] : size) }
    }

    static func jsonLines(_ blocks: inout some ByteBlocks, into sink: inout some LogSink, blockSize: Int = LineSplitter.defaultBlockSize) throws -> Int {
        var parser = JSONLineParser()
        defer { parser.release() }
        return try LineSplitter.lines(of: &blocks, blockSize: blockSize) { line, number in
            do {
                if let record = try parser.parse(line) { sink.record(record, line: number) }
            } catch let problem as LineProblem {
                sink.malformed(line: number, column: problem.column, message: problem.message)
            } catch {
                sink.malformed(line: number, column: nil, message: "\(error)")
            }
        }
    }
}
