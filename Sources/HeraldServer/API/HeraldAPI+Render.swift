import Herald
import HeraldCore
import Hummingbird

extension HeraldAPI {
    /// `POST /v1/render/{service}` (or `all`) with a message document as the body (`herald.message/v1` or a BEC
    /// notification, attachments only inline): exactly what `herald render --json --service <service>` prints.
    func render(_ request: Request, service name: String) async throws(APIError) -> Response {
        let services: [Service]
        if name == "all" {
            services = Service.catalogue
        } else if let service = Service(id: name) {
            services = [service]
        } else {
            throw .unknownService(name)
        }
        let value = try await Body.readJSON(request, limit: settings.requestLimitBytes)
        let imported: BECImport
        do throws(MessageError) { imported = try MessageDocument.read(value, options: MessageDecodingOptions()) } catch {
            throw .invalid(error, code: "invalid_message")
        }
        let lowered = Document.lowering(imported.message)
        var renderings: [(Service, Rendering)] = []
        for service in services {
            do throws(RenderError) { renderings.append((service, try service.renderer.render(lowered))) } catch {
                throw APIError(
                    status: .unprocessableContent, code: "render_failure", message: "\(service.displayName): \(error.reason)", path: "body")
            }
        }
        return Body.bytes(RenderReport.json(renderings))
    }
}
