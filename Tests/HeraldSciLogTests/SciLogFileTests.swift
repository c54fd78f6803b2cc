import Foundation
import HeraldCore
import HeraldSciLog
import Testing

@Suite("SciLog file entries and hashes")
struct SciLogFileTests {
    private let plotA: Attachment
    private let plotB: Attachment

    init() throws {
        plotA = try Attachment(filename: "plot.png", mimeType: "image/png", data: Data([1, 2, 3]))
        plotB = try Attachment(filename: "plot.png", mimeType: "image/png", data: Data([1, 2, 4]))
    }

    @Test func sameNameDifferentBytesGetDifferentHashes() {
        #expect(SciLogFile(plotA, index: 0).hash != SciLogFile(plotB, index: 0).hash)
        #expect(SciLogFile(plotA, index: 3).hash != SciLogFile(plotB, index: 3).hash)
    }

    @Test func sameBytesAtDifferentPositionsGetDifferentHashes() {
        let hashes = (0..<20).map { SciLogFile(plotA, index: $0).hash }
        #expect(Set(hashes).count == hashes.count)
    }

    @Test func sameAttachmentAtSamePositionGetsTheSameHash() throws {
        let renamed = try Attachment(filename: "other.png", mimeType: "image/png", data: plotA.data, width: 10)
        #expect(SciLogFile(plotA, index: 1).hash == SciLogFile(renamed, index: 1).hash)
    }

    /// The hash is SHA-256 over `herald.scilog.file\n<index>\n` and the bytes, so it is the same in every run and
    /// on every machine; the value here was computed with Python's `hashlib`.
    @Test func hashIsStableAcrossRuns() throws {
        let png = try #require(Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR42mM4ISeHFTEMLQkAkL9BAc9woTwAAAAASUVORK5CYII="))
        let attachment = try Attachment(filename: "plot.png", mimeType: "image/png", data: png)
        #expect(SciLogFile(attachment, index: 0).hash == "c6d771ff7ef02d955e2a8b6ed9432624bb336be07677f9e0bae15e2ce680dcc1")
    }

    /// An attachment spanning many SHA-256 blocks at a two-digit position hashes as Python's `hashlib` computes
    /// `sha256(b"herald.scilog.file\n12\n" + bytes((i * 7 + 3) % 256 for i in range(1000)))`.
    @Test func multiBlockHashMatchesAnIndependentDigest() throws {
        let bytes = Data((0..<1000).map { UInt8(($0 * 7 + 3) % 256) })
        let attachment = try Attachment(filename: "log.bin", mimeType: "application/octet-stream", data: bytes)
        #expect(SciLogFile(attachment, index: 12).hash == "10ace43f87be461952535e8dd63272d1af7c294ec5e532e28d30a874f84bd7c9")
    }

    @Test func twoPlotsWithOneNameInOneEntryStayApart() throws {
        var message = try NotificationMessage()
        message.addAttachment(plotA)
        message.addAttachment(plotB)
        message.addAttachment(plotA)
        let payload = try SciLogPayload(SciLogRenderer().render(message).payload)
        #expect(Set(payload.fileHashes).count == 3)
        for hash in payload.fileHashes {
            #expect(payload.textcontent.components(separatedBy: "title=\"\(hash)\"").count == 2, "referenced once")
        }
    }

    @Test func imageSizes() throws {
        func style(width: Int?, height: Int?) throws -> [String]? {
            let attachment = try Attachment(filename: "a.gif", mimeType: "image/gif", data: Data([0]), width: width, height: height)
            return SciLogFile(attachment, index: 0).imageStyle.map { [$0.width, $0.height] }
        }
        #expect(try style(width: 800, height: 600) == ["800px", "600px"])
        #expect(try style(width: 800, height: nil) == ["800px", ""])
        #expect(try style(width: nil, height: 300) == ["", "300px"])
        #expect(try style(width: nil, height: nil) == [SciLogFile.defaultImageWidth, ""])
    }

    @Test func otherFilesAreLinksWithoutStyle() throws {
        let report = try Attachment(filename: "scan 12 & <b>.pdf", mimeType: "application/pdf", data: Data([7]))
        let file = SciLogFile(report, index: 0)
        #expect(!file.isImage)
        #expect(file.jsonValue == ["fileHash": .string(file.hash), "fileExtension": "application/pdf"])
        var message = try NotificationMessage()
        message.addAttachment(report)
        let payload = try SciLogPayload(SciLogRenderer().render(message).payload)
        #expect(payload.textcontent.contains("href=\"file:\(file.hash)\">scan 12 &amp; &lt;b&gt;.pdf</a>"))
    }
}
