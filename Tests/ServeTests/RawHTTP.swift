import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 client over a plain socket, so a test can send exactly the bytes it means
/// (`/../`, `%2e%2e`) and read a server-sent event stream as it arrives.
final class RawConnection {
    let socket: Int32
    private(set) var received = Data()

    init(port: UInt16) throws {
        #if canImport(Glibc)
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        socket = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socket >= 0 else { throw RawError("socket() failed") }
        // Every read gives up after 15 s: a test waits for an event, never sleeps for a fixed time.
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw RawError("cannot connect to port \(port)")
        }
    }

    deinit { close(socket) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(socket, $0.baseAddress, $0.count) }
    }

    /// Reads until `predicate` holds for everything received so far; throws at end of stream or timeout.
    @discardableResult
    func read(until predicate: (String) -> Bool) throws -> String {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !predicate(String(decoding: received, as: UTF8.self)) {
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { throw RawError("the connection ended or timed out; received: \(String(decoding: received, as: UTF8.self).suffix(500))") }
            received.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Forgets what was read so far.
    func consume() { received = Data() }
}

struct RawError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

struct RawResponse {
    let status: Int
    let head: String
    let body: String

    func header(_ name: String) -> String? {
        head.split(separator: "\r\n").first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
            .map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
    }
}

/// One request on its own connection, the path sent exactly as given.
func rawRequest(port: UInt16, _ path: String, method: String = "GET") throws -> RawResponse {
    let connection = try RawConnection(port: port)
    connection.send("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    let text = try connection.read { text in
        guard let end = text.range(of: "\r\n\r\n") else { return false }
        let head = text[..<end.lowerBound].lowercased()
        guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
              let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) else { return true }
        return text.utf8.count - text[..<end.upperBound].utf8.count >= length
    }
    let end = text.range(of: "\r\n\r\n")!
    let head = String(text[..<end.lowerBound])
    let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
    return RawResponse(status: status, head: head, body: String(text[end.upperBound...]))
}
