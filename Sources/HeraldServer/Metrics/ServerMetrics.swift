import Herald
import HeraldDelivery
import Prometheus

/// The metrics `GET /metrics` exposes in Prometheus's text format (swift-prometheus):
///
/// - `herald_notifications_accepted_total`: notifications the API acknowledged with 202;
/// - `herald_deliveries{service, state}`: deliveries in the outbox per service and state, read at each scrape;
/// - `herald_outbox_depth`: deliveries not yet delivered or failed (pending, sending, interrupted);
/// - `herald_delivery_attempt_duration_seconds{service, outcome}`: a histogram of attempt durations, from the
///   delivery worker through ``factory``.
struct ServerMetrics: Sendable {
    /// The registry every metric is in.
    let registry = PrometheusCollectorRegistry()
    /// Notifications acknowledged with 202.
    let notificationsAccepted: Counter

    /// The buckets of the attempt duration histogram, in seconds: an attempt may take several requests, each up to
    /// the request timeout.
    static let attemptBuckets: [Duration] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120].map {
        .milliseconds(Int64($0 * 1000))
    }

    /// `herald_deliveries` (a descriptor is not `Sendable`, so it is made where it is used).
    private static var deliveries: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "herald", metricName: "deliveries", unitName: "", helpText: "Deliveries in the outbox, per service and state.")
    }

    /// `herald_outbox_depth`.
    private static var outboxDepth: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "herald", metricName: "outbox_depth", unitName: "",
            helpText: "Deliveries not yet delivered or failed: pending, sending or interrupted.")
    }

    init() {
        notificationsAccepted = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "herald", metricName: "notifications_accepted", unitName: "total",
                helpText: "Notifications the API acknowledged (202) once the outbox held them."))
    }

    /// The swift-metrics factory the delivery worker records attempt durations through.
    var factory: PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.attemptBuckets
        return factory
    }

    /// The exposition, with the outbox gauges set from `counts` (every service and state, zero when absent).
    func exposition(_ counts: [DeliveryCount]) -> [UInt8] {
        var depth = 0
        for service in Service.catalogue {
            for state in DeliveryState.allCases {
                let count = counts.first { $0.service == service && $0.state == state }?.count ?? 0
                registry.makeGauge(descriptor: Self.deliveries, labels: [("service", service.id), ("state", state.rawValue)])
                    .set(Double(count))
                if [.pending, .sending, .interrupted].contains(state) { depth += count }
            }
        }
        registry.makeGauge(descriptor: Self.outboxDepth).set(Double(depth))
        return registry.emitToBuffer()
    }
}
