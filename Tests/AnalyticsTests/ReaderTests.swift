@testable import Analytics
import CZlib
import Foundation
import Testing

@Suite struct ReaderTests {
    // MARK: - Formats

    @Test func formatsAreToldByTheFileName() {
        #expect(LogFormat(path: "logs/a.jsonl") == .jsonLines)
        #expect(LogFormat(path: "logs/a.csv") == .csv)
        #expect(LogFormat(path: "logs/a.jsonl.gz") == .gzippedJSONLines)
        #expect(LogFormat(path: "logs/A.JSONL") == .jsonLines)
        #expect(LogFormat(path: "logs/a.ndjson") == nil)
        #expect(LogFormat(path: "logs/a.csv.gz") == nil)
        #expect(LogFormat(path: "logs/a.json") == nil)
        #expect(LogFormat(path: "logs/jsonl") == nil)
    }

    // MARK: - JSON Lines

    @Test func everyFieldOfTheSpecExample() throws {
        let (sink, lines) = try Self.readJSONLines(Self.specExample + "\n")
        #expect(lines == 1)
        #expect(sink.problems.isEmpty)
        let record = try #require(sink.records.first)
        #expect(record.line == 1)
        #expect(record.id == "g-000001")
        #expect(record.version == "harbor-sunset-walk@3")
        #expect(record.provider == "pixverse")
        #expect(record.operation == "text_to_video")
        #expect(record.strategy == "once")
        #expect(record.status == "success")
        #expect(record.error == nil)
        #expect(record.latencyMs == 41250)
        #expect(record.cost == 0.21)
        #expect(record.createdAt == "2025-11-17T10:00:00Z")
        #expect(record.rating == 4)
        #expect(record.experiment == "sunset-light")
        #expect(record.arm == "B")
        #expect(record.node == "harbor-evening/walk")
        #expect(record.block == nil)
        #expect(record.prompt == "Mara walks along the pier ...")
    }

    @Test func spacesAbsentFieldsAndOtherStatuses() throws {
        let text = """
        { "status" : "failed" , "error" : "prompt_too_long" , "block" : "walk-cycle" }
        {"status":"cancelled","latency_ms":null,"cost":null,"rating":null,"prompt":null}
        {"status":"success","status":"failed"}
        """
        let (sink, lines) = try Self.readJSONLines(text)
        #expect(lines == 3)
        #expect(sink.problems.isEmpty)
        #expect(sink.records.map(\.status) == ["failed", "cancelled", "failed"])
        #expect(sink.records[0].error == "prompt_too_long")
        #expect(sink.records[0].block == "walk-cycle")
        #expect(sink.records[0].id == nil && sink.records[0].latencyMs == nil)
        #expect(sink.records[1].latencyMs == nil && sink.records[1].cost == nil && sink.records[1].rating == nil && sink.records[1].prompt == nil)
    }

    @Test func escapesAreDecoded() throws {
        let text = #"{"status":"success","prompt":"a\"b\\c\/d\b\f\n\r\te \u00e9 \u00E9 \ud83d\ude00 \u4e2d!","node":"plain","\u0069d":"escaped key"}"#
        let (sink, _) = try Self.readJSONLines(text + "\n")
        #expect(sink.problems.isEmpty)
        let record = try #require(sink.records.first)
        #expect(record.prompt == "a\"b\\c/d\u{08}\u{0C}\n\r\te é é 😀 中!")
        #expect(record.node == "plain")
        #expect(record.id == "escaped key")
    }

