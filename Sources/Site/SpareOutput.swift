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

    /// What a build writes into: an empty folder, the spare as the cache describes it, or the spare
    /// taken as unknown — every wanted file written, everything else in it swept away — which keeps
    /// its folders and the inodes of its own files instead of deleting a whole site and creating
    /// another (`--no-cache` on 10,000 versions took 6–7 s, a cold build 2.2 s: ext4 stepped over
    /// every inode just deleted).
    enum SpareUse: Equatable, Sendable { case fresh, described, unknown }

    /// Like `replace`, but keeps the replaced site as the spare. `reuseSpare`: the caller knows what
    /// the spare holds (it calls `invalidate` before the spare is touched, so a build killed while
    /// filling it never trusts it again). `fill` is told what it fills (`SpareUse`).
    /// `described`: asked once the lock is held, whether the output and the spare are still the
    /// sites the caller read about (another build may have replaced them in between).
    static func update(_ output: URL, reuseSpare: Bool, described: () -> Bool = { true }, invalidate: () -> Void,
                       fill: (StagingFolder, SpareUse) throws -> Void) throws {
        let manager = FileManager.default
        let lock = try claim(output)
        defer { lock.release() }
        let spare = spare(of: output)
        let spareExists = manager.fileExists(atPath: spare.path)
        let outputExists = manager.fileExists(atPath: output.path)
        let stillDescribed = described()
        // A spare with no output to exchange it with is removed once the new site is in place.
        var unused: URL?
        defer { if let unused { removeOwnFolder(unused, markedBy: stagingName, onAllCores: true) } }
        if spareExists {
            invalidate()
            // Only ever a folder a build left (it carries the output marker); anything else is not ours.
            guard manager.fileExists(atPath: spare.appendingPathComponent(markerName).path) else {
                throw Refusal(description: "refusing to replace \(spare.path): it was not written by promptsite")
            }
            if !outputExists {
                // Marked with its new name first: a build killed on the way leaves a folder the next one removes.
                let aside = leftover(.unused, of: output)
                if markAsLeftover(aside, at: spare) == nil, rename(spare.path, aside.path) == 0 {
                    unused = aside
                } else {
                    // The marker goes last: a build killed on the way leaves a spare the next one still removes.
                    removeOwnFolder(spare, markedBy: markerName)
                }
            }
        }
        let use: SpareUse = !(spareExists && outputExists) ? .fresh : reuseSpare && stillDescribed ? .described : .unknown
        let useSpare = use != .fresh
        let staging = useSpare ? spare : leftover(.staging, of: output)
        if !useSpare { try makeStaging(staging, beside: output) }
        do {
            try fill(StagingFolder(root: staging), use)
            if let problem = replaceFile(Data(markerText.utf8), at: staging.appendingPathComponent(markerName).path) { throw Refusal(description: problem) }
            // A fresh staging folder keeps its mark until the new site is in place (`moveIn`,
            // `exchangeMarked`): a build killed before leaves a folder the next one removes.
        } catch {
            // A half-filled spare is no longer described by the cache (invalidated above): the next
            // build fills it as unknown. A staging folder goes now.
            if !useSpare { discard(staging) }
            throw error
        }
        guard outputExists else {
            try moveIn(staging, to: output)
            return
        }
        if useSpare ? exchange(staging.path, output.path) : exchangeMarked(staging, with: output) {
            // The replaced site is at the staging path: it becomes the spare, unless it has no
            // marker (the empty folder `validate` let through, a site from before the marker).
            if discardUnmarked(staging) { return }
            if !useSpare {
                if rename(staging.path, spare.path) == 0 { unlink(spare.appendingPathComponent(stagingName).path) } else { discard(staging) }
            }
            return
        }
        // No exchange on this system: move the old site aside as the spare, then the new one in.
        let aside = useSpare ? leftover(.retired, of: output) : spare
        if useSpare {
            try moveAside(output, to: aside)
        } else if rename(output.path, aside.path) != 0 {
            throw Refusal(description: "cannot move the previous site aside: \(String(cString: strerror(errno)))")
        }
        do {
            try moveIn(staging, to: output)
        } catch {
            if rename(aside.path, output.path) == 0 { unlink(output.appendingPathComponent(stagingName).path) }
            throw error
        }
        if !discardUnmarked(aside), useSpare, rename(aside.path, spare.path) == 0 { unlink(spare.appendingPathComponent(stagingName).path) }
    }

    /// A replaced folder without the marker is no spare (the next build would refuse to touch
    /// it): it is removed when `checkOwnership` would have let a build replace it (empty, or a
    /// site from before the marker), else left where it is. True when it had no marker.
    private static func discardUnmarked(_ folder: URL) -> Bool {
        guard !FileManager.default.fileExists(atPath: folder.appendingPathComponent(markerName).path) else { return false }
        // The mark `exchangeMarked` put on it is not what the folder held.
        unlink(folder.appendingPathComponent(stagingName).path)
        if (try? checkOwnership(of: folder)) != nil { try? FileManager.default.removeItem(at: folder) }
        return true
    }
}

