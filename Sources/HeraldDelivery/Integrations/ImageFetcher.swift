import AsyncHTTPClient
import Foundation
import HeraldCore
import NIOCore
import NIOHTTP1
import Synchronization

/// Fetches an image that a caller names by URL (a printer farm's webcam snapshot) under an ``ImageFetchPolicy``.
///
/// ```swift
/// let fetcher = ImageFetcher(policy: configuration.integrations.printerFarm.imageFetch)
/// let prepared = try await fetcher.prepare("https://farm.example/snapshots/12.jpg")  // refusals: before any request
/// switch await fetcher.fetch(prepared) {
/// case .success(let image): message.addAttachment(image.attachment)
/// case .failure(let failure): print("snapshot unavailable: \(failure)")
/// }
/// ```
///
/// ``prepare(_:)`` refuses what must never be fetched (not http(s), an address in a special range that the policy
/// does not allow); ``fetch(_:)`` reports everything else that goes wrong as a failure, so that a caller can go on
/// without the image.
public struct ImageFetcher: Sendable {
    /// The image types accepted, by `Content-Type`, each checked against the file's leading bytes.
    public static let acceptedTypes = ["image/png", "image/jpeg", "image/gif", "image/webp"]
    /// The longest URL accepted, in bytes.
    public static let maximumURLBytes = 2048

    /// The limits and the special networks allowed.
    public let policy: ImageFetchPolicy

    /// A fetcher under `policy`.
    public init(policy: ImageFetchPolicy) {
        self.policy = policy
    }

    /// Checks `text` and resolves its host once: an http(s) URL with a host, of at most ``maximumURLBytes`` bytes,
    /// every address of whose host the policy allows. A host that does not resolve in time is not refused: the
    /// fetch then fails with that reason.
    public func prepare(_ text: String) async throws(ImageFetchRefusal) -> PreparedImageFetch {
        let deadline = NIODeadline.now() + TimeAmount.nanoseconds(Int64(policy.timeout.seconds * 1e9))
        guard text.utf8.count <= Self.maximumURLBytes else { throw .tooLong(limit: Self.maximumURLBytes) }
        guard let url = RequestURL(text) else { throw .notHTTP }
        guard let addresses = await Self.addresses(of: url.host, within: policy.timeout), let first = addresses.first else {
            return PreparedImageFetch(url: url, address: nil, deadline: deadline)
        }
        if let refused = addresses.first(where: { !policy.allows($0) }) {
            throw .refusedAddress(host: displayable(url.host, limit: 100), address: refused)
        }
        return PreparedImageFetch(url: url, address: first, deadline: deadline)
    }

    /// Fetches a prepared URL, connecting only to the address that ``prepare(_:)`` checked.
    ///
    /// The client's `dnsOverride` maps the URL's host to that address, so the connection goes to the address
    /// checked without resolving the name again (no DNS-rebinding gap between check and connect), while the `Host`
    /// header, TLS server name and certificate check still use the host name. Redirects are followed by hand, only
    /// to the same host (and so the same address), at most ``ImageFetchPolicy/maximumRedirects`` times, all within
    /// one deadline.
    public func fetch(_ prepared: PreparedImageFetch) async -> Result<FetchedImage, ImageFetchFailure> {
        guard let address = prepared.address else { return .failure(.transport(.hostNotFound)) }
        var configuration = HTTPDeliveryTransport.clientConfiguration
        configuration.dnsOverride = [prepared.url.host: address.description]
        if let written = URL(string: prepared.url.absoluteString)?.host, written != prepared.url.host {
            configuration.dnsOverride[written] = address.description
        }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let result: Result<FetchedImage, ImageFetchFailure>
        do throws(ImageFetchFailure) {
            result = .success(try await fetch(prepared, with: client))
        } catch {
            result = .failure(error)
        }
        try? await client.shutdown()
        return result
    }

    private func fetch(_ prepared: PreparedImageFetch, with client: HTTPClient) async throws(ImageFetchFailure) -> FetchedImage {
        var current = prepared.url
        var redirects = 0
        while true {
            var request = HTTPClientRequest(url: current.absoluteString)
            request.headers.add(name: "Accept", value: Self.acceptedTypes.joined(separator: ", "))
            let response: HTTPClientResponse
            do { response = try await client.execute(request, deadline: prepared.deadline) } catch {
                throw .transport(HTTPDeliveryTransport.transportError(error))
            }
            let status = Int(response.status.code)
            if (300..<400).contains(status), let location = response.headers.first(name: "Location") {
                guard let next = RequestURL(location, relativeTo: current.absoluteString), next.host == prepared.url.host else {
                    throw .redirectedToAnotherHost
                }
                guard redirects < policy.maximumRedirects else { throw .tooManyRedirects(limit: policy.maximumRedirects) }
                redirects += 1
                current = next
                continue
            }
            guard status == 200 else { throw .status(status) }
            let declared = response.headers.first(name: "Content-Type")?.split(separator: ";").first
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard Self.acceptedTypes.contains(declared) else { throw .notAnImage(contentType: displayable(declared, limit: 80)) }
            if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > policy.maximumBytes {
                throw .tooLarge(limit: policy.maximumBytes)
            }
            var bytes: [UInt8] = []
            do {
                for try await chunk in response.body {
                    guard bytes.count + chunk.readableBytes <= policy.maximumBytes else { throw ImageFetchFailure.tooLarge(limit: policy.maximumBytes) }
                    bytes.append(contentsOf: chunk.readableBytesView)
                }
            } catch let failure as ImageFetchFailure {
                throw failure
            } catch {
                throw .transport(HTTPDeliveryTransport.transportError(error))
            }
            guard Self.magicType(of: bytes) == declared else { throw .contentMismatch(contentType: declared) }
            let fileExtension = declared == "image/jpeg" ? "jpg" : String(declared.dropFirst("image/".count))
            do throws(MessageError) {
                return FetchedImage(attachment: try Attachment(
                    filename: "snapshot.\(fileExtension)", mimeType: declared, data: Data(bytes), maximumBytes: policy.maximumBytes))
            } catch {
                throw .tooLarge(limit: policy.maximumBytes)
            }
        }
    }

