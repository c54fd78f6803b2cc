import Foundation

/// An IPv4 or IPv6 address, as its 4 or 16 bytes in network order, and the kind of network it lies in.
///
/// Herald fetches URLs that others name (a printer farm's snapshot): it refuses addresses that reach the machine
/// itself or its private networks unless the destinations file allows them, so ``range`` classifies every address
/// that is not on the public Internet, looking through the IPv4 addresses that IPv6 addresses embed.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// The address's bytes: 4 for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Parses a numeric IPv4 (`192.0.2.1`) or IPv6 (`::ffff:127.0.0.1`, without brackets) address; `nil` for
    /// anything else, names included (nothing is looked up).
    public init?(_ text: String) {
        var ipv4 = in_addr()
        if inet_pton(AF_INET, text, &ipv4) == 1 {
            bytes = withUnsafeBytes(of: &ipv4) { Array($0) }
            return
        }
        var ipv6 = in6_addr()
        guard inet_pton(AF_INET6, text, &ipv6) == 1 else { return nil }
        bytes = withUnsafeBytes(of: &ipv6) { Array($0) }
    }

    /// An address from its 4 or 16 bytes; `nil` for any other count.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool { bytes.count == 4 }

    /// The address as `inet_ntop` writes it (`127.0.0.1`, `::ffff:127.0.0.1`).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        let written = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        guard written != nil else { return bytes.map(String.init).joined(separator: ".") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The IPv4 address of an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), which is the same host; otherwise `nil`.
    public var mappedIPv4: IPAddress? {
        guard !isIPv4, bytes.prefix(12).elementsEqual([UInt8](repeating: 0, count: 10) + [0xFF, 0xFF]) else { return nil }
        return IPAddress(bytes: Array(bytes.suffix(4)))
    }

    /// The IPv4 address an IPv6 address carries and may reach: IPv4-mapped (`::ffff:0:0/96`), IPv4-compatible
    /// (`::/96`, deprecated), NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`); otherwise `nil`.
    public var embeddedIPv4: IPAddress? {
        guard !isIPv4 else { return nil }
        if let mapped = mappedIPv4 { return mapped }
        if bytes.prefix(12).allSatisfy({ $0 == 0 }), bytes.suffix(4).contains(where: { $0 != 0 }), !(bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] <= 1) {
            return IPAddress(bytes: Array(bytes.suffix(4)))
        }
        if bytes.prefix(12).elementsEqual([0x00, 0x64, 0xFF, 0x9B] + [UInt8](repeating: 0, count: 8)) { return IPAddress(bytes: Array(bytes.suffix(4))) }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return IPAddress(bytes: Array(bytes[2..<6])) }
        return nil
    }

    /// The kind of network the address lies in; an IPv6 address embedding an IPv4 address (``embeddedIPv4``) has
    /// the embedded address's kind when that is not public.
    public var range: AddressRange {
        let table = isIPv4 ? AddressRange.ipv4Table : AddressRange.ipv6Table
        let own = table.first { AddressBlock(network: $0.network, prefixLength: $0.prefixLength).contains(self) }?.range ?? .public
        guard own == .public, let embedded = embeddedIPv4 else { return own }
        return embedded.range
    }
}

/// The kind of network an address lies in: the public Internet, or one of the special ranges of the IANA IPv4 and
/// IPv6 Special-Purpose Address Registries (RFC 6890) that a fetch must not reach unless allowed.
public enum AddressRange: String, Hashable, Sendable {
    /// On the public Internet.
    case `public`
    /// `0.0.0.0/8`, `::`: no host ("this network").
    case unspecified
    /// `127.0.0.0/8`, `::1`: this machine.
    case loopback
    /// `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16` (RFC 1918), `fec0::/10` (site-local).
    case `private`
    /// `100.64.0.0/10`: carrier-grade NAT (RFC 6598).
    case sharedAddressSpace = "shared address space"
    /// `169.254.0.0/16`, `fe80::/10`: the local link (cloud metadata services live here).
    case linkLocal = "link-local"
    /// `fc00::/7`: IPv6 unique local addresses, the private networks of IPv6.
    case uniqueLocal = "unique local"
    /// `224.0.0.0/4`, `ff00::/8`.
    case multicast
    /// Reserved, documentation, benchmarking and broadcast ranges: `192.0.0.0/24`, `192.0.2.0/24`,
    /// `198.18.0.0/15`, `198.51.100.0/24`, `203.0.113.0/24`, `240.0.0.0/4`, `100::/64`, `2001:db8::/32`.
    case reserved

