/// The UTC calendar day of an ISO 8601 date-time (`2025-11-17T23:30:00-05:00` is
/// 2025-11-18), read straight from bytes. Accepts a date alone, `T` or a space before
/// the time, optional seconds and fraction, and `Z`, `±HH:MM`, `±HHMM`, `±HH` or no offset (UTC).
struct UTCDay: Equatable {
    let year: Int
    let month: Int
    let day: Int

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    init?(_ text: ByteString) {
        let bytes = text.bytes
        var reader = DigitReader(bytes: bytes)
        guard let year = reader.number(4), reader.skip(0x2D), let month = reader.number(2), reader.skip(0x2D),
              let day = reader.number(2), (1...12).contains(month), (1...UTCDay.days(inMonth: month, year: year)).contains(day)
        else { return nil }
        // Year 0 is no day (the database side keeps days from 0001-01-01, as PostgreSQL has no year 0).
        guard year >= 1 || !reader.atEnd else { return nil }
        if reader.atEnd {
            self.init(year: year, month: month, day: day)
            return
        }
        guard reader.skip(0x54) || reader.skip(0x74) || reader.skip(0x20),
              let hour = reader.number(2), hour < 24, reader.skip(0x3A), let minute = reader.number(2), minute < 60 else { return nil }
        if reader.skip(0x3A) {
            guard let second = reader.number(2), second <= 60 else { return nil }
            if reader.skip(0x2E) || reader.skip(0x2C) {
                guard reader.digits() > 0 else { return nil }
            }
        }
        var offsetMinutes = 0
        if !reader.atEnd {
            guard let offset = reader.offsetMinutes() else { return nil }
            offsetMinutes = offset
        }
        guard reader.atEnd else { return nil }
        let utcMinutes = hour * 60 + minute - offsetMinutes
        let shift = utcMinutes < 0 ? -1 : (utcMinutes >= 1440 ? 1 : 0)
        if shift == 0 {
            guard year >= 1 else { return nil }
            self.init(year: year, month: month, day: day)
        } else {
            self.init(daysSinceEpoch: UTCDay.daysSinceEpoch(year: year, month: month, day: day) + shift)
            // 9999-12-31T23:59-01:00 is in year 10000, which `YYYY` cannot write (it became 0000);
            // 0001-01-01T00:30+01:00 is in year 0, which PostgreSQL has not.
            guard (1...9999).contains(self.year) else { return nil }
        }
    }

    /// `YYYY-MM-DD`, handed to `body` as bytes.
    func withBytes<Result>(_ body: (ByteString) -> Result) -> Result {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0x2D, 0, 0, 0x2D, 0, 0)
        digits.0 = 0x30 + UInt8(year / 1000 % 10)
        digits.1 = 0x30 + UInt8(year / 100 % 10)
        digits.2 = 0x30 + UInt8(year / 10 % 10)
        digits.3 = 0x30 + UInt8(year % 10)
        digits.5 = 0x30 + UInt8(month / 10)
        digits.6 = 0x30 + UInt8(month % 10)
        digits.8 = 0x30 + UInt8(day / 10)
        digits.9 = 0x30 + UInt8(day % 10)
        return withUnsafeBytes(of: &digits) { raw in
            body(ByteString(raw.bindMemory(to: UInt8.self)))
        }
    }

    var text: String { withBytes { $0.string } }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 (Howard Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }
}

/// Reads fixed-width numbers and single characters from bytes.
extension UTCDay {
    /// Milliseconds since 1970 of an ISO 8601 date-time (same forms as `init`; a date alone
    /// is its midnight UTC), nil when it is not one. For latencies from start and end times.
    static func epochMilliseconds(_ text: ByteString) -> Double? {
        var reader = DigitReader(bytes: text.bytes)
        guard let year = reader.number(4), reader.skip(0x2D), let month = reader.number(2), reader.skip(0x2D),
              let day = reader.number(2), (1...12).contains(month), (1...UTCDay.days(inMonth: month, year: year)).contains(day)
        else { return nil }
        var milliseconds = Double(daysSinceEpoch(year: year, month: month, day: day)) * 86_400_000
        if reader.atEnd { return milliseconds }
        guard reader.skip(0x54) || reader.skip(0x74) || reader.skip(0x20),
              let hour = reader.number(2), hour < 24, reader.skip(0x3A), let minute = reader.number(2), minute < 60 else { return nil }
        milliseconds += Double(hour * 3_600_000 + minute * 60_000)
        if reader.skip(0x3A) {
            guard let second = reader.number(2), second <= 60 else { return nil }
            milliseconds += Double(second * 1000)
            if reader.skip(0x2E) || reader.skip(0x2C) {
                var scale = 100.0
                let start = reader.position
                guard reader.digits() > 0 else { return nil }
                for index in start..<reader.position {
                    milliseconds += Double(text.bytes[index] - 0x30) * scale
                    scale /= 10
                }
            }
        }
        if !reader.atEnd {
            guard let offset = reader.offsetMinutes() else { return nil }
            milliseconds -= Double(offset * 60_000)
        }
        return reader.atEnd ? milliseconds : nil
    }
}

private struct DigitReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    var atEnd: Bool { position >= bytes.count }

    mutating func number(_ width: Int) -> Int? {
        guard position + width <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<width {
            let byte = bytes[position + offset]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        position += width
        return value
    }

    mutating func skip(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// An offset from UTC in minutes: `Z`, `±HH:MM`, `±HHMM` or `±HH` (ISO 8601's forms; PostgreSQL
    /// prints whole hours as `+00`, `-05`); nil when none is here.
    mutating func offsetMinutes() -> Int? {
        if skip(0x5A) || skip(0x7A) { return 0 }
        let sign: Int
        if skip(0x2B) { sign = 1 } else if skip(0x2D) { sign = -1 } else { return nil }
        guard let hours = number(2), hours <= 23 else { return nil }
        if atEnd { return sign * hours * 60 }
        _ = skip(0x3A)
        guard let minutes = number(2), minutes < 60 else { return nil }
        return sign * (hours * 60 + minutes)
    }

    /// Skips digits, returning how many.
    mutating func digits() -> Int {
        let start = position
        while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
        return position - start
    }
}
