import Benchmark
import BenchmarkInputs
import Herald

/// One benchmark per input and service, named `<input>/<service>` (filter with e.g. `--filter 'typical/.*'`).
///
/// Each iteration measures what a sender pays on its hot path: `service.renderer.render(message).payload.body`,
/// that is lowering, fitting, rendering and writing the payload bytes. The message is built in the benchmark's
/// setup, outside the measurement; each benchmark runs in a process of its own, so `peakMemoryResident` is that
/// input's peak.
let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident]
    let small = Benchmark.Configuration(
        metrics: metrics, timeUnits: .nanoseconds, warmupIterations: 100, maxDuration: .seconds(2),
        maxIterations: 100_000)
    let large = Benchmark.Configuration(
        metrics: metrics, timeUnits: .microseconds, warmupIterations: 2, maxDuration: .seconds(5), maxIterations: 100)

    for input in Inputs.all {
        for service in Service.catalogue {
            let configuration = input.isLarge ? large : small
            Benchmark("\(input.name)/\(service.id)", configuration: configuration) { benchmark, message in
                for _ in benchmark.scaledIterations {
                    do {
                        blackHole(try service.renderer.render(message).payload.body)
                    } catch {
                        benchmark.error("\(service.displayName) cannot render \(input.name): \(error)")
                    }
                }
            } setup: {
                input.message()
            }
        }
    }
}
