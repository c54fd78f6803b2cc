import HeraldCore

/// A CKEditor 5 highlight, the only way a SciLog entry can color text: SciLog's web view shows entries through
/// Angular's sanitizer, which strips `style` attributes, so colors are `<mark>` classes.
///
/// The mapping from a sender's colors is BEC's: red and green are pens (colored text), yellow, pink and blue are
/// markers (colored background). Black is the default text color and needs no highlight.
public enum SciLogHighlight: String, CaseIterable, Hashable, Sendable {
    /// Red text.
    case redPen = "pen-red"
    /// Green text.
    case greenPen = "pen-green"
    /// Yellow background.
    case yellowMarker = "marker-yellow"
    /// Pink background.
    case pinkMarker = "marker-pink"
    /// Blue background.
    case blueMarker = "marker-blue"

    /// The highlight showing `color`; `nil` for black, the default text color.
    public init?(_ color: TextColor) {
        switch color {
        case .red: self = .redPen
        case .green: self = .greenPen
        case .yellow: self = .yellowMarker
        case .pink: self = .pinkMarker
        case .blue: self = .blueMarker
        case .black: return nil
        }
    }

    /// The sender's color this highlight shows.
    public var color: TextColor {
        switch self {
        case .redPen: .red
        case .greenPen: .green
        case .yellowMarker: .yellow
        case .pinkMarker: .pink
        case .blueMarker: .blue
        }
    }

    /// The `class` of the `<mark>` element, e.g. `pen-red`.
    public var className: String { rawValue }
}
