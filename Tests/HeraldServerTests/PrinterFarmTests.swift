import Foundation
import HeraldCore
import HeraldDelivery
import HeraldTestSupport
import Testing

/// `POST /v1/integrations/printer-farm` with the printer-farm server's webhook body, a local image server for the
/// snapshot, and Telegram and Discord receivers: a real server on an ephemeral port and a real outbox.
@Suite("printer-farm webhook")
struct PrinterFarmTests {
    static let telegramToken = "123456789:AAH\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"
    static let discordToken = "discord-\(UUID().uuidString)"
    static let hostilePrinter = #"<b>&"Printer""#
    static let hostileFile = "*_[x](javascript:y)_*.gcode"
    /// A PNG's signature and a few bytes.
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]

    /// A destinations file with a Telegram and a Discord scope `farm` at `base`, the test tokens, and
    /// `integrations.printer_farm.image_fetch` set to `imageFetch` when given.
    static func yaml(base: String, imageFetch: String?) -> String {
        """
        outbox: outbox.sqlite
        delivery: {request_timeout: 30, concurrency: 4, poll_interval: 0.05, initial_backoff: 0.01, maximum_backoff: 0.05}
        services:
          telegram: {token_env: PF_TELEGRAM_TOKEN, api_url: "\(base)", scopes: {farm: {chat_id: -1001234567890}}}
          discord: {scopes: {farm: {webhook_url_env: PF_DISCORD_URL}}}
        server:
          tokens:
            - {name: farm, token_env: HERALD_TEST_NOTIFY_TOKEN, role: notify}
        \(imageFetch.map { "integrations: {printer_farm: {image_fetch: \($0)}}" } ?? "")
        """
    }

    static func variables(base: String) -> [String: String] {
        ["PF_TELEGRAM_TOKEN": telegramToken, "PF_DISCORD_URL": "\(base)/api/webhooks/1/\(discordToken)", "HERALD_TEST_NOTIFY_TOKEN": TestServer.notifyToken]
    }

    /// One local server for everything: the Bot API under `/bot…`, the Discord webhook under `/api/webhooks/`, and
    /// images: `/snap.png`, `/page` (HTML), `/away` (redirects to `localhost`, another host).
    static func receivers(telegram: KeyLedger, discord: KeyLedger, images: KeyLedger) -> @Sendable (ReceivedRequest) async -> TestReply {
        let bot = Receivers.telegramBotAPI(telegram, token: telegramToken)
        let webhook = Receivers.discordWebhook(discord)
        return { request in
            if request.path.hasPrefix("/bot") { return await bot(request) }
            if request.path.hasPrefix("/api/webhooks/") { return await webhook(request) }
            await images.saw()
            let port = request.header("Host")?.split(separator: ":").last.map(String.init) ?? ""
            switch request.path {
            case "/snap.png": return .respond(status: 200, headers: [("Content-Type", "image/png")], body: png)
            case "/page": return .respond(status: 200, headers: [("Content-Type", "text/html")], body: Array("<html></html>".utf8))
            case "/away": return .respond(status: 302, headers: [("Location", "http://localhost:\(port)/snap.png")])
            default: return .respond(status: 404)
            }
        }
    }

    /// The farm's failure-alert body with the hostile names, a paused print and `image` as `img_url`.
    static func failureAlert(image: String) -> JSONValue {
        [
            "event": ["type": "PrintFailure", "is_warning": false, "print_paused": true],
            "printer": ["id": 3, "name": .string(hostilePrinter)],
            "print": ["id": 812, "filename": .string(hostileFile), "started_at": .double(1_765_076_400.5), "ended_at": ""],
            "img_url": .string(image),
            "added_by_a_newer_farm": ["ignored": true],
        ]
    }

    /// Runs `body` with a server whose FailureAlert goes to both scopes, and the three ledgers.
    static func withFarm(
        imageFetch: String? = "{allow_private_networks: [127.0.0.1/32], timeout: 5, max_bytes: 1048576}",
        _ body: @escaping (TestServer, String, (telegram: KeyLedger, discord: KeyLedger, images: KeyLedger)) async throws -> Void
    ) async throws {
        let ledgers = (telegram: KeyLedger(), discord: KeyLedger(), images: KeyLedger())
        try await TestHTTPServer.with(receivers(telegram: ledgers.telegram, discord: ledgers.discord, images: ledgers.images)) { base in
            try await TestServer.with(yaml(base: base, imageFetch: imageFetch), variables: variables(base: base)) { server in
                for service in [Service.telegram, .discord] {
                    try await server.notifier.setAutoNotifications(event: .failureAlert, service: service, enabled: true, scopes: ["farm"])
                }
                try await body(server, base, ledgers)
            }
        }
    }

    /// The text a Discord webhook received (its `content` and its embeds' descriptions, one per line), from a JSON
    /// body or a multipart one's `payload_json`.
    static func discordContent(_ request: ReceivedRequest) -> String? {
        let json = MultipartForm(request).map { Array(($0.fields["payload_json"] ?? "").utf8) } ?? request.body
        guard case .object(let payload)? = try? JSONReader().read(json) else { return nil }
        var texts: [String] = []
        if case .string(let content)? = payload["content"] { texts.append(content) }
        if case .array(let embeds)? = payload["embeds"] {
            for case .object(let embed) in embeds { if case .string(let description)? = embed["description"] { texts.append(description) } }
        }
        return texts.isEmpty ? nil : texts.joined(separator: "\n")
    }

    /// The receipt's id and notes; fails the test when the answer is not a receipt.
    static func receipt(_ response: TestResponse) throws -> (id: String?, notes: [String], deliveries: Int) {
        guard case .object(let object) = try response.json(), case .array(let notes)? = object["notes"],
            case .array(let deliveries)? = object["deliveries"]
        else {
            Issue.record("not a receipt: \(response.text)")
            throw TestResponse.NotAnError()
        }
        let id: String? = if case .string(let id)? = object["id"] { id } else { nil }
        return (id, notes.compactMap { if case .string(let note) = $0 { note } else { nil } }, deliveries.count)
    }

    @Test("a failure alert with the token in the query reaches Telegram as sendPhoto and Discord as a file, names escaped")
    func failureAlertReachesTelegramAndDiscord() async throws {
        try await Self.withFarm { server, base, ledgers in
            // The farm's channel cannot send headers: the token rides in the query.
            let response = try await server.send(
                .POST, "/v1/integrations/printer-farm?access_token=\(TestServer.notifyToken)", token: nil,
                body: JSONWriter().bytes(Self.failureAlert(image: base + "/snap.png")))
            #expect(response.status == 202)
            let receipt = try Self.receipt(response)
            #expect(receipt.notes == [] && receipt.deliveries == 2)
            let id = try #require(receipt.id)
            #expect(try await server.waitUntilSettled(id).map(\.state) == [.delivered, .delivered])

            let telegram = try #require(await ledgers.telegram.accepted.first)
            #expect(await ledgers.telegram.accepted.count == 1)
            #expect(telegram.path == "/bot\(Self.telegramToken)/sendPhoto")
            let photo = try #require(MultipartForm(telegram))
            let reference = try #require(photo.fields["photo"])
            #expect(reference.hasPrefix("attach://"))
            let file = photo.files[String(reference.dropFirst("attach://".count))]
            #expect(file?.data == Self.png && file?.contentType == "image/png")
            #expect(photo.fields["parse_mode"] == "HTML")
            let caption = try #require(photo.fields["caption"])
            #expect(caption.contains(#"Failure on printer <b>&lt;b&gt;&amp;"Printer"</b> while printing *_[x](javascript:y)_*.gcode."#))
            #expect(caption.contains("The print was paused.") && caption.contains("Started: 2025-12-07 03:00 UTC"))
            #expect(!caption.contains("<a ") && !caption.contains("unavailable"))

            let discord = try #require(await ledgers.discord.accepted.first)
            let form = try #require(MultipartForm(discord))
            #expect(form.files["files[0]"]?.data == Self.png && form.files["files[0]"]?.filename == "snapshot.png")
            let content = try #require(Self.discordContent(discord))
            #expect(content.contains(#"Failure on printer **\<b>&"Printer"** while printing \*\_\[x\](javascript\:y)\_\*.gcode."#))
            #expect(await ledgers.images.seen == 1)
        }
    }

    @Test("an img_url at 127.0.0.1 without the file's permission is a 422 naming img_url, and nothing is queued or fetched")
    func privateAddressRefused() async throws {
        try await Self.withFarm(imageFetch: nil) { server, base, ledgers in
            for image in [base + "/snap.png", "http://[::ffff:127.0.0.1]/snap.png", "file:///etc/passwd"] {
                let response = try await server.send(.POST, "/v1/integrations/printer-farm", json: Self.failureAlert(image: image))
                #expect(response.status == 422)
                let error = try response.error()
                #expect(error.code == "refused_image_url" && error.path == "img_url" && error.message.hasPrefix("img_url: "))
            }
            #expect(try await server.notifier.outbox.deliveries().isEmpty)
            #expect(await ledgers.images.seen == 0)
        }
    }

    @Test("a snapshot that cannot be fetched is left out: still notified, with a line in the message and a note")
    func unavailableSnapshotStillNotifies() async throws {
        try await Self.withFarm { server, base, ledgers in
            for (path, reason) in [("/page", #"its content type "text/html" is not png, jpeg, gif or webp"#), ("/away", "it was redirected to another host"), ("/gone", "the server answered 404")] {
                let response = try await server.send(.POST, "/v1/integrations/printer-farm", json: Self.failureAlert(image: base + path))
                #expect(response.status == 202)
                let receipt = try Self.receipt(response)
                #expect(receipt.notes == ["img_url: the snapshot was unavailable (\(reason)); notified without it"])
                #expect(try await server.waitUntilSettled(try #require(receipt.id)).allSatisfy { $0.state == .delivered })
            }
            let sent = await ledgers.telegram.accepted
            #expect(sent.count == 3 && sent.allSatisfy { $0.path.hasSuffix("/sendMessage") })
            #expect(sent.allSatisfy { $0.text.contains("The snapshot was unavailable: ") })
            #expect(await ledgers.discord.accepted.allSatisfy { $0.header("Content-Type") == "application/json" })
            // /away was not followed to localhost.
            #expect(await ledgers.images.seen == 3)
        }
    }

    @Test("the farm's other bodies: a warning, a print done without snapshot, the test button, unknown types, bad bodies")
    func otherBodies() async throws {
        try await Self.withFarm { server, _, ledgers in
            try await server.notifier.setAutoNotifications(event: .printDone, service: .discord, enabled: true, scopes: ["farm"])
            let warning: JSONValue = [
                "event": ["type": "PrintFailure", "is_warning": true, "print_paused": false],
                "printer": ["id": 3, "name": "mk4"], "print": ["id": 1, "filename": "a.gcode", "started_at": "", "ended_at": ""], "img_url": "",
            ]
            let done: JSONValue = [
                "event": ["type": "PrintDone"], "printer": ["id": 3, "name": "mk4"],
                "print": ["id": 1, "filename": "a.gcode", "started_at": 1_765_076_400, "ended_at": 1_765_083_600], "img_url": "",
            ]
            for body in [warning, done] {
                let response = try await server.send(.POST, "/v1/integrations/printer-farm", json: body)
                #expect(response.status == 202)
                _ = try await server.waitUntilSettled(try #require(try Self.receipt(response).id))
            }
            let texts = await ledgers.discord.accepted.compactMap(Self.discordContent)
            #expect(texts.count == 2)
            #expect(texts.first?.contains("Possible failure on printer **mk4** while printing a.gcode.\n\nThe print was not paused.") == true)
            #expect(texts.last?.contains(#"Printer **mk4** finished printing a.gcode."#) == true)
            #expect(texts.last?.contains("Started\\: 2025-12-07 03\\:00 UTC\nEnded\\: 2025-12-07 05\\:00 UTC") == true)

            // The test button and an unknown type are custom events; no route takes them here.
            for body: JSONValue in [["event": "TestEvent"], ["event": ["type": "BedLeveled"], "printer": ["id": 1, "name": "mk4"]]] {
                let response = try await server.send(.POST, "/v1/integrations/printer-farm", json: body)
                #expect(response.status == 200)
                #expect(try Self.receipt(response).id == nil)
            }

            let refused: [(JSONValue, String)] = [
                (["printer": ["id": 1, "name": "mk4"]], "event"),
                (["event": ["type": "PrintDone"]], "printer"),
                (["event": ["type": "PrintDone"], "printer": ["id": 1, "name": .string(String(repeating: "p", count: 257))]], "printer.name"),
                (["event": ["type": "PrintDone"], "printer": ["name": "mk4"], "print": ["filename": "a", "started_at": "yesterday"]], "print.started_at"),
                (["event": ["type": "PrintFailure", "is_warning": "yes"], "printer": ["name": "mk4"]], "event.is_warning"),
                (["event": ["type": "Print\nDone"], "printer": ["name": "mk4"]], "event.type"),
                (["event": ["type": "PrintDone"], "printer": ["name": "mk4"], "img_url": 7], "img_url"),
            ]
            for (body, path) in refused {
                let response = try await server.send(.POST, "/v1/integrations/printer-farm", json: body)
                #expect(response.status == 422, "\(path)")
                #expect(try response.error().path == path)
            }
            let large = try await server.send(
                .POST, "/v1/integrations/printer-farm", body: Array(#"{"event": "x", "pad": ""#.utf8) + [UInt8](repeating: 0x61, count: 70_000) + Array(#""}"#.utf8))
            #expect(large.status == 413)
            let unknownToken = try await server.send(.POST, "/v1/integrations/printer-farm?access_token=nope", token: nil, json: ["event": "TestEvent"])
            #expect(unknownToken.status == 401)
            #expect(try unknownToken.error().path == "query.access_token")
            #expect(await ledgers.discord.accepted.count == 2)
        }
    }

    @Test("the query token is taken by the printer-farm endpoint only")
    func queryTokenOnlyThere() async throws {
        try await Self.withFarm { server, _, _ in
            let response = try await server.send(
                .POST, "/v1/notifications?access_token=\(TestServer.notifyToken)", token: nil, json: ["event": "PrintDone", "message": "x"])
            #expect(response.status == 401)
        }
    }
}
