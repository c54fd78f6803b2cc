import Herald

/// libFuzzer's entry point: the input is decoded as a `herald.message/v1` document and, when valid, rendered
/// for every service and every transport. Refusing input is fine; crashing, hanging or leaking is not.
@_cdecl("LLVMFuzzerTestOneInput")
public func heraldFuzzTestOneInput(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let message = try? NotificationMessage(json: bytes) else { return 0 }
    for service in Service.allCases {
        _ = try? service.renderer.render(message)
    }
    _ = SignalRenderer().restRendering(of: message)
    _ = Document.lowering(message).document.treeDump
    _ = message.jsonString()
    return 0
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
