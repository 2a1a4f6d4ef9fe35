import CurateCore

/// The tokenizer a shard set was encoded with: its file and the sha256 of its bytes.
public struct TokenizerReference: Sendable, Equatable {
    /// The path as the caller gave it; relative paths are relative to the shards folder.
    public var file: String
    public var sha256: String

    public init(file: String, sha256: String) {
        self.file = file
        self.sha256 = sha256
    }
}

/// One shard as `manifest.json` lists it.
public struct ShardInfo: Sendable, Equatable {
    /// The token file, `shard-NNNNN.tok.zst`, relative to the shards folder.
    public var file: String
    public var sha256: String
    /// The document index, `shard-NNNNN.docs`.
    public var docsFile: String
    public var docsSHA256: String
    public var tokens: Int
    public var documents: Int
    public var frames: Int
}

/// `manifest.json`: what a shard set holds and how to check it (schemas/manifest.schema.json).
public struct ShardManifest: Sendable, Equatable {
    public static let formatName = "curate-shards"
    public static let formatVersion = 1
    public static let fileName = "manifest.json"

    public var tokenizer: TokenizerReference?
    public var dtype: TokenType
    public var vocabSize: Int
    public var eodID: UInt32
    public var frameTokens: Int
    public var shards: [ShardInfo]
    /// The set's version: 1 as written, one more after each takedown rewrote some shards.
    /// Written to the file only when above 1.
    public var version = 1

    public var tokens: Int { shards.reduce(0) { $0 + $1.tokens } }
    public var documents: Int { shards.reduce(0) { $0 + $1.documents } }

    /// The manifest as indented JSON with a final newline; keys in a fixed order.
    public func encoded() -> [UInt8] {
        func int(_ v: Int) -> JSONValue { .integer(v) }
        let shardValues: [JSONValue] = shards.map { s in
            .object(JSONObject([
                ("file", .string(s.file)), ("sha256", .string(s.sha256)),
                ("docs_file", .string(s.docsFile)), ("docs_sha256", .string(s.docsSHA256)),
                ("tokens", int(s.tokens)), ("documents", int(s.documents)), ("frames", int(s.frames)),
            ]))
        }
        let tokenizerValue: JSONValue = tokenizer.map { .object(JSONObject([("file", .string($0.file)), ("sha256", .string($0.sha256))])) } ?? .null
        var fields: [(key: String, value: JSONValue)] = [
            ("format", .string(ShardManifest.formatName)), ("format_version", int(ShardManifest.formatVersion)),
        ]
        if version > 1 { fields.append(("version", int(version))) }
        fields += [
            ("tokenizer", tokenizerValue), ("dtype", .string(dtype.rawValue)), ("vocab_size", int(vocabSize)),
            ("eod_id", int(Int(eodID))), ("frame_tokens", int(frameTokens)),
            ("tokens", int(tokens)), ("documents", int(documents)), ("shards", .array(shardValues)),
        ]
        let root = JSONValue.object(JSONObject(fields))
        return Array((JSONWriter.serialize(root, pretty: true) + "\n").utf8)
    }

