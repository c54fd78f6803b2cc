import Foundation

/// Loopback addresses, where nothing leaves the machine: `localhost`, 127.0.0.0/8 and `::1`.
public enum Loopback {
    /// Whether `host` (a name, an IPv4 address, or an IPv6 address without brackets, any case) is a loopback
    /// address. Only `localhost` counts among names: no name is looked up.
    public static func contains(host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "localhost." { return true }
        var ipv4 = in_addr()
        if inet_pton(AF_INET, host, &ipv4) == 1 { return UInt32(bigEndian: ipv4.s_addr) >> 24 == 127 }
        var ipv6 = in6_addr()
        guard inet_pton(AF_INET6, host, &ipv6) == 1 else { return false }
        return withUnsafeBytes(of: &ipv6) { $0.elementsEqual([UInt8](repeating: 0, count: 15) + [1]) }
    }
}
