// A sender's test imports HeraldTesting alone: the message builder and `Service` (Herald), and swift-snapshot-testing's
// `assertSnapshot`, `withSnapshotTesting` and record modes come with it.
@_exported import Herald
@_exported import SnapshotTesting
