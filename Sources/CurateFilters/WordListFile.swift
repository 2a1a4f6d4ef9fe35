import CurateCore
import Foundation

/// Reading the plain-text lists that filters use: one entry per line.
enum WordListFile {
    /// The lines of the UTF-8 file at `path`, without line terminators (`\n` or `\r\n`).
    static func lines(_ path: String, option: String) throws(OptionError) -> [Substring] {
        let data = try contents(path, option: option)
        guard let text = String(validating: data, as: UTF8.self) else {
            throw OptionError(key: option, "\(path) is not UTF-8 text")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.last == "\r" ? line.dropLast() : line
        }
        if text.hasSuffix("\n") { lines.removeLast() }
        return lines
    }

    /// Calls `body` with the bytes of each line of the file at `path` that does not start
    /// with `#`, without its line terminator and without ASCII white space at either end; for
    /// lists of millions of lines.
    static func forEachStrippedLine(_ path: String, option: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) throws(OptionError) {
        let data = try contents(path, option: option)
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                defer { start = end + 1 }
                if bytes[start] == UInt8(ascii: "#") { continue }
                var a = start, b = end
                while a < b && isASCIISpace(bytes[a]) { a += 1 }
                while b > a && isASCIISpace(bytes[b - 1]) { b -= 1 }
                body(UnsafeBufferPointer(rebasing: bytes[a..<b]))
            }
        }
    }

    /// The bytes of the file at `path`.
    static func bytes(_ path: String, option: String) throws(OptionError) -> [UInt8] {
        Array(try contents(path, option: option))
    }

    private static func contents(_ path: String, option: String) throws(OptionError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OptionError(key: option, "cannot read \(path)")
        }
        return data
    }

    private static func isASCIISpace(_ b: UInt8) -> Bool { (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x20) }

    /// `line` without white space at either end (Python's `str.strip()`).
    static func stripped(_ line: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0.unicodeScalars.allSatisfy { UTF8Bytes.isWhitespace($0.value) } }
        guard let first = line.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = line.lastIndex(where: { !isSpace($0) })!
        return line[first...last]
    }
}
