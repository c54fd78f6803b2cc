import Foundation
import HeraldCore

/// An e-mail address as SMTP and the message headers carry it: an ASCII `local@domain` (RFC 5321 `Mailbox` with a
/// dot-atom local part and a host name), with an optional display name for the `From` and `To` headers.
///
/// Quoted local parts, address literals and internationalized addresses (SMTPUTF8) are refused: they are rare in
/// facility mail and each is a way to smuggle syntax into a header or an SMTP command.
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    /// The address, `local@domain`.
    public let address: String
    /// The name shown beside the address, if any; one line, any Unicode.
    public let displayName: String?

    /// The most characters an address may have (RFC 5321 §4.5.3.1.3: a path of 256 including the angle brackets).
    public static let maximumLength = 254
    /// The most characters a display name may have.
    public static let maximumDisplayNameLength = 200

    /// Validates `address` and `displayName`.
    public init(validating address: String, displayName: String? = nil) throws(EmailAddress.Invalid) {
        try Self.check(address)
        if let displayName {
            guard !displayName.isEmpty, displayName.count <= Self.maximumDisplayNameLength else {
                throw Invalid(reason: "a display name has 1 to \(Self.maximumDisplayNameLength) characters")
            }
            if displayName.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
                throw Invalid(reason: "a display name is one line without control characters")
            }
        }
        self.address = address
        self.displayName = displayName
    }

    /// The part after the `@`.
    public var domain: Substring { address[address.index(after: address.lastIndex(of: "@")!)...] }

    /// `Name <local@domain>`, or the address alone.
    public var description: String { displayName.map { "\($0) <\(address)>" } ?? address }

    /// Why an address or display name was refused.
    public struct Invalid: Error, Hashable, Sendable, CustomStringConvertible {
        /// The reason, e.g. `"ops@" has no domain`.
        public let reason: String
        /// The reason.
        public var description: String { reason }
    }

    /// The characters of an RFC 5322 `atext`, beside letters and digits.
    private static let atextSymbols = Set("!#$%&'*+-/=?^_`{|}~".unicodeScalars)

    private static func check(_ address: String) throws(Invalid) {
        let shown = quoted(address, limit: echoedValueLimit)
        guard !address.isEmpty, address.utf8.count <= maximumLength else {
            throw Invalid(reason: "\(shown) is not an e-mail address of 1 to \(maximumLength) characters")
        }
        let halves = address.split(separator: "@", omittingEmptySubsequences: false)
        guard halves.count == 2 else { throw Invalid(reason: "\(shown) is not an e-mail address like ops@example.org (one @)") }
        let (local, domain) = (halves[0], halves[1])
        let isAtext = { (scalar: Unicode.Scalar) in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || atextSymbols.contains(scalar))
        }
        let atoms = local.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...64).contains(local.utf8.count), atoms.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy(isAtext) }) else {
            throw Invalid(reason: "\(shown) has no valid local part (1 to 64 ASCII letters, digits and !#$%&'*+-/=?^_`{|}~, dots between)")
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        let isLabel = { (label: Substring) in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        }
        guard labels.allSatisfy(isLabel) else {
            throw Invalid(reason: "\(shown) has no valid domain (ASCII host name labels of letters, digits and -)")
        }
    }
}

/// The header fields of an e-mail that come from its delivery rather than from the notification: sender,
/// recipients, date and Message-ID.
///
/// Delivery fills them for each message (the configured addresses, the time of sending, a Message-ID made from the
/// delivery's idempotency key, so that every attempt carries the same one); ``preview`` fixes them for
/// `herald render` and the golden corpus, so that a rendering is the same on every run.
public struct EmailHeaders: Hashable, Sendable {
    /// `From`.
    public var from: EmailAddress
    /// `To`; at least one.
    public var to: [EmailAddress]
    /// `Date`.
    public var date: Date
    /// `Message-ID` without its angle brackets, `id@domain`; also the right-hand part of every `Content-ID`.
    public var messageID: String

    /// Creates the header values; `messageID` is `left@right` of ASCII letters, digits and `.-_+=` (see
    /// ``isMessageID(_:)``).
    public init(from: EmailAddress, to: [EmailAddress], date: Date, messageID: String) {
        precondition(!to.isEmpty, "an e-mail has at least one recipient")
        precondition(Self.isMessageID(messageID), "a Message-ID is left@right of letters, digits and .-_+=")
        self.from = from
        self.to = to
        self.date = date
        self.messageID = messageID
    }

    /// Fixed values for previews and the golden corpus: from `Herald <herald@example.org>` to
    /// `recipient@example.org`, dated 1 January 2000, Message-ID `herald-preview@example.org`.
    public static let preview: EmailHeaders = {
        guard let from = try? EmailAddress(validating: "herald@example.org", displayName: "Herald"),
            let to = try? EmailAddress(validating: "recipient@example.org")
        else { preconditionFailure("the preview addresses are valid") }
        return EmailHeaders(from: from, to: [to], date: Date(timeIntervalSince1970: 946_684_800), messageID: "herald-preview@example.org")
    }()

    /// Whether `text` is `left@right`, each 1 to 255 of ASCII letters, digits and `.-_+=`: an RFC 5322 `msg-id`
    /// without angle brackets that needs no quoting in a `cid:` URL either.
    public static func isMessageID(_ text: String) -> Bool {
        let halves = text.split(separator: "@", omittingEmptySubsequences: false)
        return halves.count == 2 && halves.allSatisfy { half in
            (1...255).contains(half.utf8.count)
                && half.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_+=".unicodeScalars.contains($0)) }
        }
    }
}
