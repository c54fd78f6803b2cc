/// How an SMS body travels and what it costs: GSM-7 when every character is in the GSM 03.38 default alphabet or
/// its extension table, UCS-2 otherwise, and the number of segments (single SMS messages) it takes.
///
/// GSM-7 holds 160 septets in one segment and 153 in each of a concatenated message's (the rest is the header that
/// joins them); a character of the extension table (`€ [ ] { } \ ~ ^ |` and form feed) takes two septets, an escape
/// and the character, and the two never go to different segments. UCS-2 holds 70 UTF-16 code units in one segment
/// and 67 in each of several; a character outside the Basic Multilingual Plane (an emoji) takes two, never split.
/// One character outside GSM-7 makes the whole body UCS-2: a body of 160 characters costs one segment, with one
/// emoji three.
public struct SMSEncoding: Hashable, Sendable {
    /// The two encodings.
    public enum Alphabet: String, Hashable, Sendable {
        /// The GSM 03.38 7-bit default alphabet with its extension table.
        case gsm7 = "GSM-7"
        /// UTF-16 code units, as phones send it.
        case ucs2 = "UCS-2"
    }

    /// The encoding the body needs.
    public let alphabet: Alphabet
    /// Septets (GSM-7) or UTF-16 code units (UCS-2) of the body.
    public let units: Int
    /// How many segments it takes; 1 for an empty body.
    public let segments: Int
    /// The first character that is not in GSM-7, when the body is UCS-2.
    public let firstNonGSMCharacter: Character?

    /// What one segment holds alone, and each of several, in ``units``.
    public var unitsPerSegment: (single: Int, concatenated: Int) {
        alphabet == .gsm7 ? (160, 153) : (70, 67)
    }

    /// The encoding and segments of `body`.
    public init(_ body: String) {
        var firstNonGSM: Character?
        for character in body where !Self.isGSM7(character) {
            firstNonGSM = character
            break
        }
        firstNonGSMCharacter = firstNonGSM
        alphabet = firstNonGSM == nil ? .gsm7 : .ucs2
        // The cost of each indivisible piece: a character's septets, or a scalar's code units.
        let costs: [Int] = alphabet == .gsm7
            ? body.unicodeScalars.map { Self.gsm7Extension.contains($0) ? 2 : 1 }
            : body.unicodeScalars.map { $0.utf16.count }
        units = costs.reduce(0, +)
        let (single, concatenated) = alphabet == .gsm7 ? (160, 153) : (70, 67)
        guard units > single else {
            segments = 1
            return
        }
        var count = 1
        var filled = 0
        for cost in costs {
            if filled + cost > concatenated {
                count += 1
                filled = 0
            }
            filled += cost
        }
        segments = count
    }

    /// Whether every scalar of `character` is in GSM-7's default alphabet or extension table (`\r\n` is two).
    public static func isGSM7(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { gsm7Basic.contains($0) || gsm7Extension.contains($0) }
    }

    /// The GSM 03.38 default alphabet (3GPP TS 23.038, 6.2.1), but the escape to the extension table.
    static let gsm7Basic: Set<Unicode.Scalar> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
            .unicodeScalars)
    /// The characters of its extension table, each sent as an escape and a septet.
    static let gsm7Extension: Set<Unicode.Scalar> = Set("\u{0C}^{}\\[~]|€".unicodeScalars)
}
