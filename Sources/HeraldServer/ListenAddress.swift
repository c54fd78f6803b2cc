import HeraldCore
import HeraldDelivery

/// Where `herald serve` listens: `HOST:PORT`, with an IPv6 host in brackets (`[::1]:8470`); port 0 picks a free one.
public struct ListenAddress: Hashable, Sendable, CustomStringConvertible {
    /// The default: the loopback address, port 8470.
    public static let `default` = ListenAddress(host: "127.0.0.1", port: 8470)

    /// The host name or address, without brackets.
    public var host: String
    /// The port.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; the error says what is wrong without more than 80 characters of the text.
    public init(parsing text: String) throws(ServerSetupError) {
        let invalid = ServerSetupError.usage("--listen \(quoted(text, limit: echoedValueLimit)) is not HOST:PORT (e.g. 127.0.0.1:8470 or [::1]:8470)")
        guard let colon = text.lastIndex(of: ":") else { throw invalid }
        var host = String(text[..<colon])
        let bracketed = host.hasPrefix("[") && host.hasSuffix("]")
        if bracketed { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, bracketed || !host.contains(":"), !host.contains(where: { $0 == "[" || $0 == "]" || $0.isWhitespace }),
            let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { throw invalid }
        self.init(host: host, port: port)
    }

    /// Whether the host is a loopback address, where nothing from outside the machine reaches the server.
    public var isLoopback: Bool { Loopback.contains(host: host) }

    /// `HOST:PORT`, an IPv6 host in brackets.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
