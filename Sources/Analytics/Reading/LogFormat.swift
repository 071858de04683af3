/// The three shapes a generation log comes in (SPEC §2.10), told apart by the file name.
public enum LogFormat: Sendable {
    /// `*.jsonl`: one JSON object per line.
    case jsonLines
    /// `*.csv`: RFC 4180 with a header row naming the columns.
    case csv
    /// `*.jsonl.gz`: JSON Lines compressed with gzip (one or more members).
    case gzippedJSONLines

    /// The format named by the end of `path` (case-insensitive), or nil for any other file.
    public init?(path: String) {
        let name = path.lowercased()
        if name.hasSuffix(".jsonl.gz") {
            self = .gzippedJSONLines
        } else if name.hasSuffix(".jsonl") {
            self = .jsonLines
        } else if name.hasSuffix(".csv") {
            self = .csv
        } else {
            return nil
        }
    }
}
