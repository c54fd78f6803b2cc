import Foundation
import HeraldCore
@testable import HeraldDelivery
import Testing

/// The address classifier, the `integrations` settings and the image fetch against a local image server.
@Suite("image fetch")
struct ImageFetchTests {
    /// A PNG's signature and a few bytes.
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]

    /// An image server: `/snap.png`, `/snap.webp`, `/page` (HTML), `/fake.png` (GIF bytes said to be PNG), `/big.png`
    /// (2000 bytes, with a length), `/stream.png` (2000 bytes, chunked), `/slow.png`, `/missing`, `/here` (to
    /// `/snap.png`), `/away` (to `localhost`, another host), `/loop` (to itself).
    static func images(_ ledger: KeyLedger) -> @Sendable (ReceivedRequest) async -> TestReply {
        { request in
            await ledger.saw()
            let port = request.header("Host")?.split(separator: ":").last.map(String.init) ?? ""
            switch request.path {
            case "/snap.png": return .respond(status: 200, headers: [("Content-Type", "image/png")], body: png)
            case "/snap.webp": return .respond(status: 200, headers: [("Content-Type", "image/webp")], body: Array("RIFF\0\0\0\0WEBPVP8 ".utf8))
            case "/page": return .respond(status: 200, headers: [("Content-Type", "text/html")], body: Array("<html></html>".utf8))
            case "/fake.png": return .respond(status: 200, headers: [("Content-Type", "image/png")], body: Array("GIF89a.....".utf8))
            case "/big.png": return .respond(status: 200, headers: [("Content-Type", "image/png")], body: png + [UInt8](repeating: 0, count: 2000))
            case "/stream.png":
                return .respond(
                    status: 200, headers: [("Content-Type", "image/png"), ("Transfer-Encoding", "chunked")], body: png + [UInt8](repeating: 0, count: 2000))
            case "/slow.png": return .respond(status: 200, headers: [("Content-Type", "image/png")], body: png, after: .seconds(5))
            case "/here": return .respond(status: 302, headers: [("Location", "/snap.png")])
            case "/away": return .respond(status: 302, headers: [("Location", "http://localhost:\(port)/snap.png")])
            case "/loop": return .respond(status: 307, headers: [("Location", "/loop")])
            default: return .respond(status: 404)
            }
        }
    }

    /// A fetcher that may reach 127.0.0.1 only, with a 1 KiB cap and a 0.5 s deadline.
    static let fetcher = ImageFetcher(
        policy: ImageFetchPolicy(allowedNetworks: [AddressBlock("127.0.0.1/32")!], timeout: .milliseconds(500), maximumBytes: 1024))

    /// Prepares and fetches `url`.
    static func fetch(_ url: String) async throws -> Result<FetchedImage, ImageFetchFailure> {
        await fetcher.fetch(try await fetcher.prepare(url))
    }

    @Test("loopback, private, link-local, unique local and other special addresses are classified, through IPv6 embeddings")
    func classifier() {
        let expected: [(String, AddressRange)] = [
            ("8.8.8.8", .public), ("2606:4700:4700::1111", .public), ("172.32.0.1", .public), ("100.128.0.1", .public),
            ("127.0.0.1", .loopback), ("127.255.1.2", .loopback), ("::1", .loopback), ("::ffff:127.0.0.1", .loopback),
            ("::ffff:7f00:1", .loopback), ("::127.0.0.1", .loopback), ("2002:7f00:1::", .loopback), ("64:ff9b::127.0.0.1", .loopback),
            ("10.1.2.3", .private), ("172.16.0.1", .private), ("172.31.255.255", .private), ("192.168.1.1", .private),
            ("::ffff:10.0.0.1", .private), ("fec0::1", .private),
            ("169.254.169.254", .linkLocal), ("fe80::1", .linkLocal), ("::ffff:169.254.169.254", .linkLocal),
            ("fc00::1", .uniqueLocal), ("fd12:3456::1", .uniqueLocal),
            ("0.0.0.0", .unspecified), ("::", .unspecified), ("100.64.0.1", .sharedAddressSpace),
            ("224.0.0.1", .multicast), ("ff02::1", .multicast), ("255.255.255.255", .reserved), ("192.0.2.1", .reserved),
            ("2001:db8::1", .reserved),
        ]
        for (text, range) in expected {
            #expect(IPAddress(text)?.range == range, "\(text)")
        }
        #expect(IPAddress("localhost") == nil && IPAddress("10.0.0.256") == nil && IPAddress("[::1]") == nil)
        #expect(IPAddress("::ffff:127.0.0.1")?.description == "::ffff:127.0.0.1")
    }

    @Test("address blocks: CIDR or a bare address; an IPv4 block holds the IPv4-mapped form of its addresses")
    func blocks() throws {
        let loopback = try #require(AddressBlock("127.0.0.1/32"))
        #expect(loopback.contains(IPAddress("127.0.0.1")!) && loopback.contains(IPAddress("::ffff:127.0.0.1")!))
        #expect(!loopback.contains(IPAddress("127.0.0.2")!) && !loopback.contains(IPAddress("::1")!))
        let ten = try #require(AddressBlock("10.9.8.7/8"))
        #expect(ten.description == "10.0.0.0/8" && ten.contains(IPAddress("10.200.0.1")!) && !ten.contains(IPAddress("11.0.0.1")!))
        #expect(AddressBlock("::1")?.contains(IPAddress("::1")!) == true)
        #expect(AddressBlock("fd00::/8")?.contains(IPAddress("fd12::1")!) == true)
        for invalid in ["10.0.0.0/33", "::/129", "printer.local/32", "10.0.0.0/x", "10.0.0.0/", "/8", "10.0.0.0/-1"] {
            #expect(AddressBlock(invalid) == nil, "\(invalid)")
        }
        let policy = ImageFetchPolicy(allowedNetworks: [loopback])
        #expect(policy.allows(IPAddress("127.0.0.1")!) && policy.allows(IPAddress("93.184.216.34")!))
        #expect(!policy.allows(IPAddress("127.0.0.2")!) && !ImageFetchPolicy().allows(IPAddress("127.0.0.1")!))
    }

    @Test("integrations.printer_farm.image_fetch is read with its defaults and caps; errors name the setting")
    func settings() throws {
        let read = try DeliveryConfiguration(yaml: """
            integrations:
              printer_farm:
                image_fetch: {allow_private_networks: [127.0.0.1/32, "fd00::/8"], timeout: 2.5, max_bytes: 10485760, max_redirects: 0}
            """).integrations.printerFarm.imageFetch
        #expect(read.allowedNetworks.map(\.description) == ["127.0.0.1/32", "fd00::/8"])
        #expect(read.timeout == .milliseconds(2500) && read.maximumBytes == 10_485_760 && read.maximumRedirects == 0)
        let defaults = try DeliveryConfiguration(yaml: "outbox: o.sqlite").integrations.printerFarm.imageFetch
        #expect(defaults == ImageFetchPolicy() && defaults.allowedNetworks.isEmpty && defaults.maximumBytes == 5 * 1024 * 1024)
        func error(_ imageFetch: String) -> ConfigurationError? {
            do {
                _ = try DeliveryConfiguration(yaml: "integrations: {printer_farm: {image_fetch: \(imageFetch)}}")
                return nil
            } catch { return error }
        }
        #expect(error("{allow_private_networks: [localhost]}")?.path == "integrations.printer_farm.image_fetch.allow_private_networks[0]")
        #expect(error("{max_bytes: 10485761}")?.path == "integrations.printer_farm.image_fetch.max_bytes")
        #expect(error("{timeout: 0}")?.path == "integrations.printer_farm.image_fetch.timeout")
        #expect(error("{timeout: 61}")?.path == "integrations.printer_farm.image_fetch.timeout")
        #expect(error("{allow_private: [127.0.0.1/32]}")?.reason == "unknown setting")
        #expect(throws: ConfigurationError(path: "integrations.other", reason: "unknown setting")) {
            try DeliveryConfiguration(yaml: "integrations: {other: {}}")
        }
    }

    @Test("refused before any request: not http(s), too long, and hosts at refused addresses, names included")
    func refusals() async throws {
        let strict = ImageFetcher(policy: ImageFetchPolicy())
        for url in ["file:///etc/passwd", "ftp://farm.example/a.png", "snapshot.png", "http:///a.png", "javascript:alert(1)"] {
            await #expect(throws: ImageFetchRefusal.notHTTP, "\(url)") { try await strict.prepare(url) }
        }
        await #expect(throws: ImageFetchRefusal.tooLong(limit: 2048)) {
            try await strict.prepare("https://farm.example/" + String(repeating: "a", count: 2048))
        }
        let refused: [(String, String)] = [
            ("http://127.0.0.1:8080/snap.png", "127.0.0.1"), ("http://10.0.0.7/snap.png", "10.0.0.7"),
            ("http://169.254.169.254/latest/meta-data", "169.254.169.254"), ("http://[::1]/snap.png", "::1"),
            ("http://[::ffff:127.0.0.1]/snap.png", "::ffff:127.0.0.1"), ("https://[fe80::1]/x.jpg", "fe80::1"),
        ]
        for (url, address) in refused {
            do {
                _ = try await strict.prepare(url)
                Issue.record("\(url) was not refused")
            } catch {
                guard case .refusedAddress(_, let refusedAddress) = error else { Issue.record("\(url): \(error)"); continue }
                #expect(refusedAddress.description == address)
                #expect(error.description.contains("allow_private_networks"))
            }
        }
        // A name is resolved once and every address it has is checked: localhost is loopback, and so are the
        // numeric forms the resolver reads that inet_pton does not (2130706433, 0x7f.1).
        for url in ["http://localhost:9/snap.png", "http://2130706433/snap.png", "http://0x7f.1/snap.png"] {
            await #expect(throws: ImageFetchRefusal.self, "\(url)") { try await strict.prepare(url) }
        }
        // Allowed: 127.0.0.1 only, so ::1 stays refused.
        await #expect(throws: ImageFetchRefusal.refusedAddress(host: "::1", address: IPAddress("::1")!)) {
            try await Self.fetcher.prepare("http://[::1]:9/snap.png")
        }
    }

    @Test("an allowed image arrives with its bytes, type and name; a same-host redirect is followed")
    func fetched() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.images(ledger)) { base in
            let image = try await Self.fetch(base + "/snap.png").get().attachment
            #expect(image.data == Data(Self.png) && image.mimeType == "image/png" && image.filename == "snapshot.png")
            #expect(try await Self.fetch(base + "/snap.webp").get().attachment.filename == "snapshot.webp")
            #expect(try await Self.fetch(base + "/here").get().attachment.data == Data(Self.png))
        }
    }

    @Test("what cannot be fetched fails with its reason: another host, redirect loops, 404, not an image, wrong bytes, too large, too slow")
    func failures() async throws {
        let ledger = KeyLedger()
        try await TestHTTPServer.with(Self.images(ledger)) { base in
            let expected: [(String, ImageFetchFailure)] = [
                ("/away", .redirectedToAnotherHost), ("/loop", .tooManyRedirects(limit: 3)), ("/missing", .status(404)),
                ("/page", .notAnImage(contentType: "text/html")), ("/fake.png", .contentMismatch(contentType: "image/png")),
                ("/big.png", .tooLarge(limit: 1024)), ("/stream.png", .tooLarge(limit: 1024)), ("/slow.png", .transport(.timedOut)),
            ]
            for (path, failure) in expected {
                let result = try await Self.fetch(base + path)
                guard case .failure(let actual) = result else { Issue.record("\(path) was fetched"); continue }
                #expect(actual == failure, "\(path)")
            }
            // /away's redirect was not followed to localhost: the server saw each request once, /loop's four times.
            #expect(await ledger.seen == 11)
        }
    }
}
