import CLibXML2
import Foundation
import HeraldValidation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libxml2's default error handler prints to standard error; HeraldValidation must route every error to its own
/// collector instead. The tests capture file descriptor 2 in a temporary file, so they run one at a time.
@Suite("libxml2 and standard error", .serialized)
struct StandardErrorTests {
    /// Every report of libxml2's default handler contains `<domain> error : ` or `<domain> warning : `.
    private static func containsLibXML2Report(_ text: String) -> Bool {
        text.contains("error : ") || text.contains("warning : ")
    }

    @Test func validatingBadMarkupWritesNothingToStandardError() throws {
        let validator = HTMLValidator()
        let captured = try capturingStandardError {
            for badCase in Fixtures.badCases {
                _ = validator.validate(badCase.html)
            }
        }
        // Give back what other tests running meanwhile wrote, such as the test runner's progress.
        FileHandle.standardError.write(Data(captured.utf8))
        #expect(!Self.containsLibXML2Report(captured), "libxml2 wrote to standard error:\n\(captured)")
    }

    /// The control experiment: a parse through libxml2's defaults is caught by the same capture, so the test above
    /// would notice a leak. (What the capture holds is dropped, since it is libxml2's report.)
    @Test func captureSeesLibXML2DefaultReports() throws {
        let broken = "<unclosed>"
        let captured = try capturingStandardError {
            xmlFreeDoc(xmlReadMemory(broken, Int32(broken.utf8.count), nil, "UTF-8", 0))
        }
        #expect(Self.containsLibXML2Report(captured))
    }

    /// Runs `body` with file descriptor 2 redirected to a temporary file and returns what was written meanwhile.
    private func capturingStandardError(_ body: () -> Void) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("herald-stderr-\(UUID().uuidString)")
        let file = open(url.path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        try #require(file >= 0)
        defer {
            close(file)
            unlink(url.path)
        }
        fflush(nil)
        let original = dup(STDERR_FILENO)
        try #require(original >= 0)
        dup2(file, STDERR_FILENO)
        body()
        fflush(nil)
        dup2(original, STDERR_FILENO)
        close(original)
        return String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }
}
