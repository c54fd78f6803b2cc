import HeraldDelivery
import ServiceLifecycle

/// The delivery worker as a service of the server's `ServiceGroup`: it delivers until graceful shutdown, then
/// drains (``Notifier/run(progress:gracePeriod:until:)``): attempts under way may finish within the grace period,
/// the rest have their leases given back.
struct DeliveryService: Service {
    let notifier: Notifier
    let gracePeriod: Duration

    func run() async throws {
        try await notifier.run(gracePeriod: gracePeriod) {
            // Returns on graceful shutdown, and on cancellation (with an error that only says so).
            try? await gracefulShutdown()
        }
    }
}