    /// Parses and checks a manifest; errors name the file and, for syntax errors, the byte.
    public static func decode(_ bytes: [UInt8], path: String) throws(ShardError) -> ShardManifest {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch {
            throw ShardError(path: path, offset: Int64(error.offset), "invalid JSON: \(error.message)")
        }
        var reader = FieldReader(path: path)
        guard case let .object(root) = value else { throw reader.fail("", "is \(value.typeName), not an object") }
        try reader.expectKeys(root, ["format", "format_version", "tokenizer", "dtype", "vocab_size", "eod_id", "frame_tokens", "tokens", "documents", "shards"],
                              optional: ["version"], at: "")
        guard try reader.string(root, "format") == formatName else { throw reader.fail("format", "is not \"\(formatName)\"") }
        let version = try reader.integer(root, "format_version")
        guard version == formatVersion else { throw reader.fail("format_version", "\(version) is not supported (this curate reads version \(formatVersion))") }
        var tokenizer: TokenizerReference?
        switch root["tokenizer"] {
        case .null?: tokenizer = nil
        case let .object(object)?:
            reader.prefix = "tokenizer."
            try reader.expectKeys(object, ["file", "sha256"], at: "tokenizer")
            tokenizer = TokenizerReference(file: try reader.string(object, "file"), sha256: try reader.sha256(object, "sha256"))
            reader.prefix = ""
        case let other?: throw reader.fail("tokenizer", "is \(other.typeName), not an object or null")
        case nil: throw reader.fail("tokenizer", "is missing")
        }
        let dtypeName = try reader.string(root, "dtype")
        guard let dtype = TokenType(rawValue: dtypeName) else { throw reader.fail("dtype", "\"\(dtypeName)\" is not uint16 or uint32") }
        let vocabSize = try reader.integer(root, "vocab_size")
        guard vocabSize > 0, vocabSize <= 1 << 32 else { throw reader.fail("vocab_size", "\(vocabSize) is out of range") }
        guard dtype == TokenType(vocabSize: vocabSize) else { throw reader.fail("dtype", "\(dtype.rawValue) does not match a vocabulary of \(vocabSize) ids") }
        let eod = try reader.integer(root, "eod_id")
        guard eod >= 0, eod < vocabSize else { throw reader.fail("eod_id", "\(eod) is not below vocab_size \(vocabSize)") }
        let frameTokens = try reader.integer(root, "frame_tokens")
        guard frameTokens > 0, frameTokens * dtype.width <= Int(UInt32.max) else { throw reader.fail("frame_tokens", "\(frameTokens) is out of range") }
        guard case let .array(shardValues)? = root["shards"] else { throw reader.fail("shards", "is not an array") }
        var shards: [ShardInfo] = []
        for (i, shardValue) in shardValues.enumerated() {
            reader.prefix = "shards[\(i)]."
            guard case let .object(object) = shardValue else { throw reader.fail("", "is not an object") }
            try reader.expectKeys(object, ["file", "sha256", "docs_file", "docs_sha256", "tokens", "documents", "frames"], at: "shards[\(i)]")
            let info = ShardInfo(
                file: try reader.fileName(object, "file"), sha256: try reader.sha256(object, "sha256"),
                docsFile: try reader.fileName(object, "docs_file"), docsSHA256: try reader.sha256(object, "docs_sha256"),
                tokens: try reader.integer(object, "tokens"), documents: try reader.integer(object, "documents"),
                frames: try reader.integer(object, "frames"))
            guard info.frames == (info.tokens + frameTokens - 1) / frameTokens else {
                throw reader.fail("frames", "\(info.frames) frames cannot hold \(info.tokens) tokens in frames of \(frameTokens)")
            }
            guard info.documents <= info.tokens, (info.documents == 0) == (info.tokens == 0) else {
                throw reader.fail("documents", "\(info.documents) documents do not fit \(info.tokens) tokens")
            }
            shards.append(info)
        }
        reader.prefix = ""
        var manifest = ShardManifest(tokenizer: tokenizer, dtype: dtype, vocabSize: vocabSize, eodID: UInt32(eod), frameTokens: frameTokens, shards: shards)
        if root["version"] != nil {
            manifest.version = try reader.integer(root, "version")
            guard manifest.version > 1 else { throw reader.fail("version", "\(manifest.version) is written only above 1") }
        }
        let tokens = try reader.integer(root, "tokens")
        guard tokens == manifest.tokens else { throw reader.fail("tokens", "\(tokens) is not the sum over the shards (\(manifest.tokens))") }
        let documents = try reader.integer(root, "documents")
        guard documents == manifest.documents else { throw reader.fail("documents", "\(documents) is not the sum over the shards (\(manifest.documents))") }
        return manifest
    }
}

/// Typed field access for `ShardManifest.decode`, with messages naming the field.
private struct FieldReader {
    let path: String
    var prefix = ""

    func fail(_ key: String, _ message: String) -> ShardError {
        ShardError(path: path, key.isEmpty && prefix.isEmpty ? message : "\(prefix)\(key) \(message)")
    }

    func expectKeys(_ object: JSONObject, _ keys: [String], optional: [String] = [], at place: String) throws(ShardError) {
        for key in object.keys where !keys.contains(key) && !optional.contains(key) {
            throw ShardError(path: path, "unknown field \"\(key)\"\(place.isEmpty ? "" : " in \(place)")")
        }
        for key in keys where object[key] == nil {
            throw ShardError(path: path, "missing field \"\(key)\"\(place.isEmpty ? "" : " in \(place)")")
        }
    }

    func string(_ object: JSONObject, _ key: String) throws(ShardError) -> String {
        guard case let .string(s)? = object[key] else { throw fail(key, "is not a string") }
        return s
    }

    func integer(_ object: JSONObject, _ key: String) throws(ShardError) -> Int {
        guard case let .number(text)? = object[key], let n = Int(text), n >= 0 else { throw fail(key, "is not a non-negative integer") }
        return n
    }

    func sha256(_ object: JSONObject, _ key: String) throws(ShardError) -> String {
        let s = try string(object, key)
        guard s.utf8.count == 64, s.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw fail(key, "\"\(s)\" is not 64 lower-case hex digits")
        }
        return s
    }

    func fileName(_ object: JSONObject, _ key: String) throws(ShardError) -> String {
        let s = try string(object, key)
        guard !s.isEmpty, !s.contains("/"), s != ".", s != ".." else { throw fail(key, "\"\(s)\" is not a file name in the shards folder") }
        return s
    }
}
