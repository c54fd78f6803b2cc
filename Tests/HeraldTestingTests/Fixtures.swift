import Foundation

/// Small, real files for the messages under test.
enum Fixtures {
    /// A 4 × 4 PNG: a blue diagonal on white, standing in for a scan plot (84 bytes).
    static let plotPNG = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAG0lEQVR42mP4DwNyUScY4CwgyQBngThwFhAAACQgKN2eJG3TAAAAAElFTkSuQmCC")!
    /// A 4 × 3 PNG: an orange part under a dark gantry, standing in for a printer camera's photo (76 bytes).
    static let cameraPNG = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAE0lEQVR42mPQQAIMJyo04AiFAwDUVw0hMxUEmwAAAABJRU5ErkJggg==")!
}
