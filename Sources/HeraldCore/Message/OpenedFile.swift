import Foundation
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A file opened once for reading, so that what is checked (its type, its size, where it really is) is the file
/// that is then read, with no window for a swap between a check and the read.
///
/// Hand-written over the POSIX calls because `FileHandle` and `FileManager` give neither `fstat` on the open
/// descriptor nor the opened file's real path, and they read to the end of a file with no limit.
package struct OpenedFile: ~Copyable {
    /// Why a file cannot be opened or read.
    package enum Failure: Error {
        /// There is no file at the path.
        case noSuchFile
        /// The path names a directory.
        case isDirectory
        /// Any other failure, with the system's description.
        case unreadable(String)
    }

    private let descriptor: Int32
    private let status: stat

    /// Opens `path` for reading. `nonBlocking` opens a FIFO or a device without waiting for it (for files that
    /// are checked and refused unless regular).
    package init(path: String, nonBlocking: Bool = false) throws(Failure) {
        let flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | (nonBlocking ? O_NONBLOCK : 0)
        let descriptor = open(path, flags)
        guard descriptor >= 0 else { throw Self.failure(errno) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw Self.failure(code)
        }
        guard status.st_mode & S_IFMT != S_IFDIR else {
            close(descriptor)
            throw .isDirectory
        }
        self.descriptor = descriptor
        self.status = status
    }

    deinit { close(descriptor) }

    /// Whether the open file is a regular file (not a directory, device, FIFO or socket).
    package var isRegularFile: Bool { status.st_mode & S_IFMT == S_IFREG }

    /// The open file's size in bytes, as `fstat` gives it (0 for most files that are not regular).
    package var size: Int { Int(status.st_size) }

    /// The absolute path of the open file, with every symbolic link resolved, as the system names it.
    package var realPath: String? {
        #if canImport(Darwin)
        var buffer = [CChar](repeating: 0, count: Int(MAXPATHLEN))
        guard fcntl(descriptor, F_GETPATH, &buffer) != -1 else { return nil }
        return String(cString: buffer)
        #else
        return try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)")
        #endif
    }

    /// Reads at most `limit` bytes from the current position: fewer only at the end of the file.
    package func read(atMost limit: Int) throws(Failure) -> [UInt8] {
        try readBytes(from: descriptor, atMost: limit, expected: isRegularFile ? size : nil)
    }

    private static func failure(_ code: Int32) -> Failure {
        switch code {
        case ENOENT, ENOTDIR: .noSuchFile
        case EISDIR: .isDirectory
        default: .unreadable(String(cString: strerror(code)))
        }
    }
}

/// Reads at most `limit` bytes from `descriptor`, in chunks, stopping at the end of the input: a stream without
/// end (`/dev/zero`, a pipe that is never closed after it has sent `limit` bytes) costs at most `limit` bytes of
/// memory. `expected` (the size of a regular file) sizes the buffer in one step.
package func readBytes(from descriptor: Int32, atMost limit: Int, expected: Int? = nil) throws(OpenedFile.Failure) -> [UInt8] {
    let chunkSize = 1 << 20
    var bytes: [UInt8] = []
    bytes.reserveCapacity(min(limit, (expected ?? chunkSize) + 1))
    while bytes.count < limit {
        let wanted = min(chunkSize, limit - bytes.count)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: wanted))
        let count = bytes.withUnsafeMutableBytes { buffer in
            read(descriptor, buffer.baseAddress! + start, wanted)
        }
        if count < 0, errno == EINTR {
            bytes.removeLast(wanted)
            continue
        }
        guard count >= 0 else {
            let code = errno
            throw code == EISDIR ? .isDirectory : .unreadable(String(cString: strerror(code)))
        }
        bytes.removeLast(wanted - count)
        if count == 0 { break }
    }
    return bytes
}

/// `path` made absolute with every symbolic link, `.` and `..` resolved (`realpath`); `nil` if it does not exist.
package func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}

extension String {
    /// Whether this absolute, resolved path lies inside the absolute, resolved `directory` (or is it).
    package func isInside(directory: String) -> Bool {
        self == directory || hasPrefix(directory.hasSuffix("/") ? directory : directory + "/")
    }
}
