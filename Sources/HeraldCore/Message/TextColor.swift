/// The six text colors a sender can ask for: the ones BEC's notification builder offers.
public enum TextColor: String, CaseIterable, Hashable, Sendable {
    /// Red, for failures and alarms.
    case red
    /// Green, for success.
    case green
    /// Black: the default text color on every service.
    case black
    /// Yellow, for warnings.
    case yellow
    /// Pink.
    case pink
    /// Blue.
    case blue

    /// The accepted names, in declaration order, for error messages.
    static let expectedList = allCases.map(\.rawValue).joined(separator: ", ")

    /// Parses a color name, refusing anything but the six exact lowercase names.
    public init(validating name: String) throws(MessageError) {
        guard let color = TextColor(rawValue: name) else {
            throw MessageError(path: "", reason: "unknown color \(quoted(name, limit: echoedValueLimit)); expected one of \(Self.expectedList)")
        }
        self = color
    }
}
