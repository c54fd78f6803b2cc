import Benchmark
import BenchmarkInputs
import Herald

/// One benchmark per input and service, named `<input>/<service>` (filter with e.g. `--filter 'typical/.*'`); and
/// the reading path (`message JSON 10 MB/JSONReader`, `message JSON 10 MB/message decoding`) and Signal's split
/// (`plain text 10 MB/signal split`).
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

    // The reading path, on JSON full of escapes and non-ASCII: the JSON reader alone, and reading the message
    // (JSON, then the message's checks), as `herald render` and every delivery attempt do.
    for input in Inputs.json {
        Benchmark("\(input.name)/JSONReader", configuration: large) { benchmark, bytes in
            for _ in benchmark.scaledIterations {
                do {
                    blackHole(try JSONReader().read(bytes))
                } catch {
                    benchmark.error("\(input.name) is not JSON: \(error)")
                }
            }
        } setup: {
            input.bytes()
        }
        Benchmark("\(input.name)/message decoding", configuration: large) { benchmark, bytes in
            for _ in benchmark.scaledIterations {
                do {
                    blackHole(try NotificationMessage(json: bytes))
                } catch {
                    benchmark.error("\(input.name) is not a message: \(error)")
                }
            }
        } setup: {
            input.bytes()
        }
    }

    // The limits stage splitting a long text into Signal messages of 2000 bytes, with no cap on their number.
    for input in Inputs.all where input.name.hasPrefix("plain text") {
        Benchmark("\(input.name)/signal split", configuration: large) { benchmark, message in
            for _ in benchmark.scaledIterations {
                blackHole(try SignalRenderer(maximumMessages: .max).render(Document.lowering(message)).messages.count)
            }
        } setup: {
            input.message()
        }
    }

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
