import CurateCore

/// Where a `DataLoader` stands: the configuration that fixes the order of windows and the
/// number of windows this rank has delivered in the current epoch. Serialised as one small
/// JSON object; a loader resumed from it delivers exactly the windows that were still to come.
public struct DataLoaderCursor: Sendable, Equatable {
    /// Tokens in the shard set, to refuse resuming over different data.
    public var tokens: Int
    public var context: Int
    public var seed: UInt64
    public var shuffle: Bool
    public var rank: Int
    public var worldSize: Int
    /// The epoch in progress, from 0.
    public var epoch: Int
    /// Windows of this rank already delivered in `epoch`.
    public var position: Int

    static let version = 1

    /// `{"version":1,"tokens":..,"context":..,"seed":..,"shuffle":..,"rank":..,"world_size":..,"epoch":..,"position":..}`
    public func json() -> String {
        JSONWriter.serialize(.object(JSONObject([
            ("version", .integer(DataLoaderCursor.version)), ("tokens", .integer(tokens)), ("context", .integer(context)),
            ("seed", .number(String(seed))), ("shuffle", .bool(shuffle)), ("rank", .integer(rank)),
            ("world_size", .integer(worldSize)), ("epoch", .integer(epoch)), ("position", .integer(position)),
        ])))
    }

    /// Parses `json()`'s output.
    public init(json: String) throws(ShardError) {
        func fail(_ message: String) -> ShardError { ShardError(path: "(cursor)", message) }
        let value: JSONValue
        do { value = try JSONParser.parse(Array(json.utf8)) } catch { throw ShardError(path: "(cursor)", offset: Int64(error.offset), "invalid JSON: \(error.message)") }
        guard case let .object(object) = value else { throw fail("is not a JSON object") }
        func integer(_ key: String) throws(ShardError) -> Int {
            guard case let .number(text)? = object[key], let n = Int(text), n >= 0 else { throw fail("\(key) is not a non-negative integer") }
            return n
        }
        guard try integer("version") == DataLoaderCursor.version else { throw fail("version is not \(DataLoaderCursor.version)") }
        guard case let .number(seedText)? = object["seed"], let seed = UInt64(seedText) else { throw fail("seed is not an unsigned 64-bit integer") }
        guard case let .bool(shuffle)? = object["shuffle"] else { throw fail("shuffle is not a boolean") }
        self.init(
            tokens: try integer("tokens"), context: try integer("context"), seed: seed, shuffle: shuffle,
            rank: try integer("rank"), worldSize: try integer("world_size"), epoch: try integer("epoch"), position: try integer("position"))
    }

    public init(tokens: Int, context: Int, seed: UInt64, shuffle: Bool, rank: Int, worldSize: Int, epoch: Int, position: Int) {
        self.tokens = tokens
        self.context = context
        self.seed = seed
        self.shuffle = shuffle
        self.rank = rank
        self.worldSize = worldSize
        self.epoch = epoch
        self.position = position
    }
}
