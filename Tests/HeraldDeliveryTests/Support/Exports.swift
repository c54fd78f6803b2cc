// The test HTTP server, the receivers and the helpers that run `herald` live in HeraldTestSupport (the server tests
// use them too); every delivery test sees them without importing it.
@_exported import HeraldTestSupport
