/// The hot path: receives every record of one chunk (or file) from a reader and adds it
/// to its groups. Field values are looked up as bytes in an interner, groups are array
/// slots, so a record costs a handful of hash lookups and no allocation; names become
/// `String`s once per distinct value, when the chunk is turned into a `FileLogSummary`.
struct ChunkAggregator: LogSink {
    private var names = ByteInterner()
    private var groups: [HotAggregate] = []
    private var cellSlots: [Int64: Int] = [:]
    /// The last cell used (records come in runs); `Int64.min` is no cell (−1 is the record with neither version nor provider).
    private var lastCell: (key: Int64, slot: Int) = (Int64.min, -1)
    /// Interner id → slot, per grouping (−1 = none yet).
    private var nodeSlots: [Int] = []
    private var blockSlots: [Int] = []
    private var daySlots: [Int] = []
    private var armSlots: [Int64: Int] = [:]
    private var armVersionCounts: [Int64: [Int32: Int]] = [:]
    private var inline = HotAggregate()
    private var versionLines: [Int32: [Int]] = [:]
    private var blockLines: [Int32: [Int]] = [:]
    private var result = FileLogSummary()
    private var lastLine = 0
    /// The sum of every cost added in this chunk: no group's sum can overflow while it does not.
    private var costTotal: Int64 = 0

    init() {}

    mutating func record(_ record: LogRecordView, line: Int) {
        self.record(record, line: line, text: UnsafeBufferPointer(start: nil, count: 0))
    }

    mutating func record(_ record: LogRecordView, line: Int, text: UnsafeBufferPointer<UInt8>) {
        lastLine = line
        var day: Int32 = -1
        if let createdAt = record.createdAt {
            if let utc = UTCDay(createdAt) {
                day = utc.withBytes { names.id($0) }
            } else {
                ignored(LogField.createdAt.name, .notADate, line: line, column: nil, text: text)
            }
        }
        guard let status = record.status else { return }
        var costMicros: Int64?
        if let cost = record.cost {
            let value = micros(cost) ?? Int64.max
            let (sum, overflow) = costTotal.addingReportingOverflow(value)
            if overflow || value == Int64.max {
                ignored(LogField.cost.name, .outOfRange("the file's total cost would overflow"), line: line, column: nil, text: text)
            } else {
                costTotal = sum
                costMicros = value
            }
        }
        let version = record.version.map { names.id($0) } ?? -1
        let provider = record.provider.map { names.id($0) } ?? -1
        let error = record.error.flatMap { $0.isEmpty ? nil : names.id($0) } ?? -1
        let latencyBucket = status == .success ? record.latencyMs.map(LatencySketch.index(of:)) : nil
        let entry = Entry(status: status, error: error, latencyMs: record.latencyMs, latencyBucket: latencyBucket,
                          cost: costMicros == nil ? nil : record.cost, costMicros: costMicros ?? 0, rating: record.rating, day: day)
        result.summary.records += 1

        let cell = Int64(version) << 32 | Int64(UInt32(bitPattern: provider))
        let cellSlot: Int
        if lastCell.key == cell {
            cellSlot = lastCell.slot
        } else {
            cellSlot = Self.slot(in: &cellSlots, cell, groups: &groups)
            lastCell = (cell, cellSlot)
        }
        add(entry, to: cellSlot)
        if version >= 0 { Self.remember(line, for: version, in: &versionLines) }
        if let node = record.node {
            let id = names.id(node)
            add(entry, to: Self.slot(in: &nodeSlots, id, groups: &groups))
        }
        if let block = record.block {
            let id = names.id(block)
            add(entry, to: Self.slot(in: &blockSlots, id, groups: &groups))
            Self.remember(line, for: id, in: &blockLines)
        }
        if day >= 0 { add(entry, to: Self.slot(in: &daySlots, day, groups: &groups)) }
        if let experiment = record.experiment {
            let arm = record.arm.map { names.id($0) } ?? names.id("")
            let key = Int64(names.id(experiment)) << 32 | Int64(arm)
            add(entry, to: Self.slot(in: &armSlots, key, groups: &groups))
            armVersionCounts[key, default: [:]][version, default: 0] += 1
        }
        if record.version == nil, record.block == nil, let prompt = record.prompt, !prompt.isEmpty {
            inline.add(entry, days: names)
        }
    }

    mutating func malformed(line: Int, column: Int?, message: String) {
        malformed(line: line, column: column, message: message, text: UnsafeBufferPointer(start: nil, count: 0))
    }

    mutating func malformed(line: Int, column: Int?, message: String, text: UnsafeBufferPointer<UInt8>) {
        lastLine = line
        result.malformed += 1
        if result.issues.count < FileLogSummary.reportedPerFile {
            result.issues.append(LogIssue(line: line, column: column, message: message, text: LogIssue.excerpt(text)))
        }
    }

    mutating func ignored(_ field: String, _ reason: IgnoredValue, line: Int, column: Int?, text: UnsafeBufferPointer<UInt8>) {
        if result.ignored[field] != nil {
            result.ignored[field]!.count += 1
        } else {
            result.ignored[field] = IgnoredFieldIssue(
                count: 1, example: LogIssue(line: line, column: column, message: reason.message(field: field), text: LogIssue.excerpt(text)))
        }
    }

