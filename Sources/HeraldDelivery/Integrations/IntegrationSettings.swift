import HeraldCore

/// The `integrations:` section of the destinations file: settings of the endpoints through which other systems
/// notify in their own formats.
///
/// ```yaml
/// integrations:
///   printer_farm:                      # POST /v1/integrations/printer-farm
///     image_fetch:                     # the snapshot at the body's img_url
///       allow_private_networks: [127.0.0.1/32, 10.20.0.0/16]
///       timeout: 3                     # seconds, the whole fetch with its redirects
///       max_bytes: 5242880             # checked while reading
///       max_redirects: 3               # on the same host only
/// ```
public struct IntegrationSettings: Hashable, Sendable {
    /// The printer-farm webhook's settings.
    public var printerFarm: PrinterFarmSettings

    /// The defaults.
    public init(printerFarm: PrinterFarmSettings = PrinterFarmSettings()) {
        self.printerFarm = printerFarm
    }

    /// Validates the `integrations` mapping; errors name the offending setting.
    public init(settings: Settings) throws(ConfigurationError) {
        var settings = settings
        printerFarm = try settings.settings("printer_farm").map(PrinterFarmSettings.init(settings:)) ?? PrinterFarmSettings()
        try settings.finish()
    }
}

/// `integrations.printer_farm`: how the printer-farm webhook fetches snapshots.
public struct PrinterFarmSettings: Hashable, Sendable {
    /// The snapshot fetch's limits and the private networks it may reach.
    public var imageFetch: ImageFetchPolicy

    /// The defaults.
    public init(imageFetch: ImageFetchPolicy = ImageFetchPolicy()) {
        self.imageFetch = imageFetch
    }

    /// Validates the `printer_farm` mapping.
    public init(settings: Settings) throws(ConfigurationError) {
        var settings = settings
        imageFetch = try settings.settings("image_fetch").map(ImageFetchPolicy.init(settings:)) ?? ImageFetchPolicy()
        try settings.finish()
    }
}

/// How Herald fetches an image that a caller names by URL: http(s) only, within a deadline and a size cap, with
/// redirects only on the same host, and never to a loopback, link-local, private or other special address
/// (``AddressRange``) unless one of ``allowedNetworks`` holds it.
public struct ImageFetchPolicy: Hashable, Sendable {
    /// The most bytes `max_bytes` may allow: 10 MiB, Telegram's limit for an uploaded photo.
    public static let largestMaximumBytes = 10 * 1024 * 1024
    /// The most entries `allow_private_networks` may have.
    public static let maximumAllowedNetworks = 100

    /// Special-range blocks the fetch may reach nevertheless (`allow_private_networks`).
    public var allowedNetworks: [AddressBlock]
    /// The deadline of the whole fetch, name resolution and redirects included (`timeout`, default 3 s, at most 60
    /// s): the farm server gives up on its webhook after 5 s, so the answer must come well before.
    public var timeout: Duration
    /// The largest image, checked against `Content-Length` and while reading (`max_bytes`, default 5 MiB).
    public var maximumBytes: Int
    /// How many redirects to the same host are followed (`max_redirects`, default 3, at most 10).
    public var maximumRedirects: Int

    /// A policy; the defaults allow no special range.
    public init(
        allowedNetworks: [AddressBlock] = [], timeout: Duration = .seconds(3), maximumBytes: Int = Attachment.defaultMaximumBytes,
        maximumRedirects: Int = 3
    ) {
        self.allowedNetworks = allowedNetworks
        self.timeout = timeout
        self.maximumBytes = maximumBytes
        self.maximumRedirects = maximumRedirects
    }

    /// Validates the `image_fetch` mapping.
    public init(settings: Settings) throws(ConfigurationError) {
        var settings = settings
        self.init()
        if let blocks = try settings.strings("allow_private_networks") {
            let path = settings.path(of: "allow_private_networks")
            guard blocks.count <= Self.maximumAllowedNetworks else {
                throw ConfigurationError(path: path, reason: "has \(blocks.count) entries; at most \(Self.maximumAllowedNetworks) may be listed")
            }
            for (index, text) in blocks.enumerated() {
                guard text.utf8.count <= 64, let block = AddressBlock(text) else {
                    throw ConfigurationError(
                        path: "\(path)[\(index)]",
                        reason: "\(quoted(text, limit: echoedValueLimit)) is not an address block such as 127.0.0.1/32, 10.0.0.0/8 or ::1/128")
                }
                allowedNetworks.append(block)
            }
        }
        if let timeout = try settings.seconds("timeout") {
            guard timeout > .zero, timeout <= .seconds(60) else {
                throw ConfigurationError(path: settings.path(of: "timeout"), reason: "must be more than 0 and at most 60 seconds")
            }
            self.timeout = timeout
        }
        if let bytes = try settings.integer("max_bytes", in: 1...Self.largestMaximumBytes) { maximumBytes = bytes }
        if let redirects = try settings.integer("max_redirects", in: 0...10) { maximumRedirects = redirects }
        try settings.finish()
    }

    /// Whether the fetch may connect to `address`: a public one, or one in ``allowedNetworks``.
    public func allows(_ address: IPAddress) -> Bool {
        address.range == .public || allowedNetworks.contains { $0.contains(address) }
    }
}
