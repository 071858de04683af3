/// The hot path: receives every record of one chunk (or file) from a reader and adds it
/// to its groups. Field values are looked up as bytes in an interner, groups are array
/// slots, so a record costs a handful of hash lookups and no allocation; names become
/// `String`s once per distinct value, when the chunk is turned into a `FileLogSummary`.
struct ChunkAggregator: LogSink {
    private var names = ByteInterner()
    private var groups: [HotAggregate] = []
    /// Version id + 1 (0 = none) → its cells: the provider id and the slot (a few per version,
    /// scanned: no hashing per record, and memory grows with the cells seen, not versions × providers).
    private var cellsByVersion: [[(provider: Int32, slot: Int32)]] = []
    /// The last cell used (records come in runs); `Int64.min` is no cell (−1 is the record with neither version nor provider).
    private var lastCell: (key: Int64, slot: Int) = (Int64.min, -1)
    /// Interner id of a day → `YYYYMMDD` as a number (0 = not a day), to order days without strings.
    private var dayOrders: [Int32] = []
    /// Interner id → slot, per grouping (−1 = none yet).
    private var nodeSlots: [Int] = []
    private var blockSlots: [Int] = []
    private var daySlots: [Int] = []
    private var armSlots: [Int64: Int] = [:]
    private var armVersionCounts: [Int64: [Int32: Int]] = [:]
    private var inline = HotAggregate()
    /// Interner id → the first lines naming it (empty = none yet).
    private var versionLines: [[Int]] = []
    private var blockLines: [[Int]] = []
    private var result = FileLogSummary()
    private var lastLine = 0

    /// More groups than this and the chunk's file is left out of the analytics.
    private let maximumGroups: Int

    init(maximumGroups: Int = FileLogSummary.maximumGroups) {
        self.maximumGroups = maximumGroups
    }

    mutating func record(_ record: LogRecordView, line: Int) {
        self.record(record, line: line, text: UnsafeBufferPointer(start: nil, count: 0))
    }