    mutating func unfinished(_ status: UnfinishedStatus, line: Int, text: UnsafeBufferPointer<UInt8>) {
        lastLine = line
        result.unfinished[status.name, default: 0] += 1
        if result.unfinishedExample == nil {
            result.unfinishedExample = LogIssue(line: line, column: nil, message: "`status` is \(status.name)", text: LogIssue.excerpt(text))
        }
    }

    /// The chunk as names and aggregates; `lines` is what the reader reported.
    consuming func summary(lines: Int) -> FileLogSummary {
        var result = self.result
        result.lines = lines
        for (key, slot) in cellSlots {
            let (version, provider) = (Int32(truncatingIfNeeded: key >> 32), Int32(truncatingIfNeeded: key))
            result.summary.cells[VersionProvider(version: name(version), provider: name(provider))] = groups[slot].aggregate(names)
        }
        for (id, slot) in nodeSlots.enumerated() where slot >= 0 { result.summary.nodes[names[Int32(id)]] = groups[slot].aggregate(names) }
        for (id, slot) in blockSlots.enumerated() where slot >= 0 { result.summary.blocks[names[Int32(id)]] = groups[slot].aggregate(names) }
        for (id, slot) in daySlots.enumerated() where slot >= 0 { result.summary.days[names[Int32(id)]] = groups[slot].aggregate(names) }
        for (key, slot) in armSlots {
            let arm = ExperimentArm(experiment: names[Int32(truncatingIfNeeded: key >> 32)], arm: names[Int32(truncatingIfNeeded: key)])
            result.summary.arms[arm] = groups[slot].aggregate(names)
            result.summary.armVersions[arm] = Dictionary(uniqueKeysWithValues: armVersionCounts[key, default: [:]].map { (name($0.key), $0.value) })
        }
        result.summary.inline = inline.aggregate(names)
        result.versionLines = Dictionary(uniqueKeysWithValues: versionLines.map { (names[$0.key], $0.value) })
        result.blockLines = Dictionary(uniqueKeysWithValues: blockLines.map { (names[$0.key], $0.value) })
        return result
    }

    private func name(_ id: Int32) -> String { id < 0 ? "" : names[id] }

    @inline(__always)
    private mutating func add(_ entry: Entry, to slot: Int) {
        groups[slot].add(entry, days: names)
    }

    @inline(__always)
    private static func slot(in slots: inout [Int64: Int], _ key: Int64, groups: inout [HotAggregate]) -> Int {
        if let slot = slots[key] { return slot }
        groups.append(HotAggregate())
        slots[key] = groups.count - 1
        return groups.count - 1
    }

    @inline(__always)
    private static func slot(in slots: inout [Int], _ id: Int32, groups: inout [HotAggregate]) -> Int {
        let index = Int(id)
        if index >= slots.count { slots.append(contentsOf: repeatElement(-1, count: index - slots.count + 1)) }
        if slots[index] >= 0 { return slots[index] }
        groups.append(HotAggregate())
        slots[index] = groups.count - 1
        return groups.count - 1
    }

    @inline(__always)
    private static func remember(_ line: Int, for id: Int32, in lines: inout [Int32: [Int]]) {
        if let kept = lines[id], kept.count >= FileLogSummary.reportedPerFile { return }
        lines[id, default: []].append(line)
    }
}

/// One record's values as every group adds them.
private struct Entry {
    let status: GenerationStatus
    let error: Int32
    let latencyMs: Double?
    let latencyBucket: Int32?
    let cost: Double?
    /// `cost` in millionths (0 without a cost), checked against overflow once per record.
    let costMicros: Int64
    let rating: Double?
    let day: Int32
}

/// `Aggregate` with interner ids for error codes and days, for the hot path.
private struct HotAggregate {
    var success = 0
    var failed = 0
    var cancelled = 0
    var errors: [Int32: Int] = [:]
    var costMicros: Int64 = 0
    var costCount = 0
    var cost = SampleMoments()
    var rating = SampleMoments()
    var latency = LatencySketch()
    var firstDay: Int32 = -1
    var lastDay: Int32 = -1

    @inline(__always)
    mutating func add(_ entry: Entry, days: ByteInterner) {
        switch entry.status {
        case .success: success += 1
        case .failed: failed += 1
        case .cancelled: cancelled += 1
        }
        if entry.error >= 0 { errors[entry.error, default: 0] += 1 }
        if let value = entry.cost {
            costMicros += entry.costMicros
            costCount += 1
            cost.add(value)
        }
        if let value = entry.rating { rating.add(value) }
        if let bucket = entry.latencyBucket, let value = entry.latencyMs { latency.add(value, bucket: bucket) }
        if entry.day >= 0, entry.day != lastDay {
            if lastDay < 0 || days[entry.day] > days[lastDay] { lastDay = entry.day }
            if firstDay < 0 || days[entry.day] < days[firstDay] { firstDay = entry.day }
        }
    }

    func aggregate(_ names: ByteInterner) -> Aggregate {
        var aggregate = Aggregate()
        aggregate.success = success
        aggregate.failed = failed
        aggregate.cancelled = cancelled
        aggregate.errors = Dictionary(uniqueKeysWithValues: errors.map { (names[$0.key], $0.value) })
        aggregate.costMicros = costMicros
        aggregate.costCount = costCount
        aggregate.cost = cost
        aggregate.rating = rating
        aggregate.latency = latency
        aggregate.firstDay = firstDay >= 0 ? names[firstDay] : ""
        aggregate.lastDay = lastDay >= 0 ? names[lastDay] : ""
        return aggregate
    }
}
