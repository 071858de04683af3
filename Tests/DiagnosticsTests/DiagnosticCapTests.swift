import Diagnostics
import Testing

/// A file lists at most `listed` diagnostics of one code; one more says how many were left out, at
/// the most severe level among them (an error left out still fails the check).
@Suite struct DiagnosticCapTests {
    @Test func eachFileAndCodeIsCutToItsFirstOnes() {
        let many = (1...7).map { (n: Int) in Diagnostic.warning("x", "w\(n)", at: SourceLocation(file: "a.yaml", line: n, column: 1)) }
            + [Diagnostic.error("x", "e8", at: SourceLocation(file: "a.yaml", line: 8, column: 1))]
            + (1...3).map { (n: Int) in Diagnostic.warning("y", "y\(n)", at: SourceLocation(file: "a.yaml", line: n, column: 2)) }
            + (1...4).map { (n: Int) in Diagnostic.info("x", "b\(n)", at: SourceLocation(file: "b.yaml", line: n)) }
        let capped = Diagnostic.capped(Diagnostic.sorted(many), listed: 3)
        #expect(capped.map(\.description) == [
            "a.yaml: error[x]: 5 more `x` in this file are not listed (the first 3 are)",
            "a.yaml:1:1: warning[x]: w1", "a.yaml:1:2: warning[y]: y1", "a.yaml:2:1: warning[x]: w2", "a.yaml:2:2: warning[y]: y2",
            "a.yaml:3:1: warning[x]: w3", "a.yaml:3:2: warning[y]: y3",
            "b.yaml: info[x]: 1 more `x` in this file is not listed (the first 3 are)",
            "b.yaml:1: info[x]: b1", "b.yaml:2: info[x]: b2", "b.yaml:3: info[x]: b3",
        ])
        #expect(capped.first?.hint == "fix the ones listed, then check again")
        let few = Array(many.prefix(3))
        #expect(Diagnostic.capped(few, listed: 3) == few)
    }
}
