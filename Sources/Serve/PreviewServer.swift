import Checks
import Diagnostics
import FlyingFox
import FlyingSocks
import Foundation
import PromptCatalog
import Site

/// How `promptsite serve` runs.
public struct PreviewOptions: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port (tests).
    public var port: UInt16 = 8000
    /// Site.json; nil uses ./Site.json when it exists.
    public var configFile: URL?
    public var contentDirectory: URL?
    public var templatesDirectory: URL?
    public var workingDirectory: URL
    /// How often the watched files are looked at, and how long they must stay unchanged before a rebuild.
    public var pollInterval: Duration = .milliseconds(100)
    public var quietPeriod: Duration = .milliseconds(100)

    public init(workingDirectory: URL) { self.workingDirectory = workingDirectory }
}

/// The preview: builds the site into a private temporary folder, serves it, rebuilds on every
/// save and tells the open pages to reload. Returns when its task is cancelled (Ctrl-C), after
/// stopping the server and removing the folder.
public func servePreview(_ options: PreviewOptions, log: @escaping @Sendable (String) -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-serve-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let builder = PreviewBuilder(options: options, output: folder.appendingPathComponent("site"))
    let live = LiveState()

    // The first look at the files comes before the first build, so a save during it is rebuilt
    // (and inotify, where there is one, is told to watch before it).
    let firstWatched = builder.watchedPaths()
    var signal = ChangeSignal.make(watching: firstWatched)
    var last = WatchSnapshot.take(firstWatched)
    var (status, watched) = builder.build(generation: 0)
    if watched != firstWatched { signal = ChangeSignal.make(watching: watched) }
    await live.update(status)
    log(builder.report(status))

    let server = try makeServer(options, site: SiteFolder(root: builder.output), live: live)
    // The listener can stop on its own (out of file descriptors): the loop below notices and
    // fails loudly instead of rebuilding for a server that refuses every request.
    let stopped = ServerStop()
    let serverTask = Task {
        do {
            try await server.run()
            stopped.record("it stopped")
        } catch {
            stopped.record("\(error)")
        }
    }
    do {
        try await server.waitUntilListening()
    } catch {
        serverTask.cancel()
        // Ctrl-C during the first build: stopped as asked, not a failure.
        if error is CancellationError || Task.isCancelled { return }
        throw error
    }
    let port: UInt16
    switch await server.listeningAddress {
    case .ip4(_, let bound)?, .ip6(_, let bound)?: port = bound
    default:
        serverTask.cancel()
        throw PreviewError("the server did not start listening on \(options.host):\(options.port)")
    }
    let host = options.host.contains(":") ? "[\(options.host)]" : options.host
    log("serving http://\(host):\(port)/ (the site is built in \(folder.path); Ctrl-C stops)")

    // Watch, debounce, rebuild, reload.
    do {
        let clock = ContinuousClock()
        var lookTime = Duration.zero
        var lastBeat = clock.now, lastLook = clock.now
        // inotify says when to look (Linux); else, or past its limits, the files are polled. The
        // first look is at once (a save during the first build).
        var lookFirst = true
        while !Task.isCancelled {
            var look = true
            if signal?.gaveUp == true { signal = nil }
            if let signal {
                // Looked at as soon as a change is signalled, and now and then anyway (what inotify
                // does not see: a folder behind a link, a network file system).
                try await Task.sleep(for: .milliseconds(20))
                look = lookFirst || signal.takePending() || clock.now - lastLook >= max(.seconds(2), lookTime * 20)
                lookFirst = false
            } else {
                // At most a fifth of a core on looking: a large catalog is looked at less often.
                try await Task.sleep(for: max(options.pollInterval, lookTime * 4))
            }
            if let why = stopped.reason, !Task.isCancelled { throw PreviewError("the server stopped listening: \(why)") }
            // A comment on every event stream now and then: writing to a page that was closed
            // fails, and its connection is let go (they stayed open until the next rebuild).
            if clock.now - lastBeat >= LiveState.heartbeat {
                await live.beat()
                lastBeat = clock.now
            }
            guard look else { continue }
            lastLook = clock.now
            var current = WatchSnapshot()
            lookTime = clock.measure { current = WatchSnapshot.take(watched) }
            guard current != last else { continue }
            // Several saves in quick succession: wait until nothing changes for the quiet period.
            while true {
                try await Task.sleep(for: options.quietPeriod)
                let next = WatchSnapshot.take(watched)
                if next == current { break }
                current = next
            }
            let generation = await live.generation + 1
            let before = watched
            (status, watched) = await builder.buildOffTheServer(generation: generation)
            // A save during the build differs from `current` and rebuilds again; when Site.json
            // now names other folders, watch those from here on.
            if watched != before { signal = ChangeSignal.make(watching: watched) }
            last = watched == before ? current : WatchSnapshot.take(watched)
            await live.update(status)
            log(builder.report(status))
        }
    } catch is CancellationError {
        // Ctrl-C.
    } catch {
        await live.finish()
        await server.stop(timeout: 1)
        serverTask.cancel()
        throw error
    }
    await live.finish()
    await server.stop(timeout: 1)
    serverTask.cancel()
}

/// Why the server task ended, once it has.
final class ServerStop: @unchecked Sendable {
    private let lock = NSLock()
    private var why: String?