    @Test func rawUTF8IsKept() throws {
        let (sink, _) = try Self.readJSONLines(#"{"status":"success","prompt":"Mara marche sur la jetée 🌅, 桟橋"}"# + "\n")
        #expect(sink.records.first?.prompt == "Mara marche sur la jetée 🌅, 桟橋")
    }

    @Test func unknownFieldsAreSkippedWhateverTheirValue() throws {
        let text = #"{"meta":{"a":[1,2.5e3,{"b":"}]\"{["}],"c":null,"d":true,"e":false,"f":{}},"tags":["x","y\\"],"n":-0.5,"#
            + #""status":"success","empty":[],"nested":[[[[]]]],"id":"after","s":"\u00e9\"}"}"#
        let (sink, _) = try Self.readJSONLines(text)
        #expect(sink.problems.isEmpty)
        #expect(sink.records.first?.id == "after")
        #expect(sink.records.first?.status == "success")
    }

    @Test func numbersParseExactly() throws {
        let written = ["0", "41250", "0.21", "0.1", "0.3", "3.14159", "1e3", "1E2", "1.5E-2", "1e-5", "123.456e-7", "2.5e+3",
                       "1e22", "1e23", "9007199254740993", "123456789012345678901234567890", "0.000000000000000000000123",
                       "2.2250738585072014e-308", "1.7976931348623157e308", "4.9e-324", "12345.678901234567"]
        let text = written.map { #"{"status":"success","cost":\#($0),"rating":-\#($0)}"# }.joined(separator: "\n")
        let (sink, _) = try Self.readJSONLines(text)
        #expect(sink.problems.isEmpty)
        #expect(sink.records.count == written.count)
        for (record, number) in zip(sink.records, written) {
            let value = Double(number)!
            // Beyond the bounds the analytics take (cost 1e9, rating ±1e6) a value is ignored, the record kept.
            #expect(record.cost == (value <= 1e9 ? value : nil), "cost \(number)")
            #expect(record.rating == (value <= 1e6 ? -value : nil), "rating -\(number)")
        }
        #expect(sink.ignored.count == written.filter { Double($0)! > 1e9 }.count + written.filter { Double($0)! > 1e6 }.count)
        #expect(sink.ignored.contains(ReadProblem(line: 13, column: 28, message: "`cost` is out of range: more than 1,000,000,000")))
    }

    @Test func crlfBlankLinesAndAFinalLineWithoutNewline() throws {
        let text = "\r\n" + #"{"status":"success","id":"a"}"# + "\r\n   \t\r\n\n" + #"{"status":"failed","id":"b"}"# + "\r\n" + #"{"status":"cancelled","id":"c"}"#
        let (sink, lines) = try Self.readJSONLines(text)
        #expect(lines == 6)
        #expect(sink.problems.isEmpty)
        #expect(sink.records.map(\.line) == [2, 5, 6])
        #expect(sink.records.map(\.id) == ["a", "b", "c"])
    }

    @Test func emptyFilesAndByteOrderMarks() throws {
        #expect(try Self.readJSONLines("").lines == 0)
        #expect(try Self.readJSONLines("\n").lines == 1)
        let (sink, lines) = try Self.readJSONLines("\u{FEFF}" + #"{"status":"success"}"# + "\n")
        #expect(lines == 1)
        #expect(sink.problems.isEmpty)
        #expect(sink.records.count == 1)
    }

    @Test(arguments: [
        (#"{"id" "x","status":"success"}"#, 7, "expected `:` after the key"),
        (#"{"status":"success","prompt":"abc}"#, 30, "unterminated string"),
        (#"{"status":"ok"}"#, 11, "`status` must be success, failed or cancelled, found `ok`"),
        (#"{"status":null}"#, 11, "`status` must be success, failed or cancelled, found null"),
        (#"{"status":1}"#, 11, "`status` must be a string (success, failed or cancelled), found a number"),
        (#"[{"status":"success"}]"#, 1, "the line is not a JSON object"),
        (#"  "status""#, 3, "the line is not a JSON object"),
        (#"{"status":"success"} x"#, 22, "unexpected text after the closing `}`"),
        (#"{"status":"success"}{}"#, 21, "unexpected text after the closing `}`"),
        (#"{"status":"success",}"#, 21, "a comma before `}` is not allowed in JSON"),
        (#"{"status":"success"  "#, 22, "the object is not closed"),
        (#"{"status":"success","cost":1.2.3}"#, 31, "expected `,` or `}` after the value, found `.`"),
        (#"{"status":"success","cost":0123}"#, 28, "a number cannot start with a leading zero"),
        (#"{"status":"success","cost":1.}"#, 30, "expected a digit after the decimal point"),
        (#"{"status":"success","cost":-}"#, 29, "a number needs a digit after `-`"),
        (#"{"status":"success",id:"x"}"#, 21, "expected a key in double quotes, found `i`"),
        (#"{"status":"success","id":x}"#, 26, "expected a value after `:`, found `x`"),
        (#"{"status":"success","id":"a\x"}"#, 28, "invalid escape `\\x`"),
        (#"{"status":"success","id":"\u12G4"}"#, 27, "`\\u` must be followed by four hexadecimal digits"),
        ("{\"status\":\"success\",\"id\":\"a\tb\"}", 28, "a control character (a tab) must be escaped"),
        (#"{"status":"success","x":{"a":[1,}}"#, 33, "expected a value, found `}`"),
        (#"{"status":"success","x":{"a" 1}}"#, 30, "expected `:` after the key"),
        (#"{"status":"success","x":[1 2]}"#, 28, "expected `,` or `]`, found `2`"),
        (#"{"status":"success","x":[1,2"#, 25, "this array is not closed"),
        (#"{"status":"success","x":"#, 25, "expected a value after `:`"),
        (#"{"status":"success","x":tru}"#, 25, "expected a value, found `t`"),
    ] as [(String, Int, String)])
    func malformedLinesAreReportedWithTheirColumn(line: String, column: Int, message: String) throws {
        let text = #"{"status":"success"}"# + "\n" + line + "\n" + #"{"status":"failed"}"#
        let (sink, lines) = try Self.readJSONLines(text)
        #expect(lines == 3)
        #expect(sink.records.map(\.line) == [1, 3], "the lines around a malformed one are read")
        #expect(sink.problems.count == 1)
        let problem = try #require(sink.problems.first)
        #expect(problem.line == 2)
        #expect(problem.column == column, "\(problem)")
        #expect(problem.message.contains(message), "\(problem)")
    }

    @Test(arguments: [
        (#"{"status":"success","latency_ms":"41"}"#, 34, "`latency_ms` must be a number, found a string"),
        (#"{"status":"success","cost":true}"#, 28, "`cost` must be a number, found true"),
        (#"{"status":"success","rating":[4]}"#, 30, "`rating` must be a number, found an array"),
        (#"{"status":"success","rating":""}"#, 30, "`rating` is an empty string"),
        (#"{"status":"success","rating":{"a":[1,{}]}}"#, 30, "`rating` must be a number, found an object"),
        (#"{"status":"success","provider":5}"#, 32, "`provider` must be a string, found a number"),
        (#"{"status":"success","provider":""}"#, 32, "`provider` is an empty string"),
        (#"{"status":"success","experiment":""}"#, 34, "`experiment` is an empty string"),
        (#"{"status":"success","node":false}"#, 28, "`node` must be a string, found false"),
        (#"{"status":"success","latency_ms":-5}"#, 34, "`latency_ms` cannot be negative"),
        (#"{"status":"success","latency_ms":1e308}"#, 34, "`latency_ms` is out of range: more than 30 days"),
        (#"{"status":"success","cost":-0.5}"#, 28, "`cost` cannot be negative"),
        (#"{"status":"success","cost":1e999}"#, 28, "`cost` is out of range: not a finite number"),
        (#"{"status":"success","cost":1e13}"#, 28, "`cost` is out of range: more than 1,000,000,000"),
        (#"{"status":"success","rating":-1e308}"#, 30, "`rating` is out of range: beyond ±1,000,000"),
    ] as [(String, Int, String)])
    func anOptionalValueThatCannotBeUsedIsIgnoredAndTheRecordKept(line: String, column: Int, message: String) throws {
        let text = #"{"status":"success"}"# + "\n" + line + "\n" + #"{"status":"failed"}"#
        let (sink, lines) = try Self.readJSONLines(text)
        #expect(lines == 3)
        #expect(sink.problems.isEmpty, "\(sink.problems)")
        #expect(sink.records.map(\.line) == [1, 2, 3], "the record is kept")
        #expect(sink.ignored == [ReadProblem(line: 2, column: column, message: message)])
        let record = sink.records[1]
        #expect(record.status == "success")
        #expect(record.latencyMs == nil && record.cost == nil && record.rating == nil && record.provider == nil && record.experiment == nil
                && record.node == nil)
    }

    @Test func completedCountsAsSuccessAndUnfinishedStatusesAreNotCounted() throws {
        let text = """
        {"status":"completed","id":"a"}
        {"status":"pending","id":"b"}
        {"status":"processing","id":"c"}
        {"status":"paused","id":"d","cost":"x"}
        {"status":"pending","status":"failed","id":"e"}
        {"status":"queued","id":"f"}
        """
        let (sink, _) = try Self.readJSONLines(text)
        #expect(sink.records.map(\.id) == ["a", "e"])
        #expect(sink.records.map(\.status) == ["success", "failed"])
        #expect(sink.unfinished == [ReadProblem(line: 2, column: nil, message: "pending"), ReadProblem(line: 3, column: nil, message: "processing"),
                                    ReadProblem(line: 4, column: nil, message: "paused")])
        #expect(sink.ignored.isEmpty, "the values of a record not counted are not reported")
        #expect(sink.problems == [ReadProblem(line: 6, column: 11, message: "`status` must be success, failed or cancelled, found `queued`")])

        let (csv, _) = try Self.readCSV("id,status\na,completed\nb,pending\nc,paused\nd,processing\n")
        #expect(csv.records.map(\.status) == ["success"])
        #expect(csv.unfinished.map(\.line) == [3, 4, 5])
    }

    @Test func missingStatusHasNoColumn() throws {
        let (sink, _) = try Self.readJSONLines(#"{"id":"x"}"# + "\n" + #"{}"# + "\n")
        #expect(sink.problems == [ReadProblem(line: 1, column: nil, message: "missing `status`"),
                                  ReadProblem(line: 2, column: nil, message: "missing `status`")])
    }

    @Test func invalidUTF8IsMalformed() throws {
        var bytes = Data(#"{"status":"success","prompt":"caf"#.utf8)
        bytes += [0xC3, 0x28]  // a lead byte followed by a non-continuation byte
        bytes += Data(#""}"#.utf8) + Data("\n".utf8)
        bytes += Data(#"{"status":"success","id":""#.utf8) + [0xED, 0xA0, 0x80] + Data(#""}"#.utf8)  // an encoded surrogate
        let folder = try LogFolder()
        let (sink, _) = try Self.readAll(try folder.write("bad.jsonl", bytes), .jsonLines)
        #expect(sink.records.isEmpty)
        #expect(sink.problems == [ReadProblem(line: 1, column: 34, message: "invalid UTF-8"),
                                  ReadProblem(line: 2, column: 27, message: "invalid UTF-8")])
    }

    @Test func deepNestingIsMalformedNotACrash() throws {
        let line = #"{"status":"success","x":"# + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
        let (sink, _) = try Self.readJSONLines(line)
        #expect(sink.records.isEmpty)
        #expect(sink.problems.first?.message.contains("nested more than") == true)
    }

    // MARK: - CSV

    @Test func csvFieldsQuotesAndNewlines() throws {
        let text = #"""
        id,version,provider,operation,strategy,status,error,latency_ms,cost,created_at,rating,experiment,arm,node,block,prompt,extra
        g-1,harbor@3,pixverse,text_to_video,once,success,,41250,0.21,2025-11-17T10:00:00Z,4,sunset,B,harbor/walk,,"Mara walks, slowly",x
        g-2,harbor@3,pixverse,,,failed,prompt_too_long,,,,,,,,,"She said ""hi""",
        g-3,,,,,cancelled,,, 1.5 ,,,,,,walk,"two
        lines, ""quoted""",
        g-4,,,,,success,,,,,,,,,,"",""
        """#
        let (sink, lines) = try Self.readCSV(text)
        #expect(lines == 6)
        #expect(sink.problems.isEmpty, "\(sink.problems)")
        #expect(sink.records.map(\.line) == [2, 3, 4, 6])
        let first = sink.records[0]
        #expect(first.id == "g-1")
        #expect(first.version == "harbor@3")
        #expect(first.provider == "pixverse")
        #expect(first.operation == "text_to_video")
        #expect(first.strategy == "once")
        #expect(first.status == "success")
        #expect(first.error == nil)
        #expect(first.latencyMs == 41250)
        #expect(first.cost == 0.21)
        #expect(first.createdAt == "2025-11-17T10:00:00Z")
        #expect(first.rating == 4)
        #expect(first.experiment == "sunset")
        #expect(first.arm == "B")
        #expect(first.node == "harbor/walk")
        #expect(first.block == nil)
        #expect(first.prompt == "Mara walks, slowly")
        #expect(sink.records[1].prompt == #"She said "hi""#)
        #expect(sink.records[1].error == "prompt_too_long")
        #expect(sink.records[1].operation == nil)
        #expect(sink.records[2].prompt == "two\nlines, \"quoted\"")
        #expect(sink.records[2].cost == 1.5)
        #expect(sink.records[2].block == "walk")
        #expect(sink.records[3].prompt == nil, "an empty field is no value, quoted or not")
    }

    @Test func csvWithCRLFBlankLinesReorderedColumnsAndNoFinalNewline() throws {
        let text = "\u{FEFF}prompt, status ,cost\r\n\"a\r\nb\",success,1\r\n\r\nc,failed,+2\r\nd,cancelled,3e2"
        let (sink, lines) = try Self.readCSV(text)
        #expect(lines == 6)
        #expect(sink.problems.isEmpty, "\(sink.problems)")
        #expect(sink.records.map(\.line) == [2, 5, 6])
        #expect(sink.records.map(\.prompt) == ["a\r\nb", "c", "d"])
        #expect(sink.records.map(\.cost) == [1, 2, 300])
        #expect(sink.records.map(\.status) == ["success", "failed", "cancelled"])
    }

    @Test func csvMalformedRows() throws {
        let text = #"""
        id,status,latency_ms,cost,rating,prompt
        a,success,12,0.5,4,ok
        b,success,twelve,0.5,4,x
        c,ok,12,0.5,4,x
        d,,12,0.5,4,x
        e,success,12,0.5
        f,success,12,0.5,4,x,extra
        g,success,-3,0.5,4,x
        h,success,12,0.5,4,"say "hi""
        i,success,12,0.5,4,say "hi"
        "j
        k",success,12,abc,4,x
        l,success,12,0.5,4,x
        """#
        let (sink, lines) = try Self.readCSV(text)
        #expect(lines == 13)
        #expect(sink.records.map(\.id) == ["a", "b", "g", "j\nk", "l"])
        #expect(sink.records.map(\.line) == [2, 3, 8, 11, 13])
        #expect(sink.records.map(\.latencyMs) == [12, nil, nil, 12, 12])
        #expect(sink.records.map(\.cost) == [0.5, 0.5, 0.5, nil, 0.5])
        #expect(sink.ignored == [
            ReadProblem(line: 3, column: 11, message: "`latency_ms` must be a number, found `twelve`"),
            ReadProblem(line: 8, column: 11, message: "`latency_ms` cannot be negative"),
            ReadProblem(line: 11, column: 18, message: "`cost` must be a number, found `abc`"),
        ])
        #expect(sink.problems == [
            ReadProblem(line: 4, column: 3, message: "`status` must be success, failed or cancelled, found `ok`"),
            ReadProblem(line: 5, column: 3, message: "missing `status`"),
            ReadProblem(line: 6, column: 17, message: "the row has 4 fields but the header has 6"),
            ReadProblem(line: 7, column: 22, message: "the row has 7 fields but the header has 6"),
            ReadProblem(line: 9, column: 26, message: "unexpected `h` after the closing quote of a field (a quote inside a quoted field is written `\"\"`)"),
            ReadProblem(line: 10, column: 24, message: "a `\"` inside an unquoted field: put the whole field in quotes and double the quote (`\"\"`)"),
        ])
    }

    @Test func csvUnclosedQuoteIsReportedAndReadingGoesOn() throws {
        let text = "id,status,prompt\na,success,\"never closed\nb,success,x\nc,failed,y\n"
        let (sink, lines) = try Self.readCSV(text)
        #expect(lines == 4)
        #expect(sink.problems == [ReadProblem(line: 2, column: 11, message: "this quoted field is never closed: the closing `\"` is missing")])
        #expect(sink.records.map(\.id) == ["b", "c"])
        #expect(sink.records.map(\.line) == [3, 4])
    }

    @Test func csvUnclosedQuoteAfterAMultiLineFieldEndsTheRecordOnItsLine() throws {
        let text = "id,status,prompt,node\na,success,\"two\nlines\",\"never closed\nb,success,x,y\n"
        let (sink, lines) = try Self.readCSV(text)
        #expect(lines == 4)
        #expect(sink.problems == [ReadProblem(line: 2, column: nil, message: "this quoted field is never closed: the closing `\"` is missing (line 3, column 8, inside this record)")])
        #expect(sink.records.map(\.id) == ["b"])
        #expect(sink.records.map(\.line) == [4])
    }

    @Test func csvWithoutAStatusColumnReportsOnceAndCountsLines() throws {
        let (sink, lines) = try Self.readCSV("id,prompt\na,x\nb,\"two\nlines\"\n")
        #expect(lines == 4)
        #expect(sink.records.isEmpty)
        #expect(sink.problems.count == 1)
        #expect(sink.problems.first?.line == 1)
        #expect(sink.problems.first?.message.contains("no `status` column") == true)
    }

    @Test func csvEmptyAndHeaderOnly() throws {
        #expect(try Self.readCSV("").lines == 0)
        let (sink, lines) = try Self.readCSV("status\n")
        #expect(lines == 1)
        #expect(sink.records.isEmpty && sink.problems.isEmpty)
    }

    /// A text value that is not UTF-8 (a spreadsheet's Windows-1252) is left out of its record, which
    /// is kept: an optional value never loses a record.
    @Test func csvInvalidUTF8() throws {
        var bytes = Data("status,prompt\nsuccess,ab".utf8)
        bytes += [0xFF]
        bytes += Data("\nfailed,\"".utf8) + [0x93] + Data("q\"\n".utf8)
        let folder = try LogFolder()
        let (sink, _) = try Self.readAll(try folder.write("bad.csv", bytes), .csv)
        #expect(sink.problems.isEmpty)
        #expect(sink.records.map(\.status) == ["success", "failed"])
        #expect(sink.records.map(\.prompt) == [nil, nil])
        #expect(sink.ignored == [ReadProblem(line: 2, column: 9, message: "`prompt` is not UTF-8 text"), ReadProblem(line: 3, column: 8, message: "`prompt` is not UTF-8 text")])
    }

    /// A quote never closed on a line longer than the quoted-record limit: that line is one line too
    /// long, skipped to its end (its rest had been read as a third line the file does not have).
    @Test func anUnclosedQuoteOnAHugeLineIsOneLineTooLong() throws {
        var bytes = Data("status,version,prompt\nsuccess,a@1,\"".utf8)
        bytes += Data(repeating: UInt8(ascii: "b"), count: LineReader.csvQuotedRecordLimit + (8 << 20))
        let folder = try LogFolder()
        let (sink, lines) = try Self.readAll(try folder.write("crashed.csv", bytes), .csv)
        #expect(lines == 2)
        #expect(sink.records.isEmpty)
        #expect(sink.problems.count == 1)
        #expect(sink.problems.first?.line == 2)
        #expect(sink.problems.first?.message.hasPrefix("the line is longer than") == true, "\(sink.problems)")
    }

    /// Lines ended by a lone `\r` (Excel's "CSV (Macintosh)") read as one header row: said so,
    /// instead of zero records and no word. CRLF and LF files still read.
    @Test func loneCarriageReturnLinesSayWhatTheyAre() throws {
        let folder = try LogFolder()
        let (mac, _) = try Self.readAll(try folder.write("mac.csv", Data("id,version,status,latency_ms\rg1,,success,5\rg2,,failed,7\r".utf8)), .csv)
        #expect(mac.records.isEmpty)
        #expect(mac.problems.count == 1)
        #expect(mac.problems.first?.line == 1)
        #expect(mac.problems.first?.message.hasPrefix("the lines of this file end with a lone carriage return") == true, "\(mac.problems)")
        for ending in ["\r\n", "\n"] {
            let text = ["id,version,status,latency_ms", "g1,,success,5", "g2,,failed,7"].joined(separator: ending) + ending
            let (read, _) = try Self.readAll(try folder.write("ok\(ending.count).csv", Data(text.utf8)), .csv)
            #expect(read.records.count == 2 && read.problems.isEmpty, "\(read.problems)")
        }
    }

    /// Exports in shapes that cannot be read say why: a CSV separated by `;` (a comma-decimal
    /// locale's spreadsheet), a UTF-16 file (PowerShell 5's default).
    @Test func semicolonCSVAndUTF16SayWhatTheyAre() throws {
        let folder = try LogFolder()
        let (csv, _) = try Self.readAll(try folder.write("de.csv", Data("id;version;status\r\n1;a@1;success\r\n".utf8)), .csv)
        #expect(csv.problems.map(\.description) == ["1:-: the header row is separated by `;`, not by commas, so it has no `status` column: export the file with commas"])
        let utf16 = try folder.write("ps.jsonl", Data(#"{"status":"success"}"#.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }.prepending([0xFF, 0xFE])))
        #expect { try Self.readAll(utf16, .jsonLines) } throws: { error in
            (error as? LogReadError)?.message == "the file is UTF-16 text (it starts with the byte order mark FF FE): save it as UTF-8"
        }
    }

    /// A lone surrogate escape (JavaScript cutting a string inside an emoji writes one; Python reads
    /// it) becomes U+FFFD; the record is kept. A pair is one character.
    @Test func loneSurrogateEscapesBecomeReplacementCharacters() throws {
        let text = #"{"status":"success","id":"a\ud83d!"}"# + "\n" + #"{"status":"success","id":"\ude00b"}"# + "\n"
            + #"{"status":"success","id":"\ud83d\u0041"}"# + "\n" + #"{"status":"success","id":"\ud83d\ude00"}"# + "\n"
        let folder = try LogFolder()
        let (sink, _) = try Self.readAll(try folder.write("s.jsonl", Data(text.utf8)), .jsonLines)
        #expect(sink.problems.isEmpty)
        #expect(sink.records.map(\.id) == ["a\u{FFFD}!", "\u{FFFD}b", "\u{FFFD}A", "\u{1F600}"])
    }

    // MARK: - gzip

    @Test func gzippedJSONLinesInOneAndSeveralMembers() throws {
        let folder = try LogFolder()
        let one = try folder.writeGzip("one.jsonl.gz", members: [Self.specExample + "\n" + #"{"status":"failed","id":"g-2"}"# + "\n"])
        let (sink, lines) = try Self.readAll(one, .gzippedJSONLines)
        #expect(lines == 2)
        #expect(sink.problems.isEmpty)
        #expect(sink.records.map(\.id) == ["g-000001", "g-2"])
        #expect(sink.records.first?.prompt == "Mara walks along the pier ...")
        #expect(sink.records.first?.cost == 0.21)

        // A line cut across two members is one line: members are one byte stream.
        let several = try folder.writeGzip("several.jsonl.gz", members: [
            #"{"status":"success","id":"m1"}"# + "\n" + #"{"status":"fai"#,
            #"led","id":"m2"}"# + "\n",
            "",
            #"{"status":"cancelled","id":"m3"}"#,
        ])
        let (multi, multiLines) = try Self.readAll(several, .gzippedJSONLines, bufferSize: 16)
        #expect(multiLines == 3)
        #expect(multi.problems.isEmpty)
        #expect(multi.records.map(\.id) == ["m1", "m2", "m3"])
        #expect(multi.records.map(\.line) == [1, 2, 3])
    }

    /// A decompression bomb (a few hundred KB unpacking to 100 MB of blank lines; 4 MB to 4 GiB
    /// read for minutes) is stopped once it passes 64 MB at over 200 times its compressed size.
    /// The records before are read, and the stop is said where the reading stopped.
    @Test func aGzipBombIsStoppedWithTheLinesBeforeRead() throws {
        let folder = try LogFolder()
        let file = folder.url.appendingPathComponent("bomb.jsonl.gz")
        let gz = try #require(gzopen(file.path, "wb9"))
        let first = Array((#"{"status":"success","id":"b-1"}"# + "\n").utf8)
        _ = first.withUnsafeBytes { gzwrite(gz, $0.baseAddress, UInt32($0.count)) }
        let blank = [UInt8](repeating: 0x0A, count: 1 << 20)
        for _ in 0..<100 { _ = blank.withUnsafeBytes { gzwrite(gz, $0.baseAddress, UInt32($0.count)) } }
        #expect(gzclose(gz) == Z_OK)
        let compressed = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int)
        #expect(compressed < 400_000)
        let (bomb, lines) = try Self.readAll(file, .gzippedJSONLines)
        #expect(bomb.records.map(\.id) == ["b-1"])
        #expect(lines > 64 << 20 && lines < 100 << 20, "stopped past 64 MB, before the end")
        #expect(bomb.problems.map(\.description) == ["\(lines):-: the gzip stream unpacks to more than 200 times its compressed size (a decompression bomb?): "
                                                       + "reading stopped after 65 MB unpacked; the lines before are read"])
        // Well-compressed real lines are read whole: 2,000 records at about 30 times.
        let text = (0..<2000).map { #"{"status":"success","id":"g-\#($0)","prompt":"p \#($0 * 7919)"}"# }.joined(separator: "\n")
        let whole = try folder.writeGzip("whole.jsonl.gz", members: [text])
        #expect(try Self.readAll(whole, .gzippedJSONLines).sink.records.count == 2000)
    }

    /// A gzip file cut short keeps the lines before the cut, and says where it stopped (zcat prints
    /// them too); corrupt data or a file that is no gzip is unreadable.
    @Test func truncatedGzipKeepsItsLinesAndCorruptGzipThrows() throws {
        let folder = try LogFolder()
        let text = (0..<2000).map { #"{"status":"success","id":"g-\#($0)","prompt":"p \#($0 * 7919)"}"# }.joined(separator: "\n")
        let whole = try Data(contentsOf: try folder.writeGzip("whole.jsonl.gz", members: [text]))
        #expect(try Self.readAll(folder.url.appendingPathComponent("whole.jsonl.gz"), .gzippedJSONLines).sink.records.count == 2000)

        let truncated = try folder.write("truncated.jsonl.gz", whole.prefix(whole.count / 2))
        let (cut, cutLines) = try Self.readAll(truncated, .gzippedJSONLines)
        #expect(cut.records.count == cutLines - 1, "every complete line is a record")
        #expect(cut.records.map(\.id).prefix(3) == ["g-0", "g-1", "g-2"])
        #expect(cut.problems.last?.description == "\(cutLines):-: the gzip stream ends early after \(whole.count / 2) compressed bytes (truncated file?): the lines before it are read")
        #expect(cut.problems.count == 2, "the cut line, and the cut")

        // Zero bytes after the last member (a padded copy) and trailing garbage are ignored, as gzip ignores them.
        let padded = try folder.write("padded.jsonl.gz", whole + Data(repeating: 0, count: 4096))
        #expect(try Self.readAll(padded, .gzippedJSONLines).sink.records.count == 2000)
        let trailing = try folder.write("trailing.jsonl.gz", whole + Data("garbage\n".utf8))
        #expect(try Self.readAll(trailing, .gzippedJSONLines).sink.records.count == 2000)
        var damaged = whole
        for index in 40..<60 { damaged[index] ^= 0x5A }
        let corrupt = try folder.write("corrupt.jsonl.gz", damaged)
        #expect {
            try Self.readAll(corrupt, .gzippedJSONLines)
        } throws: { error in
            "\(error)".contains("corrupt gzip data")
        }
        let notGzip = try folder.write("plain.jsonl.gz", Self.specExample)
        #expect(throws: LogReadError.self) { try Self.readAll(notGzip, .gzippedJSONLines) }
        let empty = try folder.write("empty.jsonl.gz", Data())
        #expect(try Self.readAll(empty, .gzippedJSONLines).lines == 0)
    }

    @Test func aMissingFileThrowsWithItsPath() throws {
        let folder = try LogFolder()
        let missing = folder.url.appendingPathComponent("gone.jsonl")
        #expect {
            try Self.readAll(missing, .jsonLines)
        } throws: { error in
            "\(error)".contains("gone.jsonl") && "\(error)".contains("No such file")
        }
        #expect(throws: LogReadError.self) { try LogReader.chunks(of: missing, approximateSize: 100) }
        #expect(throws: LogReadError.self) { try Self.readAll(missing, .gzippedJSONLines) }
    }

    // MARK: - Chunks and buffers

    /// Lines of every kind: records, blank lines, CRLF, malformed lines, escapes, a long line.
    static func mixedLog(lines count: Int, seed: Int = 1) -> String {
        var generator = SplitMix(seed: UInt64(seed))
        var lines: [String] = []
        for index in 0..<count {
            switch generator.next() % 20 {
            case 0: lines.append("")
            case 1: lines.append("   \r")
            case 2: lines.append(#"{"status":"bogus","id":"\#(index)"}"#)
            case 3: lines.append(#"{"status":"success","cost":"x"}"#)
            case 4: lines.append(#"{"id":"\#(index)","prompt":"line\nbreak \u00e9 \ud83d\ude00","status":"failed"}"# + "\r")
            case 5: lines.append(#"{"status":"success","id":"long-\#(index)","prompt":""# + String(repeating: "long prompt ", count: Int(generator.next() % 3000)) + #""}"#)
            case 6: lines.append(#"{"status":"cancelled","meta":{"a":[1,{"b":"x"}]},"id":"\#(index)"}"#)
            default:
                let status = ["success", "failed", "cancelled"][Int(generator.next() % 3)]
                lines.append(#"{"id":"g-\#(index)","version":"fam-\#(generator.next() % 50)@\#(generator.next() % 5 + 1)","provider":"p\#(generator.next() % 4)","status":"\#(status)","latency_ms":\#(generator.next() % 90_000),"cost":0.\#(generator.next() % 100),"created_at":"2025-11-\#(10 + generator.next() % 20)T10:00:00Z","rating":\#(generator.next() % 5 + 1),"prompt":"Mara walks along the pier, \#(index)"}"#)
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test(arguments: [1, 7, 100, 1000, 4096, 1 << 20])
    func chunksDeliverExactlyWhatAWholeReadDelivers(size: Int) throws {
        let folder = try LogFolder()
        let url = try folder.write("mixed.jsonl", Self.mixedLog(lines: 1500, seed: size))
        let fileSize = try Data(contentsOf: url).count
        let (whole, wholeLines) = try Self.readAll(url, .jsonLines)
        #expect(whole.problems.count > 50 && whole.ignored.count > 50 && whole.records.count > 1000)

        let ranges = try LogReader.chunks(of: url, approximateSize: size)
        let bytes = try Data(contentsOf: url)
        #expect(ranges.first?.lowerBound == 0)
        #expect(ranges.last?.upperBound == fileSize)
        for (previous, next) in zip(ranges, ranges.dropFirst()) {
            #expect(previous.upperBound == next.lowerBound)
            #expect(bytes[next.lowerBound - 1] == 0x0A, "a chunk starts after a newline")
        }
        if size >= 1000 { #expect(ranges.count <= fileSize / size + 1) }

        var combined = RecordingSink()
        var lines = 0
        for range in ranges {
            var part = RecordingSink()
            let partLines = try LogReader.readJSONLines(url, range: range, bufferSize: 64, into: &part)
            combined.append(part.shifted(by: lines))
            lines += partLines
        }
        #expect(lines == wholeLines)
        #expect(combined.records == whole.records)
        #expect(combined.problems == whole.problems)
        #expect(combined.ignored == whole.ignored)
    }

    @Test func chunksOfEmptyAndSingleLineFiles() throws {
        let folder = try LogFolder()
        #expect(try LogReader.chunks(of: try folder.write("empty.jsonl", ""), approximateSize: 10) == [])
        #expect(try LogReader.chunks(of: try folder.write("one.jsonl", Self.specExample), approximateSize: 10) == [0..<Self.specExample.utf8.count])
        let two = #"{"status":"success"}"# + "\n" + #"{"status":"failed"}"# + "\n"
        #expect(try LogReader.chunks(of: try folder.write("two.jsonl", two), approximateSize: 21) == [0..<21, 21..<41])
        #expect(try LogReader.chunks(of: try folder.write("two2.jsonl", two), approximateSize: 20) == [0..<21, 21..<41])
        #expect(try LogReader.chunks(of: try folder.write("two3.jsonl", two), approximateSize: 22) == [0..<41])
        #expect(try LogReader.chunks(of: try folder.write("two4.jsonl", two), approximateSize: .max) == [0..<41])
        #expect(try LogReader.chunks(of: try folder.write("two5.jsonl", two), approximateSize: 0) == [0..<21, 21..<41])
    }

    @Test func aRangeStartingAtAPreviousLengthReadsOnlyTheTail() throws {
        let folder = try LogFolder()
        let head = #"{"status":"success","id":"old"}"# + "\n"
        let url = try folder.write("grown.jsonl", head + #"{"status":"failed","id":"new"}"# + "\n")
        var sink = RecordingSink()
        let lines = try LogReader.readJSONLines(url, range: head.utf8.count..<(head.utf8.count + 31), into: &sink)
        #expect(lines == 1)
        #expect(sink.records.map(\.id) == ["new"])
        #expect(sink.records.map(\.line) == [1])
    }

    @Test func aFiveMegabyteFileReadsTheSameWithASmallBuffer() throws {
        let folder = try LogFolder()
        var text = Self.mixedLog(lines: 12_000, seed: 42)
        while text.utf8.count < 5_000_000 { text += "\n" + Self.mixedLog(lines: 2000, seed: text.utf8.count) }
        let url = try folder.write("big.jsonl", text)
        let big = try Self.readAll(url, .jsonLines)
        let small = try Self.readAll(url, .jsonLines, bufferSize: 100)
        #expect(big.lines == small.lines)
        #expect(big.sink.records == small.sink.records)
        #expect(big.sink.problems == small.sink.problems)
        #expect(big.sink.records.count > 9000)

        let gz = try folder.writeGzip("big.jsonl.gz", members: [text])
        let gzipped = try Self.readAll(gz, .gzippedJSONLines, bufferSize: 1000)
        #expect(gzipped.lines == big.lines)
        #expect(gzipped.sink.records == big.sink.records)
        #expect(gzipped.sink.problems == big.sink.problems)
    }

    @Test func csvReadsTheSameWithASmallBuffer() throws {
        var text = "id,status,cost,prompt\r\n"
        var generator = SplitMix(seed: 9)
        for index in 0..<5000 {
            let prompt = generator.next() % 4 == 0 ? "\"multi\nline, \"\"quoted\"\" \(String(repeating: "x", count: Int(generator.next() % 500)))\"" : "plain \(index)"
            let status = generator.next() % 10 == 0 ? "nope" : "success"
            text += "g-\(index),\(status),\(generator.next() % 100),\(prompt)\r\n"
        }
        let big = try Self.readCSV(text)
        let small = try Self.readCSV(text, bufferSize: 32)
        #expect(big.lines == small.lines)
        #expect(big.sink.records == small.sink.records)
        #expect(big.sink.problems == small.sink.problems)
        #expect(big.sink.records.count > 4000 && big.sink.problems.count > 300)
    }

    // MARK: - Speed (PROMPTSITE_PERF=1, release build)

    @Test(.enabled(if: ProcessInfo.processInfo.environment["PROMPTSITE_PERF"] != nil))
    func readingSpeed() throws {
        let folder = try LogFolder()
        let url = folder.url.appendingPathComponent("perf.jsonl")
        let count = Int(ProcessInfo.processInfo.environment["PROMPTSITE_PERF_LINES"] ?? "") ?? 1_000_000
        try PerfLog.write(lines: count, to: url)
        let size = try Data(contentsOf: url, options: .alwaysMapped).count
        var times: [Double] = []
        var checksum = 0.0
        for _ in 0..<5 {
            var sink = TouchingSink()
            let start = DispatchTime.now().uptimeNanoseconds
            let lines = try LogReader.read(url, format: .jsonLines, into: &sink)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            #expect(lines == count)
            #expect(sink.records == count)
            checksum = sink.checksum
        }
        let median = times.sorted()[times.count / 2]
        print(String(format: "JSON Lines, 1 core: %d lines (%.0f bytes/line) in %.3f s median of 5 = %.0f lines/s, %.0f MB/s (checksum %.0f)",
                     count, Double(size) / Double(count), median, Double(count) / median, Double(size) / median / 1e6, checksum))

        // Two chunks per core, on two threads.
        let ranges = try LogReader.chunks(of: url, approximateSize: size / 4 + 1)
        var parallelTimes: [Double] = []
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            nonisolated(unsafe) let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: ranges.count)
            defer { counts.deallocate() }
            DispatchQueue.concurrentPerform(iterations: ranges.count) { index in
                var sink = TouchingSink()
                _ = try? LogReader.readJSONLines(url, range: ranges[index], into: &sink)
                counts[index] = sink.records
            }
            parallelTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            #expect(counts.reduce(0, +) == count)
        }
        let parallelMedian = parallelTimes.sorted()[parallelTimes.count / 2]
        print(String(format: "JSON Lines, %d chunks on all cores: %.3f s median of 5 = %.0f lines/s",
                     ranges.count, parallelMedian, Double(count) / parallelMedian))

        // The analytics pass itself: each chunk into the interning aggregator, summaries appended in order.
        var aggregateTimes: [Double] = []
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            nonisolated(unsafe) let summaries = UnsafeMutableBufferPointer<FileLogSummary>.allocate(capacity: ranges.count)
            defer { summaries.deallocate() }
            DispatchQueue.concurrentPerform(iterations: ranges.count) { index in
                var aggregator = ChunkAggregator()
                let lines = (try? LogReader.readJSONLines(url, range: ranges[index], into: &aggregator)) ?? 0
                (summaries.baseAddress! + index).initialize(to: aggregator.summary(lines: lines))
            }
            var file = FileLogSummary()
            for index in 0..<ranges.count { file.append((summaries.baseAddress! + index).move()) }
            aggregateTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            #expect(file.lines == count)
            #expect(file.summary.records == count)
        }
        let aggregateMedian = aggregateTimes.sorted()[aggregateTimes.count / 2]
        print(String(format: "Read + aggregate (ChunkAggregator), %d chunks on all cores: %.3f s median of 5 = %.0f lines/s",
                     ranges.count, aggregateMedian, Double(count) / aggregateMedian))
    }
}

// MARK: - Helpers

extension ReaderTests {
    /// A record as plain values, so tests compare with `==`.
    struct ReadRecord: Equatable, CustomStringConvertible {
        var line: Int
        var id, version, provider, operation, strategy, status, error: String?
        var latencyMs, cost: Double?
        var createdAt: String?
        var rating: Double?
        var experiment, arm, node, block, prompt: String?

        init(line: Int, _ view: LogRecordView) {
            self.line = line
            id = view.id?.string
            version = view.version?.string
            provider = view.provider?.string
            operation = view.operation?.string
            strategy = view.strategy?.string
            status = view.status?.name
            error = view.error?.string
            latencyMs = view.latencyMs
            cost = view.cost
            createdAt = view.createdAt?.string
            rating = view.rating
            experiment = view.experiment?.string
            arm = view.arm?.string
            node = view.node?.string
            block = view.block?.string
            prompt = view.prompt?.string
        }

        var description: String { "line \(line): \(id ?? "-") \(status ?? "-") \(prompt ?? "-")" }
    }

    struct ReadProblem: Equatable, CustomStringConvertible {
        var line: Int
        var column: Int?
        var message: String
        var description: String { "\(line):\(column.map(String.init) ?? "-"): \(message)" }
    }

    /// Keeps everything a reader delivers.
    struct RecordingSink: LogSink {
        var records: [ReadRecord] = []
        var problems: [ReadProblem] = []
        /// Values left out of their records.
        var ignored: [ReadProblem] = []
        /// Unfinished generations: the message is the status.
        var unfinished: [ReadProblem] = []

        mutating func ignored(_ field: String, _ reason: IgnoredValue, line: Int, column: Int?, text: UnsafeBufferPointer<UInt8>) {
            ignored.append(ReadProblem(line: line, column: column, message: reason.message(field: field)))
        }

        mutating func unfinished(_ status: UnfinishedStatus, line: Int, text: UnsafeBufferPointer<UInt8>) {
            unfinished.append(ReadProblem(line: line, column: nil, message: status.name))
        }

        mutating func record(_ record: LogRecordView, line: Int) {
            records.append(ReadRecord(line: line, record))
        }

        mutating func malformed(line: Int, column: Int?, message: String) {
            problems.append(ReadProblem(line: line, column: column, message: message))
        }

        /// The same, as if read from `lines` lines further down.
        func shifted(by lines: Int) -> RecordingSink {
            var copy = self
            for index in copy.records.indices { copy.records[index].line += lines }
            for index in copy.problems.indices { copy.problems[index].line += lines }
            for index in copy.ignored.indices { copy.ignored[index].line += lines }
            for index in copy.unfinished.indices { copy.unfinished[index].line += lines }
            return copy
        }

        mutating func append(_ other: RecordingSink) {
            records += other.records
            problems += other.problems
            ignored += other.ignored
            unfinished += other.unfinished
        }
    }

    /// A folder of log files, removed at the end of the test.
    final class LogFolder {
        let url: URL

        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("reader-tests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(at: url) }

        func write(_ name: String, _ text: String) throws -> URL {
            try write(name, Data(text.utf8))
        }

        func write(_ name: String, _ data: Data) throws -> URL {
            let file = url.appendingPathComponent(name)
            try data.write(to: file)
            return file
        }

        /// `members` gzip members, one after another, written with zlib's gzip file API
        /// (mode "ab" starts a new member on each open).
        func writeGzip(_ name: String, members: [String]) throws -> URL {
            let file = url.appendingPathComponent(name)
            for member in members {
                guard let gz = gzopen(file.path, "ab") else { throw LogReadError(path: file.path, message: "gzopen failed") }
                let bytes = Array(member.utf8)
                if !bytes.isEmpty {
                    let written = bytes.withUnsafeBytes { gzwrite(gz, $0.baseAddress, UInt32($0.count)) }
                    #expect(written == Int32(bytes.count))
                }
                #expect(gzclose(gz) == Z_OK)
            }
            return file
        }
    }

    static func readAll(_ url: URL, _ format: LogFormat, bufferSize: Int? = nil) throws -> (sink: RecordingSink, lines: Int) {
        var sink = RecordingSink()
        let lines = if let bufferSize {
            try LogReader.read(url, format: format, bufferSize: bufferSize, into: &sink)
        } else {
            try LogReader.read(url, format: format, into: &sink)
        }
        return (sink, lines)
    }

    /// Reads a JSON Lines text and returns what came out.
    static func readJSONLines(_ text: String, bufferSize: Int? = nil) throws -> (sink: RecordingSink, lines: Int) {
        let folder = try LogFolder()
        return try Self.readAll(try folder.write("log.jsonl", text), .jsonLines, bufferSize: bufferSize)
    }

    static func readCSV(_ text: String, bufferSize: Int? = nil) throws -> (sink: RecordingSink, lines: Int) {
        let folder = try LogFolder()
        return try Self.readAll(try folder.write("log.csv", text), .csv, bufferSize: bufferSize)
    }

    static let specExample = #"{"id":"g-000001","version":"harbor-sunset-walk@3","provider":"pixverse","operation":"text_to_video","strategy":"once","status":"success","error":null,"latency_ms":41250,"cost":0.21,"created_at":"2025-11-17T10:00:00Z","rating":4,"experiment":"sunset-light","arm":"B","node":"harbor-evening/walk","block":null,"prompt":"Mara walks along the pier ..."}"#

    /// Touches every field, so the reader cannot skip work, at the cost of a few additions.
    struct TouchingSink: LogSink {
        var records = 0
        var malformed = 0
        var checksum = 0.0

        mutating func record(_ record: LogRecordView, line: Int) {
            records += 1
            var length = (record.id?.count ?? 0) &+ (record.version?.count ?? 0) &+ (record.provider?.count ?? 0)
            length &+= (record.operation?.count ?? 0) &+ (record.strategy?.count ?? 0) &+ (record.error?.count ?? 0)
            length &+= (record.createdAt?.count ?? 0) &+ (record.experiment?.count ?? 0) &+ (record.arm?.count ?? 0)
            length &+= (record.node?.count ?? 0) &+ (record.block?.count ?? 0) &+ (record.prompt?.count ?? 0)
            checksum += Double(length) + (record.latencyMs ?? 0) + (record.cost ?? 0) + (record.rating ?? 0) + Double(record.status?.rawValue ?? 0)
        }

        mutating func malformed(line: Int, column: Int?, message: String) { malformed += 1 }
    }

    /// A realistic log for timing: about 350 bytes a line.
    enum PerfLog {
        static func write(lines count: Int, to url: URL) throws {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            var generator = SplitMix(seed: 2025)
            let providers = ["pixverse", "kling", "runway", "luma", "veo"]
            let errors = ["prompt_too_long", "moderation", "timeout"]
            let words = ["Mara", "walks", "along", "the", "pier", "at", "sunset", "golden", "light", "gulls", "over", "water", "slow", "camera", "pan", "café"]
            var batch = ""
            for index in 0..<count {
                let roll = generator.next() % 100
                let status = roll < 80 ? "success" : roll < 95 ? "failed" : "cancelled"
                let error = status == "failed" ? "\"\(errors[Int(generator.next() % 3)])\"" : "null"
                var prompt = ""
                while prompt.utf8.count < 50 { prompt += words[Int(generator.next() % UInt64(words.count))] + " " }
                let experiment = generator.next() % 4 == 0 ? "\"sunset-light\",\"arm\":\"\(generator.next() % 2 == 0 ? "A" : "B")\"" : "null,\"arm\":null"
                batch += #"{"id":"g-\#(String(format: "%07d", index))","version":"family-\#(generator.next() % 1000)@\#(generator.next() % 9 + 1)","provider":"\#(providers[Int(generator.next() % 5)])","operation":"text_to_video","strategy":"once","status":"\#(status)","error":\#(error),"latency_ms":\#(1000 + generator.next() % 90_000),"cost":0.\#(10 + generator.next() % 89),"created_at":"2025-11-\#(10 + generator.next() % 20)T\#(10 + generator.next() % 10):00:00Z","rating":\#(generator.next() % 5 + 1),"experiment":\#(experiment),"node":"harbor-evening/walk","block":null,"prompt":"\#(prompt)"}"# + "\n"
                if batch.utf8.count > 1 << 20 {
                    handle.write(Data(batch.utf8))
                    batch = ""
                }
            }
            handle.write(Data(batch.utf8))
        }
    }

    /// A small deterministic random generator for generated logs.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}

private extension Array where Element == UInt8 {
    func prepending(_ bytes: [UInt8]) -> [UInt8] { bytes + self }
}
