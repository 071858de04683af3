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

    init(reused: Bool, size: Int, of output: PreparedOutput) {
        self.reused = reused
        keyMatched = output.keyMatched
        record = OutputRecord(fingerprint: output.fingerprint, size: size, key: output.key)
    }
}

/// The files to write, each fingerprinted (and its view model boxed) only when the writer reaches
/// it, on the core that writes it: no boxed page waits in memory for the others.
struct PendingOutputs: Sendable {
    let files: [OutputFile]
    let prepare: @Sendable (OutputFile) -> PreparedOutput

    var count: Int { files.count }
    var paths: [String] { files.map(\.path) }
    subscript(index: Int) -> PreparedOutput { prepare(files[index]) }
}

extension StagingFolder {
    /// Writes every file on all cores: a file whose fingerprint the previous output recorded (with
    /// the same size on disk) is hard-linked from it (copied where links are not possible); the
    /// others are rendered right before being written.
    func writeIncrementally(_ outputs: PendingOutputs, previous: [String: OutputRecord], previousRoot: URL,
                            progress: BuildProgress?) throws -> [WriteOutcome] {
        let previousRootPath = previousRoot.path
        let results = parallelMap(Array(0..<outputs.count)) { index -> Result<WriteOutcome, BuildError> in
            let output = outputs[index]
            defer { progress?.advance() }
            if let failure = output.failure { return .failure(failure) }
            if let record = previous[output.path], record.fingerprint == output.fingerprint,
               reuse(output.path, from: previousRootPath, size: record.size) {
                return .success(WriteOutcome(reused: true, size: record.size, of: output))
            }
            return render(output)
        }
        return try results.map { try $0.get() }
    }

    /// Renders one file and writes it (its folder exists).
    func render(_ output: PreparedOutput) -> Result<WriteOutcome, BuildError> {
        do {
            let data = try output.produce()
            try write(data, to: output.path)
            return .success(WriteOutcome(reused: false, size: data.count, of: output))
        } catch let error as BuildError {
            return .failure(error)
        } catch {
            return .failure(BuildError(step: "render and write", message: "\(output.path): \(error)"))
        }
    }

    /// Takes `path` from the previous output when it is a plain file of the recorded size.
    private func reuse(_ path: String, from previousRoot: String, size: Int) -> Bool {
        guard OutputWriter.isSafeRelativePath(path) else { return false }
        let old = previousRoot + "/" + path, new = self.path(of: path)
        var info = stat()
        guard lstat(old, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == size else { return false }
        if link(old, new) == 0 { return true }
        guard let data = FileManager.default.contents(atPath: old), data.count == size else { return false }
        return OutputWriter.writeFile(data, to: new) == nil
    }
}