    mutating func record(_ record: LogRecordView, line: Int, text: UnsafeBufferPointer<UInt8>) {
        lastLine = line
        // A file left out of the analytics only counts its records.
        guard !result.overflowed else {
            if record.status != nil { result.summary.records += 1 }
            return
        }
        defer { if groups.count > maximumGroups { overflow() } }
        var day: Int32 = -1
        if let createdAt = record.createdAt {
            if let utc = UTCDay(createdAt) {
                day = utc.withBytes { names.id($0) }
                if Int(day) >= dayOrders.count || dayOrders[Int(day)] == 0 { rememberOrder(ofDay: day) }
            } else {
                ignored(LogField.createdAt.name, .notADate, line: line, column: Self.column(of: createdAt, in: text), text: text)
            }
        }
        guard let status = record.status else { return }
        // Readers pass only values within the fields' bounds; checked again here, since the sums'
        // exactness (and their never overflowing 64 bits per value) rests on it.
        let cost = record.cost.flatMap { fixedPoint($0, field: .cost, line: line, text: text) }
        let rating = record.rating.flatMap { fixedPoint($0, field: .rating, line: line, text: text) }
        let version = record.version.map { names.id($0) } ?? -1
        let provider = record.provider.map { names.id($0) } ?? -1
        let error = record.error.flatMap { $0.isEmpty ? nil : names.id($0) } ?? -1
        // Latency counts for successful generations only.
        let latency = status == .success ? record.latencyMs.flatMap { value in
            fixedPoint(value, field: .latencyMs, line: line, text: text).map { (value, $0, LatencySketch.index(of: value)) }
        } : nil
        let entry = Entry(status: status, error: error, latency: latency,
                          cost: cost, rating: rating, day: day,
                          dayOrder: day >= 0 ? dayOrders[Int(day)] : 0)
        result.summary.records += 1

        let cell = Int64(version) << 32 | Int64(UInt32(bitPattern: provider))
        let cellSlot: Int
        if lastCell.key == cell {
            cellSlot = lastCell.slot
        } else {
            cellSlot = slot(version: version, provider: provider)
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
        // A blank experiment is no experiment, a blank arm no arm (as null or "" are).
        if let experiment = nonBlank(record.experiment, .experiment, line: line, text: text) {
            let arm = nonBlank(record.arm, .arm, line: line, text: text).map { names.id($0) } ?? names.id("")
            let key = Int64(names.id(experiment)) << 32 | Int64(arm)
            add(entry, to: Self.slot(in: &armSlots, key, groups: &groups))
            armVersionCounts[key, default: [:]][version, default: 0] += 1
        }
        if record.version == nil, record.block == nil, let prompt = record.prompt, !prompt.isEmpty {
            inline.add(entry)
        }
    }

    /// `value` in millionths; nil (and the value ignored for its record) beyond the field's bounds.
    private mutating func fixedPoint(_ value: Double, field: LogField, line: Int, text: UnsafeBufferPointer<UInt8>) -> Int64? {
        if let problem = field.problem(with: value) {
            ignored(field.name, problem, line: line, column: nil, text: text)
            return nil
        }
        return FixedPointMoments.units(value)
    }

    /// `value` unless it is only whitespace (then ignored for its record).
    private mutating func nonBlank(_ value: ByteString?, _ field: LogField, line: Int, text: UnsafeBufferPointer<UInt8>) -> ByteString? {
        guard let value, value.isBlank else { return value }
        ignored(field.name, value.isEmpty ? .empty : .blank, line: line, column: Self.column(of: value, in: text), text: text)
        return nil
    }

    /// Where a value read from `text` starts (at its opening quote, when quoted), 1-based in bytes;
    /// nil for a value unescaped into another buffer.
    private static func column(of value: ByteString, in text: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let start = value.bytes.baseAddress, let base = text.baseAddress, start >= base, start <= base + text.count else { return nil }
        var offset = start - base
        if offset > 0, text[offset - 1] == 0x22 { offset -= 1 }
        return offset + 1
    }

    /// More distinct groups than a file may have: everything kept so far is let go at once (the
    /// file is left out of the analytics), and the rest of the chunk is only counted.
    private mutating func overflow() {
        names = ByteInterner()
        groups = []
        cellsByVersion = []
        lastCell = (Int64.min, -1)
        dayOrders = []
        nodeSlots = []
        blockSlots = []
        daySlots = []
        armSlots = [:]
        armVersionCounts = [:]
        inline = HotAggregate()
        versionLines = []
        blockLines = []
        result.leaveOutOfAnalytics()
    }

    private mutating func rememberOrder(ofDay day: Int32) {
        if Int(day) >= dayOrders.count { dayOrders.append(contentsOf: repeatElement(0, count: Int(day) - dayOrders.count + 1)) }
        // `YYYY-MM-DD` → YYYYMMDD.
        let digits = names[day].utf8.filter { $0 != 0x2D }.reduce(0) { $0 * 10 + Int32($1 &- 0x30) }
        dayOrders[Int(day)] = digits
    }

    @inline(__always)
    private mutating func slot(version: Int32, provider: Int32) -> Int {
        let row = Int(version) + 1
        if row >= cellsByVersion.count { cellsByVersion.append(contentsOf: repeatElement([], count: row - cellsByVersion.count + 1)) }
        for cell in cellsByVersion[row] where cell.provider == provider { return Int(cell.slot) }
        groups.append(HotAggregate())
        cellsByVersion[row].append((provider, Int32(groups.count - 1)))
        return groups.count - 1
    }

    mutating func malformed(line: Int, column: Int?, message: String) {
        malformed(line: line, column: column, message: message, text: UnsafeBufferPointer(start: nil, count: 0))
    }

    mutating func malformed(line: Int, column: Int?, message: String, text: UnsafeBufferPointer<UInt8>) {
        lastLine = line
        result.malformed += 1
        if result.issues.count < FileLogSummary.reportedPerFile {
            result.issues.append(LogIssue(line: line, column: LogIssue.codePointColumn(column, in: text), message: message, text: LogIssue.excerpt(text)))
        }
    }

    mutating func ignored(_ field: String, _ reason: IgnoredValue, line: Int, column: Int?, text: UnsafeBufferPointer<UInt8>) {
        let key = IgnoredFieldReason(field, reason.reason)
        if result.ignored[key] != nil {
            result.ignored[key]!.count += 1
        } else {
            result.ignored[key] = IgnoredFieldIssue(
                count: 1, example: LogIssue(line: line, column: LogIssue.codePointColumn(column, in: text), message: reason.message(field: field), text: LogIssue.excerpt(text)))
        }
    }

    mutating func unfinished(_ status: UnfinishedStatus, line: Int, text: UnsafeBufferPointer<UInt8>) {
        lastLine = line
        result.unfinished[status.name, default: 0] += 1
        if result.unfinishedExample == nil {
            result.unfinishedExample = LogIssue(line: line, column: nil, message: "`status` is \(status.name)", text: LogIssue.excerpt(text))
        }
    }

    /// The chunk as names and aggregates; `lines` is what the reader reported. Names the interner
    /// tells apart by their bytes but Swift calls equal (`café` written with `é` or with `e` + U+0301)
    /// are one group: their aggregates are merged, never one written over the other.
    consuming func summary(lines: Int) -> FileLogSummary {
        var result = self.result
        result.lines = lines
        for (row, cells) in cellsByVersion.enumerated() {
            for cell in cells {
                result.summary.cells[VersionProvider(version: name(Int32(row - 1)), provider: name(cell.provider)), default: Aggregate()]
                    .merge(groups[Int(cell.slot)].aggregate(names))
            }
        }
        for (id, slot) in nodeSlots.enumerated() where slot >= 0 { result.summary.nodes[names[Int32(id)], default: Aggregate()].merge(groups[slot].aggregate(names)) }
        for (id, slot) in blockSlots.enumerated() where slot >= 0 { result.summary.blocks[names[Int32(id)], default: Aggregate()].merge(groups[slot].aggregate(names)) }
        for (id, slot) in daySlots.enumerated() where slot >= 0 { result.summary.days[names[Int32(id)], default: Aggregate()].merge(groups[slot].aggregate(names)) }
        for (key, slot) in armSlots {
            let arm = ExperimentArm(experiment: names[Int32(truncatingIfNeeded: key >> 32)], arm: names[Int32(truncatingIfNeeded: key)])
            result.summary.arms[arm, default: Aggregate()].merge(groups[slot].aggregate(names))
            result.summary.armVersions[arm, default: [:]].merge(armVersionCounts[key, default: [:]].map { (name($0.key), $0.value) }, uniquingKeysWith: +)
        }
        result.summary.inline = inline.aggregate(names)
        for (id, lines) in versionLines.enumerated() where !lines.isEmpty { Self.add(lines, to: &result.versionLines[names[Int32(id)], default: []]) }
        for (id, lines) in blockLines.enumerated() where !lines.isEmpty { Self.add(lines, to: &result.blockLines[names[Int32(id)], default: []]) }
        return result
    }

    private func name(_ id: Int32) -> String { id < 0 ? "" : names[id] }

    /// Line numbers of a second spelling of one name, kept in order.
    private static func add(_ lines: [Int], to known: inout [Int]) {
        let merging = !known.isEmpty
        known += lines
        if merging { known.sort() }
    }

    @inline(__always)
    private mutating func add(_ entry: Entry, to slot: Int) {
        groups[slot].add(entry)
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
    private static func remember(_ line: Int, for id: Int32, in lines: inout [[Int]]) {
        let index = Int(id)
        if index >= lines.count { lines.append(contentsOf: repeatElement([], count: index - lines.count + 1)) }
        if lines[index].count < FileLogSummary.reportedPerFile { lines[index].append(line) }
    }
}

/// One record's values as every group adds them.
private struct Entry {
    let status: GenerationStatus
    let error: Int32
    /// A successful generation's latency: ms, millionths of a ms, and its sketch bucket.
    let latency: (ms: Double, units: Int64, bucket: Int32)?
    /// `cost` and `rating` in millionths, within their fields' bounds.
    let cost: Int64?
    let rating: Int64?
    let day: Int32
    /// `YYYYMMDD` of `day` (0 without one).
    let dayOrder: Int32
}

/// `Aggregate` with interner ids for error codes and days, for the hot path.
private struct HotAggregate {
    var success = 0
    var failed = 0
    var cancelled = 0
    var errors: [Int32: Int] = [:]
    var cost = FixedPointMoments()
    var rating = FixedPointMoments()
    var latency = HotSketch()
    var firstDay: Int32 = -1
    var lastDay: Int32 = -1
    var firstDayOrder: Int32 = .max
    var lastDayOrder: Int32 = 0

    @inline(__always)
    mutating func add(_ entry: Entry) {
        switch entry.status {
        case .success: success += 1
        case .failed: failed += 1
        case .cancelled: cancelled += 1
        }
        // Error codes count failures: a success or a cancellation that carries one is not one.
        if entry.error >= 0, entry.status == .failed { errors[entry.error, default: 0] += 1 }
        if let value = entry.cost { cost.add(units: value) }
        if let value = entry.rating { rating.add(units: value) }
        if let value = entry.latency { latency.add(value.ms, units: value.units, bucket: value.bucket) }
        if entry.day >= 0 {
            if entry.dayOrder > lastDayOrder {
                lastDayOrder = entry.dayOrder
                lastDay = entry.day
            }
            if entry.dayOrder < firstDayOrder {
                firstDayOrder = entry.dayOrder
                firstDay = entry.day
            }
        }
    }

    func aggregate(_ names: ByteInterner) -> Aggregate {
        var aggregate = Aggregate()
        aggregate.success = success
        aggregate.failed = failed
        aggregate.cancelled = cancelled
        // Names the bytes tell apart may be one `String` (`é` and `e` + U+0301): their counts add up.
        aggregate.errors = Dictionary(errors.map { (names[$0.key], $0.value) }, uniquingKeysWith: +)
        aggregate.cost = cost
        aggregate.rating = rating
        aggregate.latency = latency.sketch
        aggregate.firstDay = firstDay >= 0 ? names[firstDay] : ""
        aggregate.lastDay = lastDay >= 0 ? names[lastDay] : ""
        return aggregate
    }
}

/// `LatencySketch` for the hot path: its bucket array grows with slack at the end it grows
/// towards, so a new bucket costs amortised O(1) instead of an insert at the front; the
/// slack is trimmed when it becomes a `LatencySketch`, which is then the same value
/// adding the same latencies one by one gives.
private struct HotSketch {
    private var offset = 0
    private var counts: [UInt32] = []
    private var sum: Int128 = 0
    private var minimum = Double.infinity
    private var maximum = -Double.infinity

    @inline(__always)
    mutating func add(_ value: Double, units: Int64, bucket: Int32) {
        let index = Int(bucket) &- offset
        if index >= 0 && index < counts.count {
            counts[index].addSaturating(1)
        } else {
            grow(toHold: Int(bucket))
            counts[Int(bucket) - offset].addSaturating(1)
        }
        sum += Int128(units)
        if value < minimum { minimum = value }
        if value > maximum { maximum = value }
    }

    private mutating func grow(toHold bucket: Int) {
        let slack = max(16, counts.count / 2)
        if counts.isEmpty {
            offset = max(0, bucket - slack / 2)
            counts = [UInt32](repeating: 0, count: bucket - offset + slack / 2 + 1)
            return
        }
        let low = bucket < offset ? max(0, bucket - slack) : offset
        let high = bucket >= offset + counts.count ? bucket + slack : offset + counts.count - 1
        var grown = [UInt32](repeating: 0, count: high - low + 1)
        let shift = offset - low
        grown.withUnsafeMutableBufferPointer { target in
            counts.withUnsafeBufferPointer { source in
                for index in source.indices { target[shift + index] = source[index] }
            }
        }
        counts = grown
        offset = low
    }

    var sketch: LatencySketch {
        guard let first = counts.firstIndex(where: { $0 != 0 }), let last = counts.lastIndex(where: { $0 != 0 }) else { return LatencySketch() }
        return LatencySketch(offset: Int32(offset + first), counts: Array(counts[first...last]), sum: sum, minimum: minimum, maximum: maximum)
            ?? LatencySketch()
    }
}