    /// The image type that `bytes` start like (PNG, JPEG, GIF or WebP signatures), or `nil`.
    static func magicType(of bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) { return "image/gif" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), bytes[8..<12].elementsEqual("WEBP".utf8) { return "image/webp" }
        return nil
    }

    /// The addresses `host` resolves to (itself when it is numeric), in the resolver's order without repeats; `nil`
    /// when it does not resolve within `timeout`.
    ///
    /// `getaddrinfo` blocks and cannot be cancelled, so it runs on a dispatch queue and the first of its answer and
    /// the deadline wins; a late answer is dropped.
    static func addresses(of host: String, within timeout: Duration) async -> [IPAddress]? {
        if let literal = IPAddress(host) { return [literal] }
        let answer = OneAnswer()
        return await withCheckedContinuation { continuation in
            answer.wait(continuation)
            DispatchQueue.global().async { answer.give(resolve(host)) }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout.seconds) { answer.give(nil) }
        }
    }

    /// `getaddrinfo` for TCP, IPv4 and IPv6; empty when the name does not resolve.
    private static func resolve(_ host: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0 else { return [] }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var cursor = list
        while let info = cursor?.pointee {
            cursor = info.ai_next
            guard let socketAddress = info.ai_addr else { continue }
            let address: IPAddress?
            switch info.ai_family {
            case AF_INET:
                address = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                    var raw = pointer.pointee.sin_addr
                    return IPAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) })
                }
            case AF_INET6:
                address = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    var raw = pointer.pointee.sin6_addr
                    return IPAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) })
                }
            default:
                address = nil
            }
            if let address, !addresses.contains(address) { addresses.append(address) }
        }
        return addresses
    }
}

/// The first of several answers, handed to one waiting continuation.
private final class OneAnswer: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<[IPAddress]?, Never>?, given: Bool)>((nil, false))

    /// Sets the continuation to resume.
    func wait(_ continuation: CheckedContinuation<[IPAddress]?, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Resumes the continuation with `value` unless an answer was given before.
    func give(_ value: [IPAddress]?) {
        let continuation = state.withLock { state -> CheckedContinuation<[IPAddress]?, Never>? in
            guard !state.given else { return nil }
            state.given = true
            return state.continuation
        }
        continuation?.resume(returning: value)
    }
}

/// A URL that ``ImageFetcher/prepare(_:)`` checked, with the address to connect to (`nil` when its host did not
/// resolve) and the fetch's deadline.
public struct PreparedImageFetch: Sendable {
    /// The URL.
    let url: RequestURL
    /// The checked address, or `nil`.
    let address: IPAddress?
    /// When the whole fetch must be over.
    let deadline: NIODeadline
}

/// A fetched image, ready to attach.
public struct FetchedImage: Hashable, Sendable {
    /// The image as an attachment named `snapshot.<png|jpg|gif|webp>`.
    public var attachment: Attachment
}

/// Why an image URL is refused before anything is fetched.
public enum ImageFetchRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not an absolute http or https URL with a host.
    case notHTTP
    /// Longer than the limit.
    case tooLong(limit: Int)
    /// The host resolves to an address in a special range that the policy does not allow.
    case refusedAddress(host: String, address: IPAddress)

    /// One sentence.
    public var description: String {
        switch self {
        case .notHTTP: "is not an http or https URL with a host"
        case .tooLong(let limit): "is longer than \(limit) bytes"
        case .refusedAddress(let host, let address):
            "host \(host) is at \(address), a \(address.range.rawValue) address, which is refused unless the destinations file allows it under integrations.printer_farm.image_fetch.allow_private_networks"
        }
    }
}

/// Why a checked image URL could not be fetched.
public enum ImageFetchFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// No connection, no answer in time, a broken connection.
    case transport(TransportError)
    /// A redirect to another host.
    case redirectedToAnotherHost
    /// More redirects than allowed.
    case tooManyRedirects(limit: Int)
    /// An answer other than 200 (or a redirect).
    case status(Int)
    /// A `Content-Type` that is not an accepted image type.
    case notAnImage(contentType: String)
    /// The bytes do not start like the declared image type.
    case contentMismatch(contentType: String)
    /// Over the size limit (declared, or found while reading).
    case tooLarge(limit: Int)

    /// One phrase.
    public var description: String {
        switch self {
        case .transport(let error): error.description
        case .redirectedToAnotherHost: "it was redirected to another host"
        case .tooManyRedirects(let limit): "it was redirected more than \(limit) times"
        case .status(let status): "the server answered \(status)"
        case .notAnImage(let type): "its content type \(type.isEmpty ? "(none)" : quoted(type)) is not png, jpeg, gif or webp"
        case .contentMismatch(let type): "its bytes are not \(quoted(type))"
        case .tooLarge(let limit): "it is larger than \(limit) bytes"
        }
    }
}
