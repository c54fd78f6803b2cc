import Herald
import HeraldCore

extension Service {
    /// Why `name` is no service of the catalogue, as the command line and the HTTP API say it:
    /// `unknown service "fax"; expected one of markdown, signal, scilog, teams`.
    public static func unknownServiceReason(_ name: String) -> String {
        "unknown service \(quoted(name, limit: echoedValueLimit)); expected one of \(catalogueIDs)"
    }
}
