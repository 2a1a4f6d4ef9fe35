import CurateCore
import CurateIO

/// The whole content of the file at `path`.
func readFileBytes(_ path: String) throws(IOError) -> [UInt8] {
    let reader = try FileReader(path: path)
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = try restoringErrorType(IOError.self) { try buffer.withUnsafeMutableBytes { try reader.read(into: $0) } }
        if n == 0 { return out }
        out.append(contentsOf: buffer[..<n])
    }
}
