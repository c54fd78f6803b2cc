import Foundation
import HeraldDelivery
import HeraldTestSupport
import HeraldTesting
import Testing

/// Every service of `Service.catalogue` is complete: a golden file for every case, a snapshot strategy whose
/// references match the goldens, a delivery plugin, and a row in both of the README's service tables.
struct CatalogueTests {
    @Test("the catalogue lists each service once, by a lowercase id")
    func idsAreUnique() {
        let ids = Service.catalogue.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLowercase || $0.isNumber } })
    }

    @Test("a registered service lacks nothing", arguments: Service.catalogue)
    func serviceIsComplete(_ service: Service) throws {
        let gaps = try CatalogueAudit.gaps(of: service)
        #expect(gaps.isEmpty, "\(service.id) lacks: \(gaps.joined(separator: "; "))")
    }

    @Test("the audit finds every gap of a service that is only described")
    func auditFindsGaps() throws {
        let fax = Service(id: "fax", renderer: MarkdownRenderer(), payloadFileExtension: "txt")
        let gaps = try CatalogueAudit.gaps(of: fax)
        let cases = GoldenCase.all
        #expect(gaps.filter { $0.hasPrefix("no golden file") }.count == cases.count)
        #expect(gaps.contains("no delivery plugin in Service.plugins"))
        #expect(gaps.contains("no row in the README's service table"))
        #expect(gaps.contains("no row in the README's Service limits table"))
    }

    @Test("the default snapshots are Herald 1's four services, whatever the catalogue holds")
    func defaultSnapshotsAreFixed() {
        #expect(HeraldSnapshot.defaultServices.map(\.id) == ["markdown", "signal", "scilog", "teams"])
        #expect(HeraldSnapshot.all.map(\.name) == ["markdown", "signal", "scilog", "teams", "report", "ast"])
    }
}

/// What a service lacks to be complete.
enum CatalogueAudit {
    /// One line per missing piece of `service`; empty when it is complete.
    static func gaps(of service: Service) throws -> [String] {
        var gaps: [String] = []
        let fileNames = [service.goldenFileName] + service.variants.map(\.goldenFileName)
        let cases = GoldenCase.all
        for goldenCase in cases {
            for name in fileNames where !FileManager.default.fileExists(atPath: goldenCase.file(name).path) {
                gaps.append("no golden file \(goldenCase.name)/\(name)")
            }
        }
        let snapshot = HeraldSnapshot.payload(service)
        if snapshot.name != service.id || snapshot.pathExtension != service.payloadFileExtension {
            gaps.append("snapshot strategy named \(snapshot.name).\(snapshot.pathExtension)")
        }
        if let first = cases.first, let golden = FileManager.default.contents(atPath: first.file(service.goldenFileName).path),
            snapshot.text(of: try first.message()) != String(decoding: golden, as: UTF8.self)
        {
            gaps.append("snapshot strategy differs from golden \(first.name)/\(service.goldenFileName)")
        }
        if service.plugin?.id != service {
            gaps.append("no delivery plugin in Service.plugins")
        }
        let readme = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        if !serviceNames(inTableAfter: "# Herald", in: readme).contains(service.id) {
            gaps.append("no row in the README's service table")
        }
        if !serviceNames(inTableAfter: "## Service limits", in: readme).contains(service.id) {
            gaps.append("no row in the README's Service limits table")
        }
        return gaps
    }

    /// The lowercased first cells of the first table after the line `heading` of `markdown`.
    static func serviceNames(inTableAfter heading: String, in markdown: String) -> Set<String> {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0 == heading }) else { return [] }
        let table = lines[(start + 1)...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }
        return Set(table.dropFirst(2).compactMap { row in
            row.split(separator: "|").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        })
    }
}
