import HeraldDelivery
import Hummingbird

extension HeraldAPI {
    /// `GET /healthz`: the process answers.
    func health() -> Response {
        Body.response(["status": "ok"])
    }

    /// `GET /readyz`: the outbox answers a read; 503 when it does not.
    func readiness() async throws(APIError) -> Response {
        do throws(DeliveryError) { try await notifier.outbox.checkReadable() } catch { throw .delivery(error, path: "") }
        return Body.response(["status": "ready"])
    }

    /// `GET /metrics`: the Prometheus text exposition, the outbox's counts read now.
    func metricsExposition() async throws(APIError) -> Response {
        let counts: [DeliveryCount]
        do throws(DeliveryError) { counts = try await notifier.outbox.deliveryCounts() } catch { throw .delivery(error, path: "") }
        return Body.bytes(metrics.exposition(counts), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }
}
