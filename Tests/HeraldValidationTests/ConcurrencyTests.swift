import HeraldValidation
import Testing

@Suite("Concurrent validation")
struct ConcurrencyTests {
    /// Parser errors are collected per libxml2 context, so validations running at the same time never see each
    /// other's errors: every concurrent result equals the sequential one.
    @Test func concurrentResultsEqualSequentialResults() async {
        let validator = HTMLValidator()
        let fragments = [Fixtures.cleanSciLogEntry, "<p>one</p>\n<p>two &nbsp;</p>\n<p><strong>x</p>"]
            + Fixtures.badCases.map(\.html)
        let expected = fragments.map(validator.validate)
        let tasks = 64
        let iterations = 50

        let mismatches = await withTaskGroup(of: [String].self) { group in
            for task in 0..<tasks {
                group.addTask {
                    (0..<iterations).compactMap { iteration in
                        let index = (task * 7 + iteration) % fragments.count
                        return validator.validate(fragments[index]) == expected[index] ? nil : fragments[index]
                    }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }

        #expect(mismatches.isEmpty)
        #expect(expected.filter(\.isEmpty).count == 1, "only the clean entry validates clean")
    }
}
