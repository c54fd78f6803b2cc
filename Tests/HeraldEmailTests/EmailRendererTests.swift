import Foundation
import Herald
@testable import HeraldEmail
import HeraldTestSupport
import Testing

/// The e-mail renderer's pieces: capabilities, the MIME structure, quoted-printable, header encoding, the size limit.
@Suite("E-mail rendering")
struct EmailRendererTests {
    /// The message's lines, split at CRLF.
    static func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
    }

    @Test("e-mail shows every emphasis, the six colors, links, headings, tables and files; no code languages or stickers")
    func capabilities() {
        let capabilities = EmailRenderer().capabilities
        #expect(capabilities.serviceName == "E-mail")
        #expect(capabilities.styles == Set(StyleFeature.allCases))
        #expect(capabilities.colors[.black] == .serviceDefault)
        #expect([TextColor.red, .green, .yellow, .pink, .blue].allSatisfy { capabilities.colors[$0] == .exact })
        #expect(capabilities.links == .native && capabilities.headings == .native && capabilities.tables == .native)
        #expect(capabilities.attachments == .native && !capabilities.codeLanguages && capabilities.maximumStickers == 0)
        #expect(capabilities.tags == .hashtagParagraph)
    }

    @Test("the header: Date, From, To, Message-ID, Subject, MIME-Version, Auto-Submitted, then the structure's type")
    func header() throws {
        let from = try EmailAddress(validating: "herald@example.org", displayName: "X12SA Herald")
        let to = try ["ops@example.org", "oncall@example.org"].map { try EmailAddress(validating: $0) }
        let headers = EmailHeaders(from: from, to: to, date: Date(timeIntervalSince1970: 1_717_243_200), messageID: "abc-1@example.org")
        let body = try EmailRenderer(headers: headers).render(try EmailReader.sampleMessage()).payload.body
        let lines = Self.lines(body)
        #expect(Array(lines.prefix(8)) == [
            "Date: Sat, 01 Jun 2024 12:00:00 +0000",
            "From: X12SA Herald <herald@example.org>",
            "To: ops@example.org, oncall@example.org",
            "Message-ID: <abc-1@example.org>",
            "Subject: Sample mount failed on printer 3",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
            "Content-Type: multipart/mixed; boundary=\"=_herald_mixed\"",
        ])
        #expect(lines.contains("Content-ID: <part1.abc-1@example.org>"))
        #expect(lines.contains("Content-ID: <part3.abc-1@example.org>"))
        #expect(body.suffix(2) == [13, 10])
    }

    @Test("the parts nest as mixed > related > alternative only when there are files and images")
    func structure() throws {
        func types(_ message: NotificationMessage) throws -> [String] {
            Self.lines(try EmailRenderer().render(message).payload.body).filter { $0.hasPrefix("Content-Type: multipart/") }
        }
        var plain = try NotificationMessage(title: "Done")
        try plain.addText("All good.")
        #expect(try types(plain) == ["Content-Type: multipart/alternative; boundary=\"=_herald_alternative\""])
        var withImage = plain
        try withImage.addAttachment(data: Data([1, 2, 3]), filename: "a.png", mimeType: "image/png")
        #expect(try types(withImage) == [
            "Content-Type: multipart/related; type=\"multipart/alternative\";",
            "Content-Type: multipart/alternative; boundary=\"=_herald_alternative\"",
        ])
        var withFile = plain
        try withFile.addAttachment(data: Data([1, 2, 3]), filename: "a.csv", mimeType: "text/csv")
        #expect(try types(withFile) == [
            "Content-Type: multipart/mixed; boundary=\"=_herald_mixed\"",
            "Content-Type: multipart/alternative; boundary=\"=_herald_alternative\"",
        ])
    }

    @Test("quoted-printable: = and bytes outside ASCII encoded, white space at a line end encoded, From at a line start encoded, lines of at most 76")
    func quotedPrintable() {
        func encoded(_ text: String) -> String {
            var output: [UInt8] = []
            QuotedPrintable.encode(text, into: &output)
            return String(decoding: output, as: UTF8.self)
        }
        #expect(encoded("a=b é") == "a=3Db =C3=A9")
        #expect(encoded("end \ntab\t\n") == "end=20\r\ntab=09\r\n")
        #expect(encoded("From here\nnot From here") == "=46rom here\r\nnot From here")
        let long = encoded(String(repeating: "abcdefghij", count: 30) + " é")
        let lines = long.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.count <= 76 })
        #expect(lines.dropLast().allSatisfy { $0.hasSuffix("=") })
        #expect(lines.joined().replacingOccurrences(of: "=", with: "") == String(repeating: "abcdefghij", count: 30) + " C3A9")
        // An escape is never split by a soft line break.
        let escapes = encoded(String(repeating: "é", count: 40)).components(separatedBy: "\r\n")
        #expect(escapes.allSatisfy { $0.count <= 76 && ($0.count - ($0.hasSuffix("=") ? 1 : 0)) % 3 == 0 })
    }

    @Test("a subject of plain ASCII words stays readable; anything else becomes encoded-words of whole characters")
    func subject() {
        #expect(HeaderFields.unstructured("Scan 12 done") == ["Scan", "12", "done"])
        for title in ["Température 21 °C", "=?UTF-8?B?SGk=?=", "two  spaces", " leading", "tab\there", String(repeating: "x", count: 80)] {
            let words = HeaderFields.unstructured(title)
            #expect(words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") && $0.count <= 75 }, "\(title)")
            let decoded = words.map { Data(base64Encoded: String($0.dropFirst(10).dropLast(2)))! }.reduce(Data(), +)
            #expect(String(decoding: decoded, as: UTF8.self) == title)
        }
        // A character longer than a word is split between its scalars, each word valid UTF-8.
        let zalgo = "Z" + String(repeating: "\u{0301}", count: 40)
        let words = HeaderFields.encodedWords(zalgo)
        #expect(words.count > 1)
        #expect(words.allSatisfy { String(data: Data(base64Encoded: String($0.dropFirst(10).dropLast(2)))!, encoding: .utf8) != nil })
    }

    @Test("a file name outside printable ASCII, or long, is an RFC 2231 parameter in sections of at most 60 characters")
    func parameters() {
        #expect(HeaderFields.parameter("filename", "scan 12.pdf") == ["filename=\"scan 12.pdf\""])
        #expect(HeaderFields.parameter("filename", "Prüf \"1\".txt") == ["filename*0*=utf-8''Pr%C3%BCf%20%221%22.txt"])
        let long = HeaderFields.parameter("filename", String(repeating: "é", count: 100))
        #expect(long.count > 5)
        #expect(long.allSatisfy { $0.count <= 60 + "filename*10*=;".count })
        #expect(long.first!.hasPrefix("filename*0*=utf-8''%C3%A9"))
        #expect(long.last!.hasPrefix("filename*\(long.count - 1)*=%"))
    }

    @Test("every line of every golden case has at most 78 characters and ends in CRLF; the measured size is the size written", arguments: GoldenCase.all)
    func lineLengthAndSize(_ golden: GoldenCase) throws {
        let renderer = EmailRenderer()
        let rendering = try renderer.render(try golden.message())
        let body = rendering.payload.body
        let lines = Self.lines(body)
        #expect(lines.last == "")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 && !$0.contains("\n") && !$0.contains("\r") })
        #expect(body.allSatisfy { $0 < 0x80 })
        #expect(renderer.message(for: rendering.fittedDocument).byteCount + 2 == body.count)
    }

    @Test("a boundary only ever starts a delimiter line")
    func boundaries() throws {
        let lines = Self.lines(try EmailRenderer().render(try EmailReader.sampleMessage()).payload.body)
        let mentions = lines.filter { $0.contains("=_herald_") }
        let delimiters = mentions.filter { $0.hasPrefix("--=_herald_") }
        #expect(mentions.count - delimiters.count == 3)  // the three Content-Type fields
        #expect(delimiters.filter { $0.hasSuffix("--") }.count == 3)
    }

    @Test("over the size limit, attachments are replaced by their names, largest first, then the text is cut with a marker, within the limit")
    func sizeLimit() throws {
        var message = try NotificationMessage(title: "Night log")
        try message.addAttachment(data: Data(repeating: 1, count: 30_000), filename: "big.png", mimeType: "image/png")
        try message.addText((0..<2_000).map { "Frame \($0) acquired." }.joined(separator: "\n"))
        let renderer = EmailRenderer(maximumMessageBytes: 20_000)
        let rendering = try renderer.render(message)
        #expect(rendering.messages.count == 1)
        #expect(rendering.payload.body.count <= 20_000)
        #expect(rendering.degradations.map(\.kind).contains(.inlineDataDropped))
        #expect(rendering.degradations.map(\.kind).contains(.truncated))
        // Files too: a file the limit cannot carry is named instead, never refused.
        var files = try NotificationMessage()
        let pdf = try Attachment(filename: "big.pdf", mimeType: "application/pdf", data: Data(repeating: 1, count: 30_000))
        files.addAttachment(pdf)
        let named = try renderer.render(files)
        #expect(named.payload.body.count <= 20_000)
        #expect(named.degradations.map(\.kind) == [.inlineDataDropped])
        #expect(named.fittedDocument.blocks == [.attachmentNotice(for: pdf, origin: .part(0))])
    }

    @Test("addresses: dot-atom local parts and host names only")
    func addresses() throws {
        for valid in ["ops@example.org", "first.last+tag@sub.example.org", "a@localhost", "o'brien@example.org"] {
            #expect((try? EmailAddress(validating: valid)) != nil, "\(valid)")
        }
        for invalid in ["", "ops", "ops@", "@example.org", "a@@b", "a b@example.org", "a..b@example.org", ".a@example.org",
                        "ops@-example.org", "ops@exa_mple.org", "ops@example.org\r\nBcc: x@y.z", "\"quoted\"@example.org", "üser@example.org"] {
            #expect(throws: EmailAddress.Invalid.self, "\(invalid.debugDescription)") { try EmailAddress(validating: invalid) }
        }
        #expect(throws: EmailAddress.Invalid.self) { try EmailAddress(validating: "a@example.org", displayName: "two\nlines") }
        #expect(HeaderFields.mailbox(try EmailAddress(validating: "a@example.org", displayName: "Ops, Team")) == ["\"Ops, Team\"", "<a@example.org>"])
        #expect(HeaderFields.mailbox(try EmailAddress(validating: "a@example.org", displayName: "Équipe")).first!.hasPrefix("=?UTF-8?B?"))
    }
}
