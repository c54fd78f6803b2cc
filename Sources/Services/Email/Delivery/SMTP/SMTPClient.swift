import Foundation
import HeraldCore
import NIOCore
import NIOPosix
import NIOSSL

/// How an SMTP connection is protected.
public enum SMTPSecurity: String, Hashable, Sendable, CaseIterable {
    /// Plain SMTP, then `STARTTLS` before anything else (submission, port 587).
    case startTLS = "starttls"
    /// TLS from the first byte (submissions, port 465).
    case tls
    /// No TLS (a relay on the same machine or a trusted network, port 25).
    case none

    /// The port a server with this security listens on by default.
    public var defaultPort: Int {
        switch self {
        case .startTLS: 587
        case .tls: 465
        case .none: 25
        }
    }
}

/// The SASL mechanisms Herald's SMTP client speaks.
public enum SMTPAuthMechanism: String, Hashable, Sendable, CaseIterable {
    /// `AUTH PLAIN` with an initial response (RFC 4616).
    case plain = "PLAIN"
    /// `AUTH LOGIN`: user name and password in two steps.
    case login = "LOGIN"
}

/// A small SMTP client (RFC 5321) on SwiftNIO: one session per message, with STARTTLS (RFC 3207) or implicit TLS
/// (RFC 8314), `AUTH PLAIN` (RFC 4616) or `AUTH LOGIN` (RFC 4954), the `SIZE` extension (RFC 1870) and several
/// recipients.
///
/// Hand-written: no Swift SMTP library exists in the package mirror. The session is all or nothing for the
/// recipients: when the server refuses one of them, the transaction ends before `DATA` and nobody receives the
/// message, so that a retry never sends it twice to the others.
///
/// TLS is never optional once asked for: with ``SMTPSecurity/startTLS`` a server that does not offer STARTTLS is a
/// refusal, never a fallback to plain text; certificates are verified against the host name (or the address) with
/// the system's trust roots and the configured CA file. Credentials are sent only over TLS, or to a loopback address.
struct SMTPClient: Sendable {
    /// A user name and password, and the mechanism to use (by default the first the server offers of PLAIN, LOGIN).
    struct Credentials: Sendable {
        /// The user name.
        var username: String
        /// The password.
        var password: Secret
        /// The mechanism, if the configuration names one.
        var mechanism: SMTPAuthMechanism?

        /// The credentials as they go on the wire (base64), which a server might echo: redacted like the password.
        var encodedForms: [Secret] {
            [Secret(Self.base64("\0\(username)\0\(password.value)")), Secret(Self.base64(password.value))]
        }

        static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
    }

    /// The server's host name or address.
    var host: String
    /// The server's port.
    var port: Int
    /// How the connection is protected.
    var security: SMTPSecurity
    /// A PEM file of further certificate authorities to trust, if any.
    var certificateAuthorityFile: String?
    /// The name to greet with in `EHLO`; by default the client's own address as an address literal (`[192.0.2.1]`).
    var heloName: String?

