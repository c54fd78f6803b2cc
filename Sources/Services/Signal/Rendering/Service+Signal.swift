import HeraldCore

extension Service {
    /// Signal, through signal-cli (JSON-RPC `send`); also signal-cli-rest-api's body (`signal-rest`), and a long
    /// message as several messages.
    public static let signal = Service(
        id: "signal", renderer: SignalRenderer(), payloadFileExtension: "json",
        variants: [ServiceVariant(name: "signal-rest", fileExtension: "json") { SignalRenderer().restRendering(of: $0) }],
        splitRendering: { SignalRenderer().splitRendering($0) })
}
