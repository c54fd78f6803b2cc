import HeraldCore

extension Service {
    /// Signal, through signal-cli (JSON-RPC `send`); also signal-cli-rest-api's body (`signal-rest`).
    public static let signal = Service(
        id: "signal", renderer: SignalRenderer(), payloadFileExtension: "json",
        variants: [ServiceVariant(name: "signal-rest", fileExtension: "json") { message throws(RenderError) in
            try SignalRenderer().restRendering(of: message)
        }])
}
