import Analytics
import Checks
import Diagnostics
import Foundation
import Project
import PromptCatalog

/// What happened to one file of the output.
struct WriteOutcome: Sendable {
    let reused: Bool
    /// The page was taken on its key (PageKeys.swift).
    let keyMatched: Bool
    /// What the cache records for the file.
    let record: OutputRecord

    init(reused: Bool, size: Int, modified: Int64, of output: PreparedOutput) {
        self.reused = reused
        keyMatched = output.keyMatched
        record = OutputRecord(fingerprint: output.fingerprint, size: size, key: output.key, modified: modified)
    }
}

/// The files to write, each fingerprinted (and its view model boxed) only when the writer reaches
/// it, on the core that writes it: no boxed page waits in memory for the others.
struct PendingOutputs: Sendable {
    let files: [OutputFile]
    let prepare: @Sendable (OutputFile) -> PreparedOutput
    /// The order the writer takes the files in: those that will probably be made anew first, those
    /// whose key the last build recorded last. A rebuild after one edit otherwise met its few real
    /// pieces of work (the search index: the whole catalog) at the end, on one core.
    let order: [Int]

    /// `keyMatches`: whether a keyed file's key is the last build's (it will probably be reused).
    init(files: [OutputFile], keyMatches: (OutputFile) -> Bool = { _ in false }, prepare: @escaping @Sendable (OutputFile) -> PreparedOutput) {
        self.files = files
        self.prepare = prepare
        var fresh: [Int] = [], other: [Int] = [], matched: [Int] = []
        for (index, file) in files.enumerated() {
            if case .keyed = file.content { if keyMatches(file) { matched.append(index) } else { fresh.append(index) } } else { other.append(index) }
        }
        order = fresh + other + matched
    }

    var count: Int { files.count }
    var paths: [String] { files.map(\.path) }
    subscript(index: Int) -> PreparedOutput { prepare(files[index]) }

    /// `transform` of every file on all cores, taken in `order`; the results in the files' order.
    func map<Output: Sendable>(_ transform: @Sendable (PreparedOutput) -> Output) -> [Output] {
        let done = parallelMap(order) { transform(self[$0]) }
        var results = [Output?](repeating: nil, count: files.count)
        for (position, index) in order.enumerated() { results[index] = done[position] }
        return results.map { $0! }
    }
}

extension StagingFolder {
    /// Writes every file on all cores: a file whose fingerprint the previous output recorded (with
    /// the same size on disk) is hard-linked from it (copied where links are not possible); the
    /// others are rendered right before being written.
    func writeIncrementally(_ outputs: PendingOutputs, previous: [String: OutputRecord], previousRoot: URL,
                            progress: BuildProgress?) throws -> [WriteOutcome] {
        let previousRootPath = previousRoot.path
        let results = outputs.map { output -> Result<WriteOutcome, BuildError> in
            defer { progress?.advance() }
            if let failure = output.failure { return .failure(failure) }
            if let record = previous[output.path], record.fingerprint == output.fingerprint,
               let modified = reuse(output.path, from: previousRootPath, record: record) {
                return .success(WriteOutcome(reused: true, size: record.size, modified: modified, of: output))
            }
            return render(output)
        }
        return try results.map { try $0.get() }
    }

    /// Renders one file over the plain file at `target` (inside the folder), in place; a file that
    /// cannot be opened so is written anew.
    func rewrite(_ output: PreparedOutput, at target: String) -> Result<WriteOutcome, BuildError> {
        make(output) { data in
            var modified: Int64 = 0
            guard OutputWriter.rewriteFile(data, at: target, modified: &modified) == nil else {
                unlink(target)
                return try write(data, to: output.path)
            }
            return modified
        }
    }

    /// Renders one file and writes it (its folder exists).
    func render(_ output: PreparedOutput) -> Result<WriteOutcome, BuildError> {
        make(output) { data in try write(data, to: output.path) }
    }

    /// The file's bytes, stored by `store` (which gives the file's modification time); any
    /// failure as the build's error.
    private func make(_ output: PreparedOutput, store: (Data) throws -> Int64) -> Result<WriteOutcome, BuildError> {
        do {
            let data = try output.produce()
            let modified = try store(data)
            return .success(WriteOutcome(reused: false, size: data.count, modified: modified, of: output))
        } catch let error as BuildError {
            return .failure(error)
        } catch {
            return .failure(BuildError(step: "render and write", message: "\(output.path): \(error)"))
        }
    }

    /// Takes `path` from the previous output when it is the file `record` describes (a plain
    /// file of its size and modification time); returns the new file's modification time.
    private func reuse(_ path: String, from previousRoot: String, record: OutputRecord) -> Int64? {
        guard OutputWriter.isSafeRelativePath(path) else { return nil }
        let old = previousRoot + "/" + path, new = self.path(of: path)
        var info = stat()
        guard lstat(old, &info) == 0, record.describes(info) else { return nil }
        if link(old, new) == 0 { return record.modified }
        guard let data = FileManager.default.contents(atPath: old), data.count == record.size else { return nil }
        var modified: Int64 = 0
        return OutputWriter.writeFile(data, to: new, modified: &modified) == nil ? modified : nil
    }
}
