import HeraldCore

extension Service {
    /// SMS through Twilio's Messages API (the `Body` form field: plain text, GSM-7 or UCS-2).
    public static let sms = Service(id: "sms", renderer: SMSRenderer(), payloadFileExtension: "json")
}
