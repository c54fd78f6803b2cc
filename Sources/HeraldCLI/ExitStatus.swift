/// The exit statuses of `herald`, documented in the README.
public enum HeraldExitStatus: Int32, Sendable {
    /// Done.
    case success = 0
    /// `--strict` was given and a service cannot show everything.
    case degraded = 1
    /// The command line is wrong.
    case usage = 64
    /// The input is not a valid message: malformed JSON, a refused value, a bad attachment.
    case invalidInput = 65
    /// The input file cannot be read.
    case unreadableInput = 66
    /// A service cannot take the message at all, even degraded (for example over its size limit).
    case renderFailure = 69
    /// `--validate` found a problem in the markup Herald rendered (a bug in Herald: please report it).
    case invalidOutput = 70
    /// `herald serve` cannot listen on its address, or stopped on an error.
    case serverFailure = 71
    /// The outbox database cannot be opened, read or written.
    case storageFailure = 74
    /// A delivery failed (a service refused it, or the attempts ran out); it stays in the outbox for
    /// `herald outbox retry`.
    case deliveryFailed = 75
    /// The destinations file is invalid, a required environment variable is missing, or a route names an unknown
    /// service or scope.
    case configurationError = 78
}

/// A failure that ends a command: one line for standard error and the exit status.
struct CommandFailure: Error {
    /// The text after `error: `.
    var message: String
    /// The exit status.
    var status: HeraldExitStatus
}
