import CurateCore
import CurateIO
import Foundation

/// Float32 tensors in the safetensors format: an 8-byte little-endian header length, a JSON
/// header (`dtype`, `shape`, `data_offsets` per tensor, `__metadata__` strings) padded with
/// spaces to a multiple of 8 bytes, then the raw little-endian data.
public struct SafeTensors {
    public struct Entry: Sendable {
        public var name: String
        public var shape: [Int]
        /// Byte range within the data section.
        public var begin: Int
        public var end: Int
    }

    public let path: String
    public let metadata: [String: String]
    public let entries: [Entry]
    private let bytes: [UInt8]
    private let dataStart: Int

    /// Writes `tensors` (in that order) and `metadata` durably to `path`.
    public static func write(
        _ tensors: [(name: String, shape: [Int], values: UnsafeBufferPointer<Float>)], metadata: [(String, String)], to path: String
    ) throws(TrainerError) {
        var header: [(key: String, value: JSONValue)] = [("__metadata__", .object(JSONObject(metadata.map { ($0.0, JSONValue.string($0.1)) })))]
        var offset = 0
        for tensor in tensors {
            precondition(tensor.shape.reduce(1, *) == tensor.values.count)
            let end = offset + tensor.values.count * 4
            header.append((tensor.name, .object(JSONObject([
                ("dtype", .string("F32")), ("shape", .array(tensor.shape.map { .integer($0) })),
                ("data_offsets", .array([.integer(offset), .integer(end)])),
            ]))))
            offset = end
        }
        var json = Array(JSONWriter.serialize(.object(JSONObject(header))).utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: json)
        for tensor in tensors {
            for value in tensor.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        }
        do { try DurableFile.write(out, to: path) } catch { throw TrainerError(path: path, error.message) }
    }

    /// Reads and checks the header of the file at `path`.
    public init(path: String) throws(TrainerError) {
        func fail(_ message: String) -> TrainerError { TrainerError(path: path, message) }
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot read the file") }
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw fail("is \(bytes.count) bytes, too short for a safetensors header length") }
        var length = 0
        for i in 0..<8 { length |= Int(bytes[i]) << (8 * i) }
        guard length >= 2, length <= bytes.count - 8 else { throw fail("the header length \(length) does not fit in the file's \(bytes.count) bytes") }
        let value: JSONValue
        do { value = try JSONParser.parse(Array(bytes[8..<(8 + length)])) } catch {
            throw TrainerError(path: path, "header byte \(8 + error.offset): invalid JSON: \(error.message)")
        }
        guard case let .object(object) = value else { throw fail("the header is not a JSON object") }
        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        let dataSize = bytes.count - 8 - length
        for (name, item) in object {
            if name == "__metadata__" {
                guard case let .object(pairs) = item else { throw fail("__metadata__ is not an object") }
                for (key, text) in pairs {
                    guard case let .string(s) = text else { throw fail("__metadata__.\(key) is not a string") }
                    metadata[key] = s
                }
                continue
            }
            guard case let .object(fields) = item, case .string("F32")? = fields["dtype"] else {
                throw fail("tensor \(name): dtype is not F32")
            }
            func integers(_ key: String) throws(TrainerError) -> [Int] {
                guard case let .array(values)? = fields[key] else { throw fail("tensor \(name): \(key) is not an array") }
                var out: [Int] = []
                for v in values {
                    guard case let .number(text) = v, let n = Int(text), n >= 0 else { throw fail("tensor \(name): \(key) holds \(v.brief)") }
                    out.append(n)
                }
                return out
            }
            let shape = try integers("shape"), offsets = try integers("data_offsets")
            guard offsets.count == 2, offsets[0] <= offsets[1], offsets[1] <= dataSize,
                  offsets[1] - offsets[0] == shape.reduce(1, *) * 4 else {
                throw fail("tensor \(name): data_offsets \(offsets) do not hold shape \(shape) in \(dataSize) data bytes")
            }
            entries.append(Entry(name: name, shape: shape, begin: offsets[0], end: offsets[1]))
        }
        self.path = path
        self.metadata = metadata
        self.entries = entries
        self.bytes = bytes
        dataStart = 8 + length
    }

    /// Copies tensor `name` into `destination`; it must have `shape`.
    public func read(_ name: String, shape: [Int], into destination: UnsafeMutablePointer<Float>) throws(TrainerError) {
        guard let entry = entries.first(where: { $0.name == name }) else { throw TrainerError(path: path, "has no tensor \(name)") }
        guard entry.shape == shape else { throw TrainerError(path: path, "tensor \(name) has shape \(entry.shape), expected \(shape)") }
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress! + dataStart + entry.begin
            for i in 0..<(entry.end - entry.begin) / 4 {
                destination[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
        }
    }
}
