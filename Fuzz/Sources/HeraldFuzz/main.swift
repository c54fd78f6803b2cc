import Herald

/// libFuzzer's entry point: the input is decoded as a `herald.message/v1` document and as a BEC notification
/// and, when either is valid, rendered for every service and every transport, and split into small messages. Refusing input is fine;
/// crashing, hanging or leaking is not.
@_cdecl("LLVMFuzzerTestOneInput")
public func heraldFuzzTestOneInput(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    if let message = try? NotificationMessage(json: bytes) { renderEverywhere(message) }
    if let imported = try? BECMessageImporter().importMessage(json: bytes) { renderEverywhere(imported.message) }
    return 0
}

private func renderEverywhere(_ message: NotificationMessage) {
    for service in Service.catalogue {
        _ = try? service.renderer.render(message)
        for variant in service.variants { _ = try? variant.render(message) }
    }
    // The limits stage with limits small enough that most inputs are split into many messages.
    _ = try? SignalRenderer(maximumMessageBytes: 64, maximumMessages: .max).render(message)
    _ = try? TeamsRenderer(byteLimit: 2_000, maximumMessages: .max).render(message)
    _ = Document.lowering(message).document.treeDump
    _ = message.jsonString()
}

@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt
) -> CInt

/// The executable's entry point (SwiftPM names it `<target>_main`): hands control to libFuzzer's driver.
@_cdecl("HeraldFuzz_main")
public func heraldFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, heraldFuzzTestOneInput)
}
