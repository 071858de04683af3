import Foundation
import Testing
import TextDiff

/// `line 1` … `line n`, one per line, without a trailing newline.
func numberedLines(_ count: Int) -> [String] {
    (1...count).map { "line \($0)" }
}

func render(_ old: [String], _ new: [String], context: Int = 3) -> String {
    var diff = UnifiedDiff(oldName: "a", newName: "b", old: old.joined(separator: "\n"), new: new.joined(separator: "\n"))
    diff.context = context
    return diff.render(color: false)
}

@Suite struct UnifiedDiffTests {
    @Test func fiveChangedLinesInTheMiddleOfTen() {
        let old = numberedLines(10)
        var new = old
        for index in 3...7 { new[index] = "LINE \(index + 1)" }   // lines 4–8
        // Three lines of context before (1–3) and the two that exist after (9–10): the whole file.
        #expect(render(old, new) == """
            --- a
            +++ b
            @@ -1,10 +1,10 @@
             line 1
             line 2
             line 3
            -line 4
            -line 5
            -line 6
            -line 7
            -line 8
            +LINE 4
            +LINE 5
            +LINE 6
            +LINE 7
            +LINE 8
             line 9
             line 10

            """)
    }

    @Test func fiveChangedLinesInTheMiddleOfTwenty() {
        let old = numberedLines(20)
        var new = old
        for index in 8...12 { new[index] = "LINE \(index + 1)" }   // lines 9–13
        // Context 6–8 before and 14–16 after: 3 + 5 + 3 = 11 lines on each side, from line 6.
        let expected = "--- a\n+++ b\n@@ -6,11 +6,11 @@\n"
            + (6...8).map { " line \($0)\n" }.joined()
            + (9...13).map { "-line \($0)\n" }.joined()
            + (9...13).map { "+LINE \($0)\n" }.joined()
            + (14...16).map { " line \($0)\n" }.joined()
        #expect(render(old, new) == expected)
    }

    @Test func insertionIntoAnEmptyText() {
        #expect(UnifiedDiff(oldName: "a", newName: "b", old: "", new: "x").render(color: false) == "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n")
    }

    @Test func deletionOfEverything() {
        #expect(UnifiedDiff(oldName: "a", newName: "b", old: "a\nb", new: "").render(color: false) == "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-a\n-b\n")
    }

    @Test func insertionBeforeTheFirstLine() {
        #expect(render(["a", "b", "c"], ["x", "a", "b", "c"]) == "--- a\n+++ b\n@@ -1,3 +1,4 @@\n+x\n a\n b\n c\n")
    }

    @Test func deletionAtTheEnd() {
        let old = numberedLines(10)
        #expect(render(old, Array(old.prefix(8))) == "--- a\n+++ b\n@@ -6,5 +6,3 @@\n line 6\n line 7\n line 8\n-line 9\n-line 10\n")
    }

    @Test func twoDistantChangesGiveTwoHunks() {
        let old = numberedLines(20)
        var new = old
        new[1] = "LINE 2"
        new[17] = "LINE 18"
        #expect(render(old, new) == """
            --- a
            +++ b
            @@ -1,5 +1,5 @@
             line 1
            -line 2
            +LINE 2
             line 3
             line 4
             line 5
            @@ -15,6 +15,6 @@
             line 15
             line 16
             line 17
            -line 18
            +LINE 18
             line 19
             line 20

            """)
    }

    @Test func changesSixLinesApartShareAHunkSevenApartDoNot() {
        let old = numberedLines(20)
        var six = old
        six[4] = "X"; six[11] = "Y"    // lines 5 and 12: lines 6–11 between
        #expect(render(old, six).components(separatedBy: "\n@@").count == 2)
        #expect(render(old, six).contains("@@ -2,14 +2,14 @@\n"))

        var seven = old
        seven[4] = "X"; seven[12] = "Y"    // lines 5 and 13: lines 6–12 between
        let split = render(old, seven)
        #expect(split.contains("@@ -2,7 +2,7 @@\n"))
        #expect(split.contains("@@ -10,7 +10,7 @@\n"))
    }

    @Test func identicalTextsGiveOnlyTheHeader() {
        let diff = UnifiedDiff(oldName: "harbor@1", newName: "harbor@2", old: "same\ntext", new: "same\ntext")
        #expect(diff.isEmpty)
        #expect(diff.render(color: false) == "--- harbor@1\n+++ harbor@2\n")
        #expect(diff.renderWords(color: false) == "--- harbor@1\n+++ harbor@2\n")
    }

    @Test func zeroContext() {
        let old = numberedLines(10)
        var changed = old
        changed[4] = "five"
        #expect(render(old, changed, context: 0) == "--- a\n+++ b\n@@ -5 +5 @@\n-line 5\n+five\n")
        var inserted = old
        inserted.insert("new", at: 3)
        // An insertion after line 3: GNU writes the empty old range as `3,0`.
        #expect(render(old, inserted, context: 0) == "--- a\n+++ b\n@@ -3,0 +4 @@\n+new\n")
    }

    @Test func colorWrapsHeaderHunksAndLines() {
        let diff = UnifiedDiff(oldName: "a", newName: "b", old: "keep\nold", new: "keep\nnew")
        let colored = diff.render(color: true)
        #expect(colored == "\u{1B}[1m--- a\u{1B}[0m\n\u{1B}[1m+++ b\u{1B}[0m\n"
            + "\u{1B}[36m@@ -1,2 +1,2 @@\u{1B}[0m\n keep\n\u{1B}[31m-old\u{1B}[0m\n\u{1B}[32m+new\u{1B}[0m\n")
        #expect(!diff.render(color: false).contains("\u{1B}"))
    }

    // MARK: Agreement with GNU diff

    static let hasDiff = FileManager.default.isExecutableFile(atPath: "/usr/bin/diff")

    /// `diff -u` on two files holding the lines (each ending in a newline), minus its two header lines.
    static func gnuDiff(_ old: [String], _ new: [String], context: Int) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("textdiff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let oldFile = folder.appendingPathComponent("old"), newFile = folder.appendingPathComponent("new")
        try old.map { $0 + "\n" }.joined().write(to: oldFile, atomically: true, encoding: .utf8)
        try new.map { $0 + "\n" }.joined().write(to: newFile, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
        process.arguments = ["-U\(context)", oldFile.path, newFile.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == (old == new ? 0 : 1))
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n")
    }

    static func gnuCases() -> [(name: String, old: [String], new: [String], context: Int)] {
        let twenty = numberedLines(20)
        var middle = twenty
        for index in 8...12 { middle[index] = "LINE \(index + 1)" }
        var twoHunks = twenty
        twoHunks[1] = "LINE 2"; twoHunks[17] = "LINE 18"
        var sixApart = twenty
        sixApart[4] = "X"; sixApart.insert("Y", at: 11)
        var sevenApart = twenty
        sevenApart.remove(at: 4); sevenApart[11] = "Y"
        var mixed = twenty
        mixed.insert("first", at: 0); mixed.remove(at: 10); mixed.append("last")
        return [
            ("middle replacement", twenty, middle, 3),
            ("two hunks", twenty, twoHunks, 3),
            ("change then insertion six lines later", twenty, sixApart, 3),
            ("deletion then change seven lines later", twenty, sevenApart, 3),
            ("insert at start, delete inside, append", twenty, mixed, 3),
            ("insert before line 1", ["a", "b", "c"], ["x", "a", "b", "c"], 3),
            ("into an empty file", [], ["x", "y"], 3),
            ("delete the tail", twenty, Array(twenty.prefix(17)), 3),
            ("zero context", twenty, mixed, 0),
            ("one line of context", twenty, twoHunks, 1),
        ]
    }

    @Test(.enabled(if: hasDiff, "/usr/bin/diff is not installed"))
    func hunksMatchGNUDiff() throws {
        for testCase in Self.gnuCases() {
            let ours = render(testCase.old, testCase.new, context: testCase.context)
                .split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n")
            let theirs = try Self.gnuDiff(testCase.old, testCase.new, context: testCase.context)
            #expect(ours == theirs, "\(testCase.name)")
        }
    }
}

@Suite struct WordRenderTests {
    static func words(_ old: String, _ new: String) -> String {
        UnifiedDiff(oldName: "a", newName: "b", old: old, new: new).renderWords(color: false)
    }

    @Test func marksChangesInsideTheLine() {
        #expect(Self.words("Soft light at dusk", "Warm light at night") == "--- a\n+++ b\n@@ line 1 @@\n[-Soft-]{+Warm+} light at [-dusk-]{+night+}\n")
    }

    @Test func showsOnlyLinesNearTheChange() {
        let old = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
        var new = old
        new[4] = "5"
        #expect(Self.words(old.joined(separator: "\n"), new.joined(separator: "\n")) == """
            --- a
            +++ b
            @@ line 2 @@
            two
            three
            four
            [-five-]{+5+}
            six
            seven
            eight

            """)
    }

    @Test func distantChangesGetSeparateHeaders() {
        let old = numberedLines(20)
        var new = old
        new[0] = "line one"
        new[19] = "line twenty"
        #expect(Self.words(old.joined(separator: "\n"), new.joined(separator: "\n")) == """
            --- a
            +++ b
            @@ line 1 @@
            line [-1-]{+one+}
            line 2
            line 3
            line 4
            @@ line 17 @@
            line 17
            line 18
            line 19
            line [-20-]{+twenty+}

            """)
    }

    @Test func lineBreaksChangedInsideALineAreMarked() {
        #expect(Self.words("a", "a\n") == "--- a\n+++ b\n@@ line 1 @@\na{+↵+}\n")
        #expect(Self.words("a\nb", "a b") == "--- a\n+++ b\n@@ line 1 @@\na[-↵-]{+ +}b\n")
        #expect(Self.words("a b", "a\nb") == "--- a\n+++ b\n@@ line 1 @@\na[- -]{+↵+}\nb\n")
    }

    @Test func wholeLinesInsertedAndDeleted() {
        #expect(Self.words("a\nc", "a\nb\nc") == "--- a\n+++ b\n@@ line 1 @@\na\n{+b+}\nc\n")
        #expect(Self.words("a\nb\nc", "a\nc") == "--- a\n+++ b\n@@ line 1 @@\na\n[-b-]\nc\n")
    }

    @Test func colorUsesInverseRedAndGreen() {
        let diff = UnifiedDiff(oldName: "a", newName: "b", old: "a gull", new: "a tern")
        #expect(diff.renderWords(color: true) == "\u{1B}[1m--- a\u{1B}[0m\n\u{1B}[1m+++ b\u{1B}[0m\n\u{1B}[36m@@ line 1 @@\u{1B}[0m\n"
            + "a \u{1B}[1;31;7mgull\u{1B}[0m\u{1B}[1;32;7mtern\u{1B}[0m\n")
    }
}
