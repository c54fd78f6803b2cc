import BenchmarkInputs
import Foundation
import Herald

// `render-profile INPUT SERVICE [ITERATIONS]`: renders one benchmark input for one service ITERATIONS times
// (default 1), the same work as one benchmark, without the benchmark harness: for profilers such as
// `valgrind --tool=callgrind`, whose instruction counts are repeatable on a busy machine. Prints the median and
// the fastest iteration in thread CPU time, which other processes on the machine disturb less than wall time.
let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2, let input = Inputs.all.first(where: { $0.name == arguments[0] }),
    let service = Service(id: arguments[1])
else {
    print("usage: render-profile INPUT SERVICE [ITERATIONS]")
    print("inputs: \(Inputs.all.map(\.name).joined(separator: ", "))")
    print("services: \(Service.catalogueIDs)")
    exit(64)
}
let iterations = arguments.count > 2 ? max(1, Int(arguments[2]) ?? 1) : 1

/// The CPU time this thread has used, in nanoseconds.
func threadCPUTime() -> Int {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return time.tv_sec * 1_000_000_000 + time.tv_nsec
}

let message = input.message()
var bytes = 0
var times: [Int] = []
times.reserveCapacity(iterations)
for _ in 0..<iterations {
    let start = threadCPUTime()
    bytes = try service.renderer.render(message).payload.body.count
    times.append(threadCPUTime() - start)
}
times.sort()
/// `nanoseconds` in microseconds, with one decimal.
func microseconds(_ nanoseconds: Int) -> String { String(format: "%.1f µs", Double(nanoseconds) / 1000) }
print("\(input.name)/\(service.id): \(bytes) payload bytes; CPU time median \(microseconds(times[times.count / 2])), "
    + "fastest \(microseconds(times[0]))")
