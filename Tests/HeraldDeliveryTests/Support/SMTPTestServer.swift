import Foundation
import HeraldTestSupport

/// A real SMTP server for a test: `scripts/smtp_test_server.py` (aiosmtpd) on 127.0.0.1, with a self-signed
/// certificate it generates, started for the test and ended after it by closing its standard input. Tests that use it say
/// `.requires(.aiosmtpd)`.
struct SMTPTestServer: Sendable {
    /// How the server speaks.
    enum Mode: String, Sendable {
        /// STARTTLS required before AUTH and MAIL.
        case startTLS = "starttls"
        /// TLS from the first byte.
        case tls
        /// No TLS offered.
        case plain
        /// Accepts connections and never answers.
        case silent
        /// Answers `STARTTLS` with `220` and, in the same write, a plaintext `250`.
        case inject
    }

    /// One message the server accepted.
    struct Received: Sendable {
        /// The bytes after `DATA`, dot-stuffing removed.
        let message: [UInt8]
        /// `MAIL FROM`'s address.
        let mailFrom: String
        /// The accepted recipients.
        let recipients: [String]
        /// `MAIL FROM`'s parameters (`SIZE=1234`).
        let mailOptions: [String]
        /// The user who authenticated, if any.
        let user: String?
        /// The SASL mechanism, if any.
        let mechanism: String?
        /// Whether the session was encrypted.
        let tls: Bool
        /// The message's file.
        let file: URL
    }

    /// The port it listens on.
    let port: Int
    /// Where it writes the messages it accepts and its certificate.
    let directory: URL

    /// The certificate (its own CA), for `ca_file`.
    var certificateFile: String { directory.appendingPathComponent("cert.pem").path }

    /// The messages accepted so far, in order.
    func received() throws -> [Received] {
        var messages: [Received] = []
        for index in 1... {
            let stem = directory.appendingPathComponent("received-\(index)")
            guard let metadata = try? Data(contentsOf: stem.appendingPathExtension("json")) else { break }
            let fields = try JSONSerialization.jsonObject(with: metadata) as? [String: Any] ?? [:]
            messages.append(Received(
                message: Array(try Data(contentsOf: stem.appendingPathExtension("eml"))),
                mailFrom: fields["mail_from"] as? String ?? "", recipients: fields["rcpt_tos"] as? [String] ?? [],
                mailOptions: fields["mail_options"] as? [String] ?? [], user: fields["user"] as? String,
                mechanism: fields["mechanism"] as? String, tls: fields["tls"] as? Bool ?? false,
                file: stem.appendingPathExtension("eml")))
        }
        return messages
    }

    /// Runs `body` with a server in `mode`, requiring AUTH as `user` with `password` when given.
    static func with<T: Sendable>(
        _ mode: Mode, user: String? = nil, password: String? = nil, sizeLimit: Int? = nil,
        _ body: (SMTPTestServer) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var arguments = ["scripts/smtp_test_server.py", "--mode", mode.rawValue, "--directory", directory.path]
        if let user, let password { arguments += ["--user", user, "--password", password] }
        if let sizeLimit { arguments += ["--size-limit", String(sizeLimit)] }
        let process = Process()
        // env finds python3 on the PATH and becomes it.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.currentDirectoryURL = RepositoryPaths.root
        let output = Pipe()
        let errors = directory.appendingPathComponent("server-errors.txt")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errors)
        // The server serves until its standard input closes: when the test ends, or when the test process dies.
        let input = Pipe()
        process.standardInput = input
        try process.run()
        defer {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        let line = await readLine(from: output.fileHandleForReading)
        guard let line, line.hasPrefix("READY "), let port = Int(line.dropFirst(6)) else {
            let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw ServerFailed(reason: "the SMTP test server did not start: \(line ?? "no output") \(stderr.suffix(1_500))")
        }
        return try await body(SMTPTestServer(port: port, directory: directory))
    }

    /// The first line `handle` gives, read on a dispatch queue so that no task waits on a blocking read.
    private static func readLine(from handle: FileHandle) async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var bytes: [UInt8] = []
                while true {
                    let chunk = handle.availableData
                    guard !chunk.isEmpty else { break }
                    bytes += chunk
                    if bytes.contains(UInt8(ascii: "\n")) { break }
                }
                let text = String(decoding: bytes, as: UTF8.self)
                continuation.resume(returning: text.isEmpty ? nil : text.split(separator: "\n").first.map(String.init))
            }
        }
    }

    struct ServerFailed: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }
}
