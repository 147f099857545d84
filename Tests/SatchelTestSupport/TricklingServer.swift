// SPDX-License-Identifier: GPL-3.0-or-later
import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A plain-HTTP server on 127.0.0.1 that answers every request with a 200 whose body
/// never ends: one byte every `interval` seconds, fast enough to pass any low-speed
/// limit of 1 byte/s. The server a transfer time limit exists for.
public final class TricklingServer {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let port: Int
    public var base: String { "http://127.0.0.1:\(port)" }
    private let listener: Int32
    private let finished = DispatchSemaphore(value: 0)
    private let stopping = StopFlag()
    private var stopped = false

    private final class StopFlag: Sendable {
        let raised = Atomic<Bool>(false)
    }

    public init(interval: Double = 0.25) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw Failure(description: "bind/listen on 127.0.0.1: errno \(errno)")
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let (done, stopping) = (finished, stopping)
        let thread = Thread {
            Self.serve(fd, interval: interval, until: stopping)
            close(fd)
            done.signal()
        }
        thread.start()
    }

    deinit { stop() }

    /// Stops accepting (a connection still open ends before its next byte) and waits.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        stopping.raised.store(true, ordering: .relaxed)
        shutdown(listener, Int32(SHUT_RDWR))
        finished.wait()
    }

    private static func serve(_ listener: Int32, interval: Double, until stopping: StopFlag) {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            trickle(connection, interval: interval, until: stopping)
            close(connection)
        }
    }

    /// Reads the request head, sends the head of a reply with a large Content-Length,
    /// then one body byte per interval until the client goes away.
    private static func trickle(_ connection: Int32, interval: Double, until stopping: StopFlag) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var head: [UInt8] = []
        while !head.suffix(4).elementsEqual(Array("\r\n\r\n".utf8)) {
            let n = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return }
            head += buffer[..<n]
        }
        guard send(connection, Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n".utf8)) else { return }
        while !stopping.raised.load(ordering: .relaxed), send(connection, Array("x".utf8)) {
            usleep(UInt32(interval * 1_000_000))
        }
    }

    /// MSG_NOSIGNAL: a client that hung up is an error return, never a SIGPIPE.
    private static func send(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }
}
