import HeraldDelivery
import Logging

/// A log handler that passes every message and metadata value through a ``SecretRedactor`` before the handler it
/// wraps writes them, so that no configured secret or token reaches a log line, whoever logged it (Herald,
/// Hummingbird, a request path a client filled with a token).
public struct RedactingLogHandler: LogHandler {
    private var wrapped: any LogHandler
    private let redactor: SecretRedactor

    /// Wraps `handler`, redacting with `redactor`.
    public init(wrapping handler: any LogHandler, redactor: SecretRedactor) {
        self.wrapped = handler
        self.redactor = redactor
    }

    /// The wrapped handler's level.
    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    /// The wrapped handler's metadata.
    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    /// One metadata value of the wrapped handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    /// Logs `event` with its message and every metadata value (the handler's own included) redacted.
    public func log(event: LogEvent) {
        var event = event
        event.message = "\(redactor.redact(event.message.description))"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        event.metadata = merged.mapValues(redacted)
        wrapped.log(event: event)
    }

    private func redacted(_ value: Logger.MetadataValue) -> Logger.MetadataValue {
        switch value {
        case .string(let text): .string(redactor.redact(text))
        case .stringConvertible(let value): .string(redactor.redact(value.description))
        case .array(let values): .array(values.map(redacted))
        case .dictionary(let values): .dictionary(values.mapValues(redacted))
        }
    }
}
