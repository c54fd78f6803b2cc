import Hummingbird

extension HeraldAPI {
    /// `GET /`, `/page.js`, `/page.css`: one of the preview page's files, under the page's Content-Security-Policy
    /// and with `nosniff`; the page asks for a token itself and sends it only to the API.
    static func page(_ asset: PreviewPage.Asset) -> Response {
        Body.bytes(
            asset.bytes, contentType: asset.contentType,
            headers: [.contentSecurityPolicy: PreviewPage.contentSecurityPolicy, .xContentTypeOptions: "nosniff", .cacheControl: "no-cache"])
    }
}
