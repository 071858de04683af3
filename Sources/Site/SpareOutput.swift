import Foundation
import PromptCatalog

/// The site a build replaced is kept beside the output as `.Output.spare` instead of being deleted.
/// The next incremental build fills the spare — which differs from the wanted site only in the files
/// that changed over the last two builds — and exchanges it with the output. So a rebuild after one
/// edit touches a handful of files instead of creating and deleting tens of thousands of folders and
/// files, and the output is still replaced in one atomic step.
extension OutputWriter {
    static func spare(of output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).spare")
    }

    /// Like `replace`, but keeps the replaced site as the spare. `reuseSpare`: the caller knows what
    /// the spare holds (it calls `invalidate` before the spare is touched, so a build killed while
    /// filling it never trusts it again). `fill` is told whether it fills the spare or an empty folder.
    static func update(_ output: URL, reuseSpare: Bool, invalidate: () -> Void, fill: (StagingFolder, Bool) throws -> Void) throws {
        let manager = FileManager.default
        let lock = try claim(output)
        defer { lock.release() }
        let spare = spare(of: output)
        let spareExists = manager.fileExists(atPath: spare.path)
        let outputExists = manager.fileExists(atPath: output.path)
        let useSpare = reuseSpare && spareExists && outputExists
        if spareExists {
            invalidate()
            if !useSpare {
                // Only ever a folder a build left (it carries the output marker); anything else is not ours.
                guard manager.fileExists(atPath: spare.appendingPathComponent(markerName).path) else {
                    throw Refusal(description: "refusing to replace \(spare.path): it was not written by promptsite")
                }
                // The marker goes last: a build killed on the way leaves a spare the next one still removes.
                removeOwnFolder(spare, markedBy: markerName)
            }
        }
        let staging = useSpare ? spare : leftover(.staging, of: output)
        if !useSpare { try makeStaging(staging, beside: output) }
        do {
            try fill(StagingFolder(root: staging), useSpare)
            let marker = staging.appendingPathComponent(markerName).path
            unlink(marker)
            if let problem = writeFile(Data(markerText.utf8), to: marker) { throw Refusal(description: problem) }
            // The new site is the output from the swap on: it carries no staging mark.
            if !useSpare { unlink(staging.appendingPathComponent(stagingName).path) }
        } catch {
            // A half-filled spare is no longer described by the cache (invalidated above): it is removed
            // by the next build. A staging folder goes now.
            if !useSpare { discard(staging) }
            throw error
        }
        guard outputExists else {
            guard rename(staging.path, output.path) == 0 else {
                throw Refusal(description: "cannot move the new site into \(output.path): \(String(cString: strerror(errno)))")
            }
            return
        }
        if exchange(staging.path, output.path) {
            // The replaced site is at the staging path: it becomes the spare, unless it has no
            // marker (the empty folder `validate` let through, a site from before the marker).
            if discardUnmarked(staging) { return }
            if !useSpare, rename(staging.path, spare.path) != 0 { discard(staging) }
            return
        }
        // No exchange on this system: move the old site aside as the spare, then the new one in.
        let aside = useSpare ? leftover(.retired, of: output) : spare
        if useSpare {
            try moveAside(output, to: aside)
        } else if rename(output.path, aside.path) != 0 {
            throw Refusal(description: "cannot move the previous site aside: \(String(cString: strerror(errno)))")
        }
        guard rename(staging.path, output.path) == 0 else {
            let problem = String(cString: strerror(errno))
            if rename(aside.path, output.path) == 0 { unlink(output.appendingPathComponent(stagingName).path) }
            throw Refusal(description: "cannot move the new site into \(output.path): \(problem)")
        }
        if !discardUnmarked(aside), useSpare, rename(aside.path, spare.path) == 0 { unlink(spare.appendingPathComponent(stagingName).path) }
    }

    /// A replaced folder without the marker is no spare (the next build would refuse to touch
    /// it): it is removed when `checkOwnership` would have let a build replace it (empty, or a
    /// site from before the marker), else left where it is. True when it had no marker.
    private static func discardUnmarked(_ folder: URL) -> Bool {
        guard !FileManager.default.fileExists(atPath: folder.appendingPathComponent(markerName).path) else { return false }
        if (try? checkOwnership(of: folder)) != nil { try? FileManager.default.removeItem(at: folder) }
        return true
    }
}

extension StagingFolder {
    /// Brings a spare site (the output of an earlier build, described by `spare`) to the wanted files:
    /// a file whose fingerprint the spare already has stays; one the current output has is hard-linked
    /// from it; the others are rendered. Files the wanted site does not have are removed. A file is
    /// never written in place (it may be a hard link shared with the live site): it is unlinked first.
    func fillSpare(_ outputs: PendingOutputs, spare: [String: OutputRecord], live: [String: OutputRecord], liveRoot: URL,
                   progress: BuildProgress?) throws -> [WriteOutcome] {
        let wanted = Set(outputs.paths)
        for path in spare.keys where !wanted.contains(path) && OutputWriter.isSafeRelativePath(path) {
            unlink(self.path(of: path))
            var folder = StagingFolder.parent(of: path)
            while !folder.isEmpty, rmdir(self.path(of: folder)) == 0 { folder = StagingFolder.parent(of: folder) }
        }
        let liveRootPath = liveRoot.path
        let results = parallelMap(Array(0..<outputs.count)) { index -> Result<WriteOutcome, BuildError> in
            let output = outputs[index]
            defer { progress?.advance() }
            if let failure = output.failure { return .failure(failure) }
            guard OutputWriter.isSafeRelativePath(output.path) else {
                return .failure(BuildError(step: "render and write", message: "refusing to write outside the output folder: \(output.path)"))
            }
            let target = path(of: output.path)
            if let record = spare[output.path], record.fingerprint == output.fingerprint, isPlainFile(target, size: record.size) {
                return .success(WriteOutcome(reused: true, size: record.size, of: output))
            }
            if unlink(target) != 0, errno == EISDIR || errno == EPERM { try? FileManager.default.removeItem(atPath: target) }
            makeParents(of: output.path)
            if let record = live[output.path], record.fingerprint == output.fingerprint {
                let source = liveRootPath + "/" + output.path
                if isPlainFile(source, size: record.size), link(source, target) == 0 {
                    return .success(WriteOutcome(reused: true, size: record.size, of: output))
                }
            }
            return render(output)
        }
        return try results.map { try $0.get() }
    }

    private func isPlainFile(_ path: String, size: Int) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && Int(info.st_size) == size
    }

    /// `mkdir -p` for the folder of a site-relative path (several threads may race: EEXIST is fine).
    private func makeParents(of path: String) {
        let folder = StagingFolder.parent(of: path)
        guard !folder.isEmpty else { return }
        let full = self.path(of: folder)
        if mkdir(full, 0o755) == 0 { return }
        if errno == EEXIST {
            var info = stat()
            if stat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return }
            unlink(full)  // a file where a folder is wanted now
        }
        makeParents(of: folder)
        mkdir(full, 0o755)
    }
}
