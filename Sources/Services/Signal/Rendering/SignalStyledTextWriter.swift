/// Writes styled segments in the markup of signal-cli-rest-api's `text_mode: "styled"`, or says why it cannot.
///
/// The markup: `**bold**`, `*italic*`, `***both***`, `~strike~`, `` `mono` ``, `||spoiler||`; a backslash before
/// a run of `*`, `` ` ``, `~` or `|` makes the run literal; every other marker character is deleted, even inside
/// backticks. Styles nest: at each segment the writer closes the styles the segment lacks (innermost first) and
/// opens the missing ones. Three things have no spelling, and make the writer give up: bold and italic starting
/// or ending at one place unless they start and end together (the asterisks would run into one marker), a
/// literal backslash right before a marker, and a literal marker character right before a marker of the same
/// character (the escape would swallow both).
enum SignalStyledTextWriter {
    /// Why styles cannot be written.
    struct Inexpressible: Error, Hashable {
        /// A sentence for the degradation report.
        var reason: String
    }

    private enum Frame: Equatable {
        case boldItalic, bold, italic, strikethrough, monospace

        var marker: String {
            switch self {
            case .boldItalic: "***"
            case .bold: "**"
            case .italic: "*"
            case .strikethrough: "~"
            case .monospace: "`"
            }
        }

        static func frames(for styles: SignalStyleSet) -> [Frame] {
            var frames: [Frame] = []
            if styles.contains(.strikethrough) { frames.append(.strikethrough) }
            switch (styles.contains(.bold), styles.contains(.italic)) {
            case (true, true): frames.append(.boldItalic)
            case (true, false): frames.append(.bold)
            case (false, true): frames.append(.italic)
            case (false, false): break
            }
            if styles.contains(.monospace) { frames.append(.monospace) }
            return frames
        }
    }

    private static let markerCharacters: Set<Unicode.Scalar> = ["*", "`", "~", "|"]

    /// The styled markup for `text`.
    static func write(_ text: SignalText) throws(Inexpressible) -> String {
        var output = ""
        var stack: [Frame] = []
        var pending: [Frame] = []  // markers due before the next text, in order
        var lastScalar: Unicode.Scalar?  // the last character of text written

        func writePending() throws(Inexpressible) {
            guard let first = pending.first else { return }
            for (before, after) in zip(pending, pending.dropFirst()) where before.marker.hasPrefix("*") && after.marker.hasPrefix("*") {
                throw Inexpressible(reason: "bold and italic start or end at the same place without covering the same text")
            }
            if lastScalar == "\\" {
                throw Inexpressible(reason: "a backslash stands right before a style marker")
            }
            if let lastScalar, first.marker.unicodeScalars.first == lastScalar {
                throw Inexpressible(reason: "the character \(lastScalar) stands right before a style marker made of it")
            }
            for frame in pending { output += frame.marker }
            pending = []
        }

        for segment in text.segments {
            let segmentText = text.text(of: segment)
            let wanted = Frame.frames(for: segment.styles)
            while stack.contains(where: { !wanted.contains($0) }) { pending.append(stack.removeLast()) }
            for frame in wanted where !stack.contains(frame) {
                stack.append(frame)
                pending.append(frame)
            }
            try writePending()
            for scalar in segmentText.unicodeScalars {
                if markerCharacters.contains(scalar) { output += "\\" }
                output.unicodeScalars.append(scalar)
            }
            lastScalar = segmentText.unicodeScalars.last
        }
        while let frame = stack.popLast() { pending.append(frame) }
        try writePending()
        return output
    }
}
