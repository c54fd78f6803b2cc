import Herald
import HeraldCore
import HeraldDelivery
import Hummingbird

extension HeraldAPI {
    /// `GET /v1/services`: each service of the catalogue with its plugin's capabilities, features and configuration
    /// fields (``ConfigurationField``, a secret's example left out), and when it is
    /// configured its scopes and declared environment variables (`is_required`, `is_set`, and the value only when
    /// it is not a secret), as `herald services check` shows them.
    func listServices() -> Response {
        let services = Service.catalogue.map { service -> JSONValue in
            var object: [String: JSONValue] = [
                "id": .string(service.id), "name": .string(service.displayName), "capabilities": service.capabilities.jsonValue,
                "supported_features": .array(notifier.configuration.supportedFeatureIDs(of: service).map(JSONValue.string)),
                "configuration_fields": .array((service.plugin?.configurationFields ?? []).map(\.jsonValue)),
            ]
            guard let configured = notifier.configuration.services[service] else {
                object["configured"] = false
                object["scopes"] = []
                object["environment"] = []
                return .object(object)
            }
            object["configured"] = true
            object["scopes"] = .array(configured.scopes.map(JSONValue.string))
            object["environment"] = .array(configured.environmentStatus(in: environment).map(shown))
            return .object(object)
        }
        return Body.response(["services": .array(services)])
    }

    /// `POST /v1/services/{service}/scopes/{scope}/test`: sends the plugin's test message to one destination once,
    /// outside the outbox, as `herald test` does; 424 (failed dependency) with the service's answer when it does not
    /// take it or cannot be reached.
    func sendTestMessage(service name: String, scope: String) async throws(APIError) -> Response {
        guard let service = Service(id: name) else { throw .unknownService(name) }
        let destination = Destination(service: service, scope: scope)
        let result: Result<SendReceipt, SendFailure>
        do throws(DeliveryError) { result = try await notifier.sendTestMessage(to: destination) } catch {
            throw .delivery(error, path: "path.scope")
        }
        // The destination may be a stored one: its secrets are in the current directory's redactor.
        let redactor = (try? await notifier.directory().redactor) ?? redactor
        switch result {
        case .success(let receipt):
            var object: [String: JSONValue] = ["destination": .string(destination.description), "status": .integer(receipt.status)]
            if let reference = receipt.reference { object["reference"] = .string(redactor.redact(reference)) }
            return Body.response(.object(object))
        case .failure(let failure):
            throw APIError(
                status: HTTPResponse.Status(code: 424, reasonPhrase: "Failed Dependency"), code: "delivery_failed",
                message: redactor.redact("\(destination): \(failure)"), path: "path.scope")
        }
    }

    /// A variable's status; a secret's value is never included, and any value passes through the redactor.
    private func shown(_ status: EnvironmentVariableStatus) -> JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(status.name), "purpose": .string(status.declaration.purpose), "is_required": .bool(status.isRequired),
            "is_secret": .bool(status.isSecret), "is_set": .bool(status.isSet),
        ]
        if let value = status.value { object["value"] = .string(redactor.redact(value)) }
        if let refusal = status.refusal { object["refusal"] = .string(refusal) }
        return .object(object)
    }
}

extension Capabilities {
    /// What the service can show: `styles`, `colors` (each `exact`, `service_default` or `approximated:<color>`;
    /// a color not listed is not shown), `links`, `headings`, `tables`, `code_languages`, `attachments`,
    /// `maximum_stickers` and `tags`.
    var jsonValue: JSONValue {
        var colors: [String: JSONValue] = [:]
        for (color, rendering) in self.colors {
            switch rendering {
            case .exact: colors[color.rawValue] = "exact"
            case .serviceDefault: colors[color.rawValue] = "service_default"
            case .approximated(let other): colors[color.rawValue] = .string("approximated:\(other.rawValue)")
            }
        }
        let tables: String =
            switch self.tables {
            case .native: "native"
            case .singleLineCells: "single_line_cells"
            case .alignedText: "aligned_text"
            }
        let attachments: String =
            switch self.attachments {
            case .native: "native"
            case .nameOnly: "name_only"
            case .inlineImagesOnly: "inline_images_only"
            }
        return [
            "styles": .array(styles.map(\.rawValue).sorted().map(JSONValue.string)),
            "colors": .object(colors),
            "links": links == .native ? "native" : "url_after_text",
            "headings": headings == .native ? "native" : "bold_paragraph",
            "tables": .string(tables),
            "code_languages": .bool(codeLanguages),
            "attachments": .string(attachments),
            "maximum_stickers": .integer(maximumStickers),
            "tags": tags == .metadata ? "metadata" : "hashtag_paragraph",
        ]
    }
}
