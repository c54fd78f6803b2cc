import HeraldCore

extension Settings {
    /// Refuses anything but an E.164 number: `+` and 7 to 15 digits, the first not 0 (Signal's recipients, SMS).
    static func checkE164Number(_ number: String, path: String) throws(ConfigurationError) {
        let digits = number.dropFirst()
        guard number.hasPrefix("+"), (7...15).contains(digits.count), digits.first != "0",
            digits.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) })
        else {
            throw ConfigurationError(path: path, reason: "\(quoted(number)) is not an E.164 number (+ and 7 to 15 digits, e.g. +41791234567)")
        }
    }
}
