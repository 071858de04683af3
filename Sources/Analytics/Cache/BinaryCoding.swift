/// Little-endian binary writing for the analytics cache.
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ value: Int) { write(UInt64(bitPattern: Int64(value))) }
    mutating func write(_ value: Int64) { write(UInt64(bitPattern: value)) }
    mutating func write(_ value: Int32) { write(Int(value)) }
    mutating func write(_ value: Double) { write(value.bitPattern) }

    mutating func write(_ value: String) {
        let utf8 = Array(value.utf8)
        write(utf8.count)
        bytes.append(contentsOf: utf8)
    }

    mutating func write(_ values: [UInt32]) {
        write(values.count)
        for value in values { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    }

    mutating func write(_ values: [Int]) {
        write(values.count)
        for value in values { write(value) }
    }

    mutating func writeRaw(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }
}

/// Reads what `BinaryWriter` wrote; any inconsistency throws `Corrupt`, never traps.
struct BinaryReader {
    struct Corrupt: Error {}

    let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { position == bytes.count }

    mutating func uint64() throws -> UInt64 {
        guard position + 8 <= bytes.count else { throw Corrupt() }
        let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: UInt64.self) }
        position += 8
        return UInt64(littleEndian: value)
    }

    mutating func int() throws -> Int { Int(Int64(bitPattern: try uint64())) }
    mutating func int64() throws -> Int64 { Int64(bitPattern: try uint64()) }
    mutating func double() throws -> Double { Double(bitPattern: try uint64()) }

    mutating func int32() throws -> Int32 {
        let value = try int()
        guard let narrow = Int32(exactly: value) else { throw Corrupt() }
        return narrow
    }

    /// A count of things that each take at least `minimumSize` bytes: bounded by what is left.
    mutating func count(minimumSize: Int = 1) throws -> Int {
        let value = try int()
        guard value >= 0, value <= (bytes.count - position) / max(minimumSize, 1) else { throw Corrupt() }
        return value
    }

    mutating func string() throws -> String {
        let length = try count()
        defer { position += length }
        guard let text = String(validating: bytes[position..<position + length], as: UTF8.self) else { throw Corrupt() }
        return text
    }

    mutating func uint32s() throws -> [UInt32] {
        let count = try count(minimumSize: 4)
        var values: [UInt32] = []
        values.reserveCapacity(count)
        bytes.withUnsafeBytes { raw in
            for index in 0..<count {
                values.append(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: position + index * 4, as: UInt32.self)))
            }
        }
        position += count * 4
        return values
    }

    mutating func ints() throws -> [Int] {
        let count = try count(minimumSize: 8)
        return try (0..<count).map { _ in try int() }
    }
}

// MARK: - The analytics values

extension BinaryWriter {
    mutating func write(_ value: Int128) {
        write(UInt64(truncatingIfNeeded: value))
        write(UInt64(truncatingIfNeeded: value >> 64))
    }

    mutating func write(_ moments: FixedPointMoments) {
        write(moments.count)
        write(moments.sum)
        write(moments.sumOfSquares)
    }

    mutating func write(_ sketch: LatencySketch) {
        write(sketch.offset)
        write(sketch.counts)
        write(sketch.sum)
        write(sketch.minimum)
        write(sketch.maximum)
    }

    mutating func write(_ aggregate: Aggregate) {
        write(aggregate.success)
        write(aggregate.failed)
        write(aggregate.cancelled)
        write(aggregate.errors)
        write(aggregate.cost)
        write(aggregate.rating)
        write(aggregate.latency)
        write(aggregate.firstDay)
        write(aggregate.lastDay)
    }

    mutating func write(_ counts: [String: Int]) {
        write(counts.count)
        for key in counts.keys.sorted() {
            write(key)
            write(counts[key]!)
        }
    }

    mutating func write(_ groups: [String: Aggregate]) {
        write(groups.count)
        for key in groups.keys.sorted() {
            write(key)
            write(groups[key]!)
        }
    }

    mutating func write(_ lines: [String: [Int]]) {
        write(lines.count)
        for key in lines.keys.sorted() {
            write(key)
            write(lines[key]!)
        }
    }