    /// Sends `message` (CRLF line breaks) from `sender` to `recipients` and returns the server's reply to the
    /// message; the whole session, connecting included, ends within `timeout`.
    func send(
        _ message: [UInt8], from sender: String, to recipients: [String], credentials: Credentials?, timeout: Duration
    ) async throws(SessionFailure) -> SMTPReply {
        let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout.seconds * 1e9))
        let tlsContext: NIOSSLContext?
        do {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let certificateAuthorityFile { configuration.additionalTrustRoots = [.file(certificateAuthorityFile)] }
            tlsContext = security == .none ? nil : try NIOSSLContext(configuration: configuration)
        } catch {
            throw .rejected("cannot set up TLS with the configured certificate authorities: \(displayable(String(describing: error), limit: 120))")
        }
        let (replies, continuation) = AsyncThrowingStream<SMTPReply, any Error>.makeStream()
        let serverHostname = Self.isIPAddress(host) ? nil : host
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.nanoseconds(max(1, (deadline - .now()).nanoseconds)))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if self.security == .tls, let tlsContext {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: serverHostname))
                        }
                        try channel.pipeline.syncOperations.addHandler(SMTPCodec(replies: continuation))
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            continuation.finish()
            throw .transport(Task.isCancelled ? .cancelled : HTTPDeliveryTransport.transportError(error))
        }
        // The deadline ends the session wherever it is.
        let timer = channel.eventLoop.scheduleTask(deadline: deadline) {
            continuation.finish(throwing: TransportError.timedOut)
            channel.close(promise: nil)
        }
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        var session = Session(channel: channel, replies: replies.makeAsyncIterator())
        let outcome = await withTaskCancellationHandler {
            do throws(SessionFailure) {
                return Result<SMTPReply, SessionFailure>.success(try await session.run(
                    self, message, from: sender, to: recipients, credentials: credentials, tls: tlsContext, serverHostname: serverHostname))
            } catch {
                return .failure(error)
            }
        } onCancel: {
            continuation.finish(throwing: TransportError.cancelled)
            channel.close(promise: nil)
        }
        return try outcome.get()
    }

    /// Whether `host` is an IPv4 or IPv6 address, which TLS's server name indication cannot carry.
    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    /// One SMTP session on a connected channel.
    private struct Session {
        let channel: any Channel
        var replies: AsyncThrowingStream<SMTPReply, any Error>.AsyncIterator

        /// The dialogue: greeting, `EHLO`, `STARTTLS` and `EHLO` again, `AUTH`, `MAIL`, `RCPT` for each recipient,
        /// `DATA`, `QUIT`.
        mutating func run(
            _ client: SMTPClient, _ message: [UInt8], from sender: String, to recipients: [String], credentials: Credentials?,
            tls: NIOSSLContext?, serverHostname: String?
        ) async throws(SessionFailure) -> SMTPReply {
            try Self.expect(try await next(), 220, "the server's greeting")
            let name = client.heloName ?? Self.addressLiteral(channel.localAddress)
            var extensions = try await hello(name)
            if client.security == .startTLS, let tls {
                guard extensions.keys.contains("STARTTLS") else {
                    throw .rejected("the server does not offer STARTTLS, and security is starttls")
                }
                try await write(.startTLS(tls, serverHostname: serverHostname))
                try Self.expect(try await next(), 220, "STARTTLS")
                extensions = try await hello(name)
            }
            if let credentials {
                guard client.security != .none || Loopback.contains(host: client.host) else {
                    throw .rejected("refusing to send the SMTP password without TLS to a host that is not a loopback address")
                }
                try await authenticate(credentials, offered: extensions["AUTH"] ?? [])
            }
            var mail = "MAIL FROM:<\(sender)>"
            if let limit = extensions["SIZE"]?.first.flatMap(Int.init) {
                guard limit == 0 || message.count <= limit else {
                    throw .rejected("the message has \(message.count) bytes; the server takes at most \(limit) (SIZE)")
                }
                mail += " SIZE=\(message.count)"
            }
            try await write(.line(mail))
            try Self.expect(try await next(), 250, "MAIL FROM")
            var refusals: [(recipient: String, reply: SMTPReply)] = []
            for recipient in recipients {
                try await write(.line("RCPT TO:<\(recipient)>"))
                let reply = try await next()
                if !(250...252).contains(reply.code) { refusals.append((recipient, reply)) }
            }
            guard refusals.isEmpty else {
                let text = "recipients refused, nothing sent: " + refusals.map { "\($0.recipient) (\($0.reply))" }.joined(separator: ", ")
                throw refusals.allSatisfy({ (400..<500).contains($0.reply.code) }) ? .transient(text) : .rejected(text)
            }
            try await write(.line("DATA"))
            try Self.expect(try await next(), 354, "DATA")
            try await write(.message(message))
            let accepted = try await next()
            try Self.expect(accepted, 250, "the message")
            // Polite: the message is accepted whatever the server answers to QUIT.
            try? await write(.line("QUIT"))
            _ = try? await next()
            return accepted
        }

        /// `EHLO`; the extensions the server offers, by keyword, with their parameters.
        private mutating func hello(_ name: String) async throws(SessionFailure) -> [String: [String]] {
            try await write(.line("EHLO \(name)"))
            let reply = try await next()
            try Self.expect(reply, 250, "EHLO")
            var extensions: [String: [String]] = [:]
            for line in reply.lines.dropFirst() {
                let words = line.split(separator: " ").map { String($0).uppercased() }
                if let keyword = words.first { extensions[keyword] = Array(words.dropFirst()) }
            }
            return extensions
        }

        /// `AUTH` with the configured mechanism, or the first of PLAIN and LOGIN the server offers.
        private mutating func authenticate(_ credentials: Credentials, offered: [String]) async throws(SessionFailure) {
            let mechanism = credentials.mechanism ?? SMTPAuthMechanism.allCases.first { offered.contains($0.rawValue) }
            guard let mechanism, offered.contains(mechanism.rawValue) else {
                let wanted = credentials.mechanism.map { "AUTH \($0.rawValue)" } ?? "AUTH PLAIN or LOGIN"
                throw .rejected("the server does not offer \(wanted) (it offers: \(offered.isEmpty ? "no AUTH" : offered.joined(separator: " ")))")
            }
            var reply: SMTPReply
            switch mechanism {
            case .plain:
                let response = Credentials.base64("\0\(credentials.username)\0\(credentials.password.value)")
                try await write(.line("AUTH PLAIN \(response)"))
                reply = try await next()
            case .login:
                try await write(.line("AUTH LOGIN"))
                try Self.expect(try await next(), 334, "AUTH LOGIN")
                try await write(.line(Credentials.base64(credentials.username)))
                try Self.expect(try await next(), 334, "AUTH LOGIN (user name)")
                try await write(.line(Credentials.base64(credentials.password.value)))
                reply = try await next()
            }
            try Self.expect(reply, 235, "AUTH \(mechanism.rawValue)")
        }

        private func write(_ command: SMTPCommand) async throws(SessionFailure) {
            do {
                try await channel.writeAndFlush(command)
            } catch {
                throw .transport(HTTPDeliveryTransport.transportError(error))
            }
        }

        /// The server's next reply; the connection's failure, the deadline or a protocol error otherwise.
        private mutating func next() async throws(SessionFailure) -> SMTPReply {
            do {
                guard let reply = try await replies.next() else { throw SessionFailure.transport(.connectionClosed) }
                return reply
            } catch let failure as SessionFailure {
                throw failure
            } catch let error as TransportError {
                throw .transport(error)
            } catch let error as SMTPProtocolError {
                switch error {
                case .malformed(let reason): throw .rejected(reason)
                case .dataAfterStartTLS: throw .rejected("the server sent data after accepting STARTTLS, before TLS began: refusing to go on")
                }
            } catch {
                throw .transport(HTTPDeliveryTransport.transportError(error))
            }
        }

        /// Accepts `reply` when its code is `code`; a 4xx is a temporary failure, anything else a refusal.
        private static func expect(_ reply: SMTPReply, _ code: Int, _ step: String) throws(SessionFailure) {
            guard reply.code != code else { return }
            let text = "\(step): \(reply)"
            throw (400..<500).contains(reply.code) ? .transient(text) : .rejected(text)
        }

        /// `[192.0.2.1]` or `[IPv6:2001:db8::1]` (RFC 5321 §4.1.3), for `EHLO` when no name is configured.
        static func addressLiteral(_ address: SocketAddress?) -> String {
            guard let address, let ip = address.ipAddress else { return "[127.0.0.1]" }
            return address.protocol == .inet6 ? "[IPv6:\(ip)]" : "[\(ip)]"
        }
    }
}
