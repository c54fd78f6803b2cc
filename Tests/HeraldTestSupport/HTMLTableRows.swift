import HeraldValidation

/// The rows of an HTML table as libxml2 parsed them (``HTMLFragment``), for the readers of SciLog's and the e-mail's
/// HTML: `tr` elements without attributes, the first of `th` cells, the others of `td` cells, white space between
/// them ignored.
enum HTMLTableRows {
    /// The header cells and the body rows of `nodes`, each cell's text read by `cell` (which also judges its
    /// attributes); `nil` when anything else is there or a cell is refused.
    static func read(_ nodes: [HTMLNode], cell: (HTMLElement) -> String?) -> (header: [String], rows: [[String]])? {
        var rows: [(cellName: String, cells: [String])] = []
        for node in nodes {
            if case .text(let text) = node, text.allSatisfy(\.isWhitespace) { continue }
            guard case .element(let row) = node, row.name == "tr", row.attributes.isEmpty else { return nil }
            var cells: [String] = []
            var cellNames: Set<String> = []
            for cellNode in row.children {
                guard case .element(let element) = cellNode, ["th", "td"].contains(element.name), let text = cell(element) else { return nil }
                cellNames.insert(element.name)
                cells.append(text)
            }
            guard cellNames.count == 1 else { return nil }
            rows.append((cellNames.first!, cells))
        }
        guard let header = rows.first, header.cellName == "th", rows.dropFirst().allSatisfy({ $0.cellName == "td" }) else { return nil }
        return (header.cells, rows.dropFirst().map(\.cells))
    }
}