    func record(_ reason: String) { lock.withLock { if why == nil { why = reason } } }
    var reason: String? { lock.withLock { why } }
}

struct PreviewError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

private func makeServer(_ options: PreviewOptions, site: SiteFolder, live: LiveState) throws -> HTTPServer {
    let handler = ClosureHTTPHandler { request in await respond(to: request, site: site, live: live) }
    if options.host.contains(":") {
        return HTTPServer(address: try sockaddr_in6.inet6(ip6: options.host, port: options.port), logger: .disabled, handler: handler)
    }
    return HTTPServer(address: try sockaddr_in.inet(ip4: options.host, port: options.port), logger: .disabled, handler: handler)
}

/// One request: the live-reload endpoints, else a file of the site.
func respond(to request: HTTPRequest, site: SiteFolder, live: LiveState) async -> HTTPResponse {
    guard request.method == .GET || request.method == .HEAD else {
        return text(.methodNotAllowed, "Only GET and HEAD are served.\n")
    }
    let path = request.target.path()
    switch path {
    case LiveReload.scriptPath:
        return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-store"],
                            body: Data(LiveReload.script.utf8))
    case LiveReload.statusPath:
        return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                            body: Data((await live.status.json.serialized(pretty: true) + "\n").utf8))
    case LiveReload.eventsPath:
        let stream = await live.subscribe()
        return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                            body: HTTPBodySequence(from: EventBytes(stream: stream)))
    default:
        break
    }
    let status = await live.status
    switch site.resolve(path) {
    case .file(let url):
        return file(url, status: status, code: .ok, head: request.method == .HEAD)
    case .redirect(let location):
        return HTTPResponse(statusCode: .movedPermanently, headers: HTTPHeaders([.location: location]), body: Data())
    case .forbidden:
        return text(.forbidden, "Forbidden: the preview serves only files inside the built site.\n")
    case .badRequest:
        return text(.badRequest, "Bad request path.\n")
    case .notFound:
        let notFound = site.root.appendingPathComponent("404.html")
        guard FileManager.default.fileExists(atPath: notFound.path) else { return text(.notFound, "Not found.\n") }
        return file(notFound, status: status, code: .notFound, head: request.method == .HEAD)
    }
}

private func file(_ url: URL, status: BuildStatus, code: HTTPStatusCode, head: Bool) -> HTTPResponse {
    guard var data = try? Data(contentsOf: url) else { return text(.notFound, "Not found.\n") }
    let type = SiteFolder.contentType(of: url)
    if type.hasPrefix("text/html") {
        data = Data(LiveReload.inject(into: String(decoding: data, as: UTF8.self), status: status).utf8)
    }
    var headers: HTTPHeaders = [.contentType: type, .cacheControl: "no-store"]
    if head { headers[.contentLength] = String(data.count) }
    return HTTPResponse(statusCode: code, headers: headers, body: head ? Data() : data)
}

private func text(_ code: HTTPStatusCode, _ body: String) -> HTTPResponse {
    HTTPResponse(statusCode: code, headers: [.contentType: "text/plain; charset=utf-8"], body: Data(body.utf8))
}

/// The current build status and the open event streams.
actor LiveState {
    private(set) var status = BuildStatus(generation: 0, diagnostics: [], sourceLine: { _ in nil })
    private var streams: [UUID: AsyncStream<[UInt8]>.Continuation] = [:]

    var generation: Int { status.generation }

    func update(_ status: BuildStatus) {
        let reload = self.status.generation != status.generation
        self.status = status
        guard reload else { return }
        let event = LiveReload.event("reload", .object([("generation", .int(status.generation)), ("ok", .bool(status.ok))]))
        for (id, stream) in streams {
            if case .terminated = stream.yield(event) { streams[id] = nil }
        }
    }

    /// A stream that starts with the current status, then one `reload` event per rebuild.
    func subscribe() -> AsyncStream<[UInt8]> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
        continuation.onTermination = { _ in Task { await self.remove(id) } }
        continuation.yield(LiveReload.event("status", status.json))
        streams[id] = continuation
        return stream
    }

    private func remove(_ id: UUID) { streams[id] = nil }

    /// How often the event streams get a comment (`:`), which pages ignore.
    static let heartbeat = Duration.seconds(1)

    func beat() {
        for (id, stream) in streams {
            if case .terminated = stream.yield(Array(":\n\n".utf8)) { streams[id] = nil }
        }
    }

    var openStreams: Int { streams.count }

    func finish() {
        for stream in streams.values { stream.finish() }
        streams = [:]
    }
}

/// An event stream as the bytes of a chunked HTTP body.
struct EventBytes: AsyncBufferedSequence {
    typealias Element = UInt8
    let stream: AsyncStream<[UInt8]>

    func makeAsyncIterator() -> Iterator { Iterator(base: stream.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var base: AsyncStream<[UInt8]>.Iterator
        var pending: [UInt8] = []

        mutating func next() async throws -> UInt8? {
            guard let buffer = try await nextBuffer(suggested: 1) else { return nil }
            return buffer.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            if pending.isEmpty {
                guard let chunk = await base.next() else { return nil }
                pending = chunk
            }
            let taken = Array(pending.prefix(Swift.max(1, count)))
            pending.removeFirst(taken.count)
            return taken
        }
    }
}
