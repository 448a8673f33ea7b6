import Glibc

/// A TCP socket on 127.0.0.1 at a port the kernel picks: listening, it stands for a server that never answers or
/// holds an address another program wants; closed at once, its port is one nothing listens on.
public final class LoopbackSocket {
    public let port: Int
    private let descriptor: Int32

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `listening`: accept connections into the backlog (nobody takes them).
    public init(listening: Bool) throws {
        descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let descriptor = self.descriptor
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard descriptor >= 0, bound, !listening || listen(descriptor, 4) == 0 else {
            close(descriptor)
            throw Failure(description: "no loopback port to bind")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
