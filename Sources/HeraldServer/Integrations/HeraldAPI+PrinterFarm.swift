import HeraldCore
import HeraldDelivery
import Hummingbird

extension HeraldAPI {
    /// `POST /v1/integrations/printer-farm`: the body a printer-farm server's webhook channel posts
    /// (``PrinterFarmWebhook``), at most 64 KiB, notified as its event and answered as `POST /v1/notifications`
    /// answers.
    ///
    /// The snapshot at `img_url` is fetched under `integrations.printer_farm.image_fetch` (``ImageFetcher``) before
    /// anything is recorded: a URL that is not http(s) or whose host is at a refused address is a `422` naming
    /// `img_url`, and nothing is queued; a snapshot that cannot be fetched (no answer in time, not 200, too large,
    /// not an image) leaves the image out, says so in the message and in `notes`, and still notifies.
    func postPrinterFarmEvent(_ request: Request) async throws(APIError) -> Response {
        let json = try await Body.readJSON(request, limit: min(settings.requestLimitBytes, PrinterFarmWebhook.maximumBodyBytes))
        let webhook: PrinterFarmWebhook
        do throws(MessageError) { webhook = try PrinterFarmWebhook(json: json) } catch { throw .invalid(error, code: "invalid_printer_farm_event") }
        var snapshot: Attachment?
        var unavailable: String?
        if let url = webhook.imageURL {
            let fetcher = ImageFetcher(policy: notifier.configuration.integrations.printerFarm.imageFetch)
            let prepared: PreparedImageFetch
            do throws(ImageFetchRefusal) { prepared = try await fetcher.prepare(url) } catch {
                throw APIError(status: .unprocessableContent, code: "refused_image_url", message: "img_url: \(error)", path: "img_url")
            }
            switch await fetcher.fetch(prepared) {
            case .success(let image): snapshot = image.attachment
            case .failure(let failure): unavailable = failure.description
            }
        }
        let message: NotificationMessage
        do throws(MessageError) { message = try webhook.message(snapshot: snapshot, unavailableSnapshot: unavailable) } catch {
            throw .invalid(error, code: "invalid_printer_farm_event")
        }
        let notes = unavailable.map { ["img_url: the snapshot was unavailable (\($0)); notified without it"] } ?? []
        return try await publish(webhook.event, message, notes: notes)
    }
}
