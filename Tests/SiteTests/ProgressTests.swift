import Foundation
import Site
import Testing

@Suite struct ProgressTests {
    final class Lines: @unchecked Sendable {
        let lock = NSLock()
        var written: [String] = []
        func append(_ text: String) { lock.withLock { written.append(text) } }
    }

    final class Clock: @unchecked Sendable {
        var now = 100.0
    }

    @Test func oneLineThatUpdatesWithStepDoneTotalAndRate() {
        let lines = Lines(), clock = Clock()
        let progress = TerminalProgress(write: lines.append, clock: { clock.now })
        progress.step("load content")
        #expect(lines.written.last == "\r\u{1B}[2Kload content…")
        progress.step("render and write atomically")
        progress.total(400)
        clock.now += 2
        for _ in 0..<200 { progress.advance() }
        // At most ten updates a second: one line for the 200 files done in the same instant.
        #expect(lines.written.count == 3)
        #expect(lines.written.last == "\r\u{1B}[2Krender and write atomically: 1/400 (0/s)")
        clock.now += 0.5
        progress.advance()
        #expect(lines.written.last == "\r\u{1B}[2Krender and write atomically: 201/400 (80/s)")
        progress.finish()
        #expect(lines.written.last == "\r\u{1B}[2K")
    }

    @Test func theLineInWords() {
        #expect(TerminalProgress.line(step: "plan sections", done: 0, total: 0, seconds: 0) == "plan sections…")
        #expect(TerminalProgress.line(step: "render and write atomically", done: 5_000, total: 12_047, seconds: 2) == "render and write atomically: 5000/12047 (2500/s)")
    }
}