    mutating func write(_ summary: LogSummary) {
        write(summary.cells.count)
        for key in summary.cells.keys.sorted() {
            write(key.version)
            write(key.provider)
            write(summary.cells[key]!)
        }
        write(summary.nodes)
        write(summary.blocks)
        write(summary.days)
        write(summary.arms.count)
        for key in summary.arms.keys.sorted() {
            write(key.experiment)
            write(key.arm)
            write(summary.arms[key]!)
            write(summary.armVersions[key] ?? [:])
        }
        write(summary.inline)
        write(summary.records)
    }

    mutating func write(_ file: FileLogSummary) {
        write(file.summary)
        write(file.lines)
        write(file.malformed)
        write(file.issues.count)
        for issue in file.issues { write(issue) }
        write(file.versionLines)
        write(file.blockLines)
        write(file.ignored.count)
        for key in file.ignored.keys.sorted() {
            write(key.field)
            write(key.reason)
            write(file.ignored[key]!.count)
            write(file.ignored[key]!.example)
        }
        write(file.unfinished)
        write(file.unfinishedExample == nil ? 0 : 1)
        if let example = file.unfinishedExample { write(example) }
        write(file.overflowed ? 1 : 0)
    }

    mutating func write(_ issue: LogIssue) {
        write(issue.line)
        write(issue.column ?? -1)
        write(issue.message)
        write(issue.text)
    }
}

extension BinaryReader {
    mutating func int128() throws -> Int128 {
        let low = try uint64()
        let high = try uint64()
        return Int128(truncatingIfNeeded: UInt128(high) << 64 | UInt128(low))
    }

    mutating func moments() throws -> FixedPointMoments {
        guard let moments = FixedPointMoments(count: try int(), sum: try int128(), sumOfSquares: try int128()) else { throw Corrupt() }
        return moments
    }

    mutating func sketch() throws -> LatencySketch {
        let offset = try int32()
        let counts = try uint32s()
        guard let sketch = LatencySketch(offset: offset, counts: counts, sum: try int128(), minimum: try double(), maximum: try double()) else {
            throw Corrupt()
        }
        return sketch
    }

    mutating func aggregate() throws -> Aggregate {
        var aggregate = Aggregate()
        aggregate.success = try int()
        aggregate.failed = try int()
        aggregate.cancelled = try int()
        aggregate.errors = try counts()
        aggregate.cost = try moments()
        aggregate.rating = try moments()
        aggregate.latency = try sketch()
        aggregate.firstDay = try string()
        aggregate.lastDay = try string()
        return aggregate
    }

    mutating func counts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for _ in 0..<(try count(minimumSize: 16)) { counts[try string()] = try int() }
        return counts
    }

    mutating func groups() throws -> [String: Aggregate] {
        var groups: [String: Aggregate] = [:]
        for _ in 0..<(try count(minimumSize: 16)) { groups[try string()] = try aggregate() }
        return groups
    }

    mutating func lines() throws -> [String: [Int]] {
        var lines: [String: [Int]] = [:]
        for _ in 0..<(try count(minimumSize: 16)) { lines[try string()] = try ints() }
        return lines
    }

    mutating func summary() throws -> LogSummary {
        var summary = LogSummary()
        for _ in 0..<(try count(minimumSize: 16)) {
            summary.cells[VersionProvider(version: try string(), provider: try string())] = try aggregate()
        }
        summary.nodes = try groups()
        summary.blocks = try groups()
        summary.days = try groups()
        for _ in 0..<(try count(minimumSize: 16)) {
            let arm = ExperimentArm(experiment: try string(), arm: try string())
            summary.arms[arm] = try aggregate()
            summary.armVersions[arm] = try counts()
        }
        summary.inline = try aggregate()
        summary.records = try int()
        return summary
    }

    mutating func fileSummary() throws -> FileLogSummary {
        var file = FileLogSummary()
        file.summary = try summary()
        file.lines = try int()
        file.malformed = try int()
        for _ in 0..<(try count(minimumSize: 32)) { file.issues.append(try issue()) }
        file.versionLines = try lines()
        file.blockLines = try lines()
        for _ in 0..<(try count(minimumSize: 56)) {
            let key = IgnoredFieldReason(try string(), try string())
            let count = try int()
            file.ignored[key] = IgnoredFieldIssue(count: count, example: try issue())
        }
        file.unfinished = try counts()
        if try int() == 1 { file.unfinishedExample = try issue() }
        file.overflowed = try int() == 1
        return file
    }

    mutating func issue() throws -> LogIssue {
        let line = try int()
        let column = try int()
        return LogIssue(line: line, column: column < 0 ? nil : column, message: try string(), text: try string())
    }
}
