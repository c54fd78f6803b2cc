import NIOCore
import NIOSSL

/// A reply of an SMTP server (RFC 5321 §4.2): a three-digit code and the text of each line.
struct SMTPReply: Hashable, Sendable, CustomStringConvertible {
    /// The code, 200 to 599.
    let code: Int
    /// The text of each line after the code and its separator.
    let lines: [String]

    /// `250 first line second line`, as a failure quotes it.
    var description: String { ([String(code)] + lines.filter { !$0.isEmpty }).joined(separator: " ") }
}

/// What the client asks the codec to write.
enum SMTPCommand: Sendable {
    /// A command line, written with its CRLF.
    case line(String)
    /// `STARTTLS`: the codec puts TLS (with `context`, verifying `serverHostname`, or the peer's address when it is
    /// `nil`) in front of itself as soon as the server answers `220`, before it reads another byte.
    case startTLS(NIOSSLContext, serverHostname: String?)
    /// The message after `DATA`'s `354`: dot-stuffed (RFC 5321 §4.5.2), then ended by `.` alone on a line.
    case message([UInt8])
}

/// Why the codec stopped reading replies.
enum SMTPProtocolError: Error, Hashable, Sendable {
    /// The server's bytes are not SMTP replies.
    case malformed(String)
    /// The server sent bytes after its `220` to `STARTTLS`, before TLS started: a sign of an attacker injecting
    /// plaintext replies (CVE-2011-1575 and its kin), never accepted.
    case dataAfterStartTLS
}

/// The SMTP codec: splits the server's bytes into replies, which it hands to ``replies``, and writes commands.
///
/// Hand-written: NIOExtras' line decoder has no length cap, and the STARTTLS switch must happen inside the read that
/// carries the `220`, which only a handler in the pipeline can do.
///
/// Caps, checked as bytes arrive: a reply line is at most ``maximumLineBytes`` (RFC 5321 §4.5.3.1.5 allows 512) and
/// a reply at most ``maximumLines`` lines.
final class SMTPCodec: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = SMTPCommand
    typealias OutboundOut = ByteBuffer

    /// The longest reply line accepted, CRLF included.
    static let maximumLineBytes = 2048
    /// The most lines one reply may have.
    static let maximumLines = 128

    /// Where complete replies go; finished with an error when the connection fails or the server misbehaves.
    private let replies: AsyncThrowingStream<SMTPReply, any Error>.Continuation
    /// Bytes of an incomplete line.
    private var pending: [UInt8] = []
    /// The lines so far of an incomplete multi-line reply.
    private var lines: [String] = []
    /// The code of the reply being read.
    private var code: Int?
    /// TLS to put in front once the server accepts `STARTTLS`.
    private var upgrade: (context: NIOSSLContext, serverHostname: String?)?

    /// A codec handing replies to `replies`.
    init(replies: AsyncThrowingStream<SMTPReply, any Error>.Continuation) {
        self.replies = replies
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        do {
            while let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                guard end < Self.maximumLineBytes else { break }
                var line = Array(pending[..<end])
                pending.removeFirst(end + 1)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                guard let reply = try read(line) else { continue }
                if let upgrade {
                    self.upgrade = nil
                    if reply.code == 220 {
                        guard pending.isEmpty else { throw SMTPProtocolError.dataAfterStartTLS }
                        let tls = try NIOSSLClientHandler(context: upgrade.context, serverHostname: upgrade.serverHostname)
                        try context.pipeline.syncOperations.addHandler(tls, position: .first)
                    }
                }
                replies.yield(reply)
            }
            if pending.count >= Self.maximumLineBytes {
                throw SMTPProtocolError.malformed("a reply line is longer than \(Self.maximumLineBytes) bytes")
            }
        } catch {
            fail(context: context, error)
        }
    }

    /// Adds one line to the reply being read; the reply when the line is its last.
    private func read(_ line: [UInt8]) throws(SMTPProtocolError) -> SMTPReply? {
        let digits = line.prefix(3)
        guard digits.count == 3, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let number = Int(String(decoding: digits, as: UTF8.self)), (200...599).contains(number),
            line.count == 3 || line[3] == UInt8(ascii: " ") || line[3] == UInt8(ascii: "-")
        else {
            throw .malformed("the server answered with something that is not an SMTP reply")
        }
        guard code == nil || code == number else { throw .malformed("a multi-line reply changes its code") }
        code = number
        lines.append(String(decoding: line.dropFirst(4), as: UTF8.self))
        guard line.count == 3 || line[3] == UInt8(ascii: " ") else {
            guard lines.count < Self.maximumLines else { throw .malformed("a reply has more than \(Self.maximumLines) lines") }
            return nil
        }
        defer {
            code = nil
            lines = []
        }
        return SMTPReply(code: number, lines: lines)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var bytes: [UInt8]
        switch unwrapOutboundIn(data) {
        case .line(let text):
            bytes = Array(text.utf8) + [13, 10]
        case .startTLS(let tls, let serverHostname):
            upgrade = (tls, serverHostname)
            bytes = Array("STARTTLS\r\n".utf8)
        case .message(let message):
            bytes = Self.dotStuffed(message)
        }
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context, error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        replies.finish(throwing: TransportError.connectionClosed)
        context.fireChannelInactive()
    }

    private func fail(context: ChannelHandlerContext, _ error: any Error) {
        replies.finish(throwing: error)
        context.close(promise: nil)
    }

    /// `message` with a `.` doubled at the start of every line, a CRLF at its end if it has none, and the final
    /// `.` line.
    static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(message.count + message.count / 64 + 5)
        var atLineStart = true
        for byte in message {
            if atLineStart, byte == UInt8(ascii: ".") { bytes.append(byte) }
            bytes.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        if !bytes.isEmpty, bytes.suffix(2) != [13, 10] { bytes += [13, 10] }
        return bytes + Array(".\r\n".utf8)
    }
}
