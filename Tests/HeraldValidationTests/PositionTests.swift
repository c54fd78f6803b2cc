import HeraldValidation
import Testing

@Suite("Positions of findings")
struct PositionTests {
    let validator = HTMLValidator()

    @Test func allowListFindingOnLineThreeIsOnLineThree() {
        let findings = validator.validate("<p>one</p>\n<p>two</p>\n<p>three <script>alert(1)</script></p>")
        #expect(findings == [
            ValidationFinding(kind: .elementNotAllowed, line: 3, column: 0, message: "element <script> is not allowed"),
        ])
    }

    @Test func attributeFindingOnLineThreeIsOnLineThree() {
        let findings = validator.validate("<p>one</p>\n\n<p onclick=\"x()\">three</p>")
        #expect(findings.map(\.line) == [3])
    }

    @Test func parserFindingsOnLineThreeAreOnLineThree() {
        let findings = validator.validate("<p>one</p>\n<p>two</p>\n<p>a&nbsp;b <strong>c</p>")
        #expect(Set(findings.map(\.kind)) == [.notWellFormedXML, .htmlParseError])
        #expect(findings.allSatisfy { $0.line == 3 && $0.column > 0 }, "\(findings)")
    }

    /// The same markup at the start of line 1 and of line 2 gets the same column, so the wrapper added before the
    /// fragment for parsing does not shift columns on line 1.
    @Test func columnsOnTheFirstLineDoNotIncludeTheWrapper() throws {
        let onLineOne = validator.validate("<p>a&nbsp;b <strong>c</p>")
        let onLineTwo = validator.validate("<p></p>\n<p>a&nbsp;b <strong>c</p>")
        #expect(onLineOne.count == onLineTwo.count)
        for (first, second) in zip(onLineOne, onLineTwo) where second.line == 2 {
            #expect(first.line == 1)
            #expect(first.column == second.column, "\(first) vs \(second)")
        }
        let entity = try #require(onLineOne.first { $0.message.contains("nbsp") })
        #expect(entity.column == 11, "just after `&nbsp;`")
    }

    @Test func descriptionShowsLineColumnAndMessage() {
        let finding = ValidationFinding(kind: .elementNotAllowed, line: 3, column: 14, message: "element <script> is not allowed")
        #expect(finding.description == "3:14: element <script> is not allowed")
        let withoutColumn = ValidationFinding(kind: .commentNotAllowed, line: 2, column: 0, message: "comments are not allowed")
        #expect(withoutColumn.description == "2: comments are not allowed")
    }
}