extension StagingFolder {
    /// Brings a spare site (the output of an earlier build, described by `spare`) to the wanted files:
    /// a file whose fingerprint the spare already has stays; one the current output has is hard-linked
    /// from it; the others are rendered. Files the wanted site does not have are removed. A file that
    /// is a hard link (shared with the live site, or linked elsewhere) is unlinked before it is
    /// written; one with no other name is rewritten in place.
    /// `changedSince`: when the spare went live (nil: unknown); only its folders changed since then
    /// can hold what no build put there.
    func fillSpare(_ outputs: PendingOutputs, spare: [String: OutputRecord], changedSince: Double? = nil, live: [String: OutputRecord], liveRoot: URL,
                   progress: BuildProgress?) throws -> [WriteOutcome] {
        let wanted = Set(outputs.paths)
        for path in spare.keys where !wanted.contains(path) && OutputWriter.isSafeRelativePath(path) {
            unlink(self.path(of: path))
            var folder = StagingFolder.parent(of: path)
            while !folder.isEmpty, rmdir(self.path(of: folder)) == 0 { folder = StagingFolder.parent(of: folder) }
        }
        removeStrays(keeping: wanted, had: spare.keys, changedSince: changedSince)
        let liveRootPath = liveRoot.path
        let results = outputs.map { output -> Result<WriteOutcome, BuildError> in
            defer { progress?.advance() }
            if let failure = output.failure { return .failure(failure) }
            guard OutputWriter.isSafeRelativePath(output.path) else {
                return .failure(BuildError(step: "render and write", message: "refusing to write outside the output folder: \(output.path)"))
            }
            let target = path(of: output.path)
            var info = stat()
            let plain = lstat(target, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
            if let record = spare[output.path], record.fingerprint == output.fingerprint, plain, record.describes(info) {
                return .success(WriteOutcome(reused: true, size: record.size, modified: record.modified, of: output))
            }
            let fromLive = live[output.path].map { $0.fingerprint == output.fingerprint } ?? false
            // A file no other name shares is rewritten in place, keeping its inode: deleting tens of
            // thousands of files and creating as many made ext4 step over every recently deleted
            // inode (a 100,000-version rebuild after a Site.json edit: 71 s, 63 of them in the kernel).
            if plain, info.st_nlink == 1, !fromLive { return rewrite(output, at: target) }
            if unlink(target) != 0, errno == EISDIR || errno == EPERM { try? FileManager.default.removeItem(atPath: target) }
            makeParents(of: output.path)
            if fromLive, let record = live[output.path] {
                let source = liveRootPath + "/" + output.path
                if isFile(source, describedBy: record), link(source, target) == 0 {
                    return .success(WriteOutcome(reused: true, size: record.size, modified: record.modified, of: output))
                }
            }
            return render(output)
        }
        return try results.map { try $0.get() }
    }

    /// Removes what the spare holds beyond its records — a file put into the output by hand while
    /// it was live — so it does not come back when the spare is swapped in. Adding or removing an
    /// entry changes its folder's modification time: when the cache knows when the spare went
    /// live, only the folders changed since (one `lstat` each) are listed; else every folder is.
    private func removeStrays(keeping wanted: Set<String>, had: some Sequence<String>, changedSince: Double?) {
        let kept: Set<String> = [OutputWriter.markerName, SiteCache.markerName, OutputWriter.stagingName]
        guard let changedSince else {
            let sweeper = Sweeper(wanted: wanted, folders: Self.folders(of: wanted), kept: kept)
            _ = parallelMap(sweep("", sweeper)) { sweepAll($0, sweeper) }
            return
        }
        // File times come from the kernel's coarse clock, a few milliseconds behind the real one.
        let since = changedSince - 0.05
        // The spare's folders are its records' (a folder made by hand shows in its parent's time).
        let changed = parallelMap(Array(Self.folders(of: had))) { folder -> String? in
            var info = stat()
            guard lstat(path(of: folder), &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
            return Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9 >= since ? folder : nil
        }.compactMap { $0 }
        // The root is always listed (the swap marks it); the wanted folders are made only when another changed.
        let topFolders = Set(wanted.compactMap { path in path.firstIndex(of: "/").map { String(path[..<$0]) } })
        _ = sweep("", Sweeper(wanted: wanted, folders: topFolders, kept: kept))
        guard !changed.isEmpty else { return }
        let folders = Self.folders(of: wanted)
        let sweeper = Sweeper(wanted: wanted, folders: folders, kept: kept)
        // A folder no longer wanted goes whole.
        for folder in changed {
            if folders.contains(folder) { _ = sweep(folder, sweeper) } else { try? FileManager.default.removeItem(atPath: path(of: folder)) }
        }
    }

    private struct Sweeper: Sendable {
        let wanted: Set<String>
        let folders: Set<String>
        /// The build's own files at the root.
        let kept: Set<String>
    }

    /// Removes the unwanted entries of one folder; returns its wanted sub-folders (to sweep in turn).
    private func sweep(_ folder: String, _ sweeper: Sweeper) -> [String] {
        let full = folder.isEmpty ? rootPath : path(of: folder)
        guard let directory = opendir(full) else { return [] }
        defer { closedir(directory) }
        var folders: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            if name == "." || name == ".." { continue }
            let relative = folder.isEmpty ? name : folder + "/" + name
            var isFolder = Int32(entry.pointee.d_type) == DT_DIR
            if Int32(entry.pointee.d_type) == DT_UNKNOWN {
                var info = stat()
                isFolder = lstat(path(of: relative), &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            if isFolder {
                if sweeper.folders.contains(relative) { folders.append(relative) } else { try? FileManager.default.removeItem(atPath: path(of: relative)) }
            } else if !sweeper.wanted.contains(relative), !(folder.isEmpty && sweeper.kept.contains(name)) {
                unlink(path(of: relative))
            }
        }
        return folders
    }

    private func sweepAll(_ folder: String, _ sweeper: Sweeper) {
        var pending = [folder]
        while let next = pending.popLast() { pending += sweep(next, sweeper) }
    }

    private func isFile(_ path: String, describedBy record: OutputRecord) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && record.describes(info)
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
