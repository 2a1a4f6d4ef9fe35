/// One option of a stage or input format: its name, type, default and meaning.
///
/// Parameters are the single source of truth for validating pipeline.json, for the JSON
/// Schema in schemas/ and for `curate stages`.
public struct Parameter: Sendable {
    public enum Kind: Sendable {
        case integer(min: Int? = nil, max: Int? = nil)
        case number(min: Double? = nil, max: Double? = nil)
        case boolean
        case string
        case choice([String])
        case stringList
        /// A file path, relative to the pipeline file's folder, or `resource:NAME` for a file
        /// bundled with curate (see ``Resources``).
        case path
        /// A list of such paths.
        case pathList
    }

    public let name: String
    public let kind: Kind
    /// The value used when the option is absent; nil means "not set".
    public let defaultValue: JSONValue?
    public let summary: String

    public init(_ name: String, _ kind: Kind, default defaultValue: JSONValue? = nil, _ summary: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.summary = summary
    }

    /// Why `value` does not fit this parameter, or nil if it does. `null` always fits an
    /// option that has no default (it means "not set").
    public func problem(with value: JSONValue) -> String? {
        if value == .null, defaultValue == nil { return nil }
        switch kind {
        case let .integer(min, max):
            if case let .number(text) = value, let n = Int(text), n >= (min ?? .min), n <= (max ?? .max) { return nil }
            return "expected \(expectation), got \(value.brief)"
        case let .number(min, max):
            if case let .number(text) = value, let n = Double(text), n >= (min ?? -.infinity), n <= (max ?? .infinity) { return nil }
            return "expected \(expectation), got \(value.brief)"
        case .boolean:
            if case .bool = value { return nil }
            return "expected \(expectation), got \(value.brief)"
        case .string, .path:
            if case .string = value { return nil }
            return "expected \(expectation), got \(value.brief)"
        case let .choice(choices):
            if case let .string(s) = value {
                if choices.contains(s) { return nil }
                return "expected \(expectation), got \(value.brief)" + Suggestion.didYouMean(s, among: choices)
            }
            return "expected \(expectation), got \(value.brief)"
        case .stringList, .pathList:
            if case let .array(items) = value, items.allSatisfy({ if case .string = $0 { true } else { false } }) { return nil }
            return "expected \(expectation), got \(value.brief)"
        }
    }

    /// What the parameter accepts, in words.
    public var expectation: String {
        switch kind {
        case let .integer(min?, max?): "an integer from \(min) to \(max)"
        case let .integer(min?, nil): "an integer >= \(min)"
        case let .integer(nil, max?): "an integer <= \(max)"
        case .integer: "an integer"
        case let .number(min?, max?): "a number from \(Self.format(min)) to \(Self.format(max))"
        case let .number(min?, nil): "a number >= \(Self.format(min))"
        case let .number(nil, max?): "a number <= \(Self.format(max))"
        case .number: "a number"
        case .boolean: "true or false"
        case .string: "a string"
        case let .choice(choices): "one of " + choices.map { "\"\($0)\"" }.joined(separator: ", ")
        case .stringList: "an array of strings"
        case .path: "a file path"
        case .pathList: "an array of file paths"
        }
    }

    private static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }
}

/// A problem with one option, found while building a stage or reader from its options.
public struct OptionError: Error, Sendable, Equatable {
    /// The option at fault, or nil when the problem concerns the options as a whole.
    public let key: String?
    public let message: String

    public init(key: String?, _ message: String) {
        self.key = key
        self.message = message
    }
}

/// The validated options of one stage or input, with defaults filled in.
public struct Options: Sendable {
    public let values: JSONObject
    /// The folder that relative paths are resolved against: the pipeline file's.
    public let base: String

    public init(_ values: JSONObject, base: String = ".") {
        self.values = values
        self.base = base
    }

    /// A path option resolved against `base`, or to a bundled resource.
    public func path(_ name: String) -> String? {
        string(name).map { Resources.resolve($0, base: base) }
    }

    /// A path-list option resolved against `base`, or to bundled resources.
    public func paths(_ name: String) -> [String]? {
        strings(name).map { $0.map { Resources.resolve($0, base: base) } }
    }

    public func int(_ name: String) -> Int? {
        if case let .number(text)? = values[name] { return Int(text) }
        return nil
    }

    public func double(_ name: String) -> Double? {
        if case let .number(text)? = values[name] { return Double(text) }
        return nil
    }

    public func bool(_ name: String) -> Bool? {
        if case let .bool(b)? = values[name] { return b }
        return nil
    }

    public func string(_ name: String) -> String? {
        if case let .string(s)? = values[name] { return s }
        return nil
    }

    public func strings(_ name: String) -> [String]? {
        guard case let .array(items)? = values[name] else { return nil }
        return items.compactMap { if case let .string(s) = $0 { s } else { nil } }
    }
}

extension Options {
    /// The options that `parameters` give when none is set.
    public static func defaults(_ parameters: [Parameter], base: String = ".") -> Options {
        Options(JSONObject(parameters.compactMap { p in p.defaultValue.map { (p.name, $0) } }), base: base)
    }
}