    /// The IPv4 special ranges.
    static let ipv4Table: [(network: [UInt8], prefixLength: Int, range: AddressRange)] = [
        ([0, 0, 0, 0], 8, .unspecified), ([10, 0, 0, 0], 8, .private), ([100, 64, 0, 0], 10, .sharedAddressSpace),
        ([127, 0, 0, 0], 8, .loopback), ([169, 254, 0, 0], 16, .linkLocal), ([172, 16, 0, 0], 12, .private),
        ([192, 0, 0, 0], 24, .reserved), ([192, 0, 2, 0], 24, .reserved), ([192, 168, 0, 0], 16, .private),
        ([198, 18, 0, 0], 15, .reserved), ([198, 51, 100, 0], 24, .reserved), ([203, 0, 113, 0], 24, .reserved),
        ([224, 0, 0, 0], 4, .multicast), ([240, 0, 0, 0], 4, .reserved),
    ]

    /// The IPv6 special ranges (the embedded IPv4 ranges are looked through separately).
    static let ipv6Table: [(network: [UInt8], prefixLength: Int, range: AddressRange)] = [
        ([UInt8](repeating: 0, count: 16), 128, .unspecified), ([UInt8](repeating: 0, count: 15) + [1], 128, .loopback),
        ([0x01, 0x00] + [UInt8](repeating: 0, count: 14), 64, .reserved),
        ([0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 12), 32, .reserved),
        ([0xFC] + [UInt8](repeating: 0, count: 15), 7, .uniqueLocal), ([0xFE, 0x80] + [UInt8](repeating: 0, count: 14), 10, .linkLocal),
        ([0xFE, 0xC0] + [UInt8](repeating: 0, count: 14), 10, .private), ([0xFF] + [UInt8](repeating: 0, count: 15), 8, .multicast),
    ]
}

/// A block of addresses in CIDR notation (`127.0.0.1/32`, `10.0.0.0/8`, `::1/128`); a bare address is a block of
/// one. IPv4 blocks also hold the IPv4-mapped IPv6 form of their addresses (`::ffff:127.0.0.1`).
public struct AddressBlock: Hashable, Sendable, CustomStringConvertible {
    /// The network's bytes, host bits cleared.
    public let network: [UInt8]
    /// The number of leading bits that name the network.
    public let prefixLength: Int

    /// A block from its network bytes (host bits are cleared) and prefix length, which must fit the family.
    init(network: [UInt8], prefixLength: Int) {
        self.prefixLength = prefixLength
        self.network = network.enumerated().map { index, byte in
            let bits = max(0, min(8, prefixLength - index * 8))
            return bits == 8 ? byte : byte & ~(UInt8.max >> bits)
        }
    }

    /// Parses `address/length` or a bare address; `nil` when the address is not numeric or the length does not fit.
    public init?(_ text: String) {
        let pieces = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(pieces[0])) else { return nil }
        let maximum = address.bytes.count * 8
        let digits = pieces.count == 2 ? pieces[1] : Substring(String(maximum))
        guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ ("0"..."9").contains($0) }), let length = Int(digits),
            length <= maximum
        else { return nil }
        self.init(network: address.bytes, prefixLength: length)
    }

    /// `network/length`.
    public var description: String { "\(IPAddress(bytes: network)?.description ?? "?")/\(prefixLength)" }

    /// Whether `address` lies in the block; an IPv4-mapped IPv6 address counts as its IPv4 address.
    public func contains(_ address: IPAddress) -> Bool {
        let candidate = network.count == 4 ? (address.mappedIPv4 ?? address) : address
        guard candidate.bytes.count == network.count else { return false }
        return AddressBlock(network: candidate.bytes, prefixLength: prefixLength).network == network
    }
}
