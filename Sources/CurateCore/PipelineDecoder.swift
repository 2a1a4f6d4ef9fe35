/// Decodes pipeline.json and checks it completely against the registry, collecting every
/// problem with its JSON path rather than stopping at the first.
public struct PipelineDecoder: Sendable {
    public let registry: Registry
    /// The folder relative paths in the pipeline are resolved against.
    public let base: String

    public init(registry: Registry, base: String = ".") {
        self.registry = registry
        self.base = base
    }

    /// The keys of pipeline.json's top level.
    public static let topLevelKeys = ["$schema", "name", "inputs", "stages", "output", "workers"]

    public func decode(_ bytes: [UInt8], file: String) throws(PipelineError) -> Pipeline {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            let (line, column) = error.position(in: bytes)
            throw PipelineError(file: file, problems: [
                PipelineProblem(path: "line \(line), column \(column)", message: "invalid JSON: \(error.message)"),
            ])
        }
        var context = Context()
        let pipeline = decodePipeline(root, source: bytes, context: &context)
        if let pipeline, context.problems.isEmpty { return pipeline }
        throw PipelineError(file: file, problems: context.problems)
    }

    /// Decodes one stage object, as `stages[i]` of a pipeline holds it; problems are
    /// reported under the path `stage`.
    public func decodeStep(_ bytes: [UInt8], file: String) throws(PipelineError) -> Pipeline.Step {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            let (line, column) = error.position(in: bytes)
            throw PipelineError(file: file, problems: [
                PipelineProblem(path: "line \(line), column \(column)", message: "invalid JSON: \(error.message)"),
            ])
        }
        var context = Context()
        let step = decodeStage(root, path: "stage", context: &context)
        if let step, context.problems.isEmpty { return step }
        throw PipelineError(file: file, problems: context.problems)
    }

    private struct Context {
        var problems: [PipelineProblem] = []
        mutating func report(_ path: String, _ message: String) {
            problems.append(PipelineProblem(path: path, message: message))
        }
    }

    private func decodePipeline(_ root: JSONValue, source: [UInt8], context: inout Context) -> Pipeline? {
        guard case let .object(object) = root else {
            context.report("(top level)", "expected an object, got \(root.typeName)")
            return nil
        }
        for key in object.keys where !Self.topLevelKeys.contains(key) {
            context.report(key, "unknown key \"\(key)\"" + Suggestion.didYouMean(key, among: Self.topLevelKeys))
        }
        var name: String?
        switch object["name"] {
        case let .string(s)? where !s.isEmpty: name = s
        case nil: context.report("(top level)", "missing required key \"name\"")
        case let value?: context.report("name", "expected a non-empty string, got \(value.brief)")
        }
        let inputs = decodeList(object["inputs"], key: "inputs", allowEmpty: false, context: &context) { item, path, context in
            decodeInput(item, path: path, context: &context)
        }
        let steps = decodeList(object["stages"], key: "stages", allowEmpty: true, context: &context) { item, path, context in
            decodeStage(item, path: path, context: &context)
        }
        var output: String?
        switch object["output"] {
        case let .string(s)? where !s.isEmpty: output = s
        case nil: break
        case let value?: context.report("output", "expected a non-empty string (the run folder), got \(value.brief)")
        }
        var workers: Int?
        if let value = object["workers"] {
            if case let .number(text) = value, let n = Int(text), n >= 1 {
                workers = n
            } else {
                context.report("workers", "expected an integer >= 1, got \(value.brief)")
            }
        }
        guard let name, let inputs, let steps else { return nil }
        return Pipeline(name: name, inputs: inputs, steps: uniquelyNamed(steps), output: output, workers: workers, source: source)
    }

    private func decodeList<T>(
        _ value: JSONValue?, key: String, allowEmpty: Bool, context: inout Context,
        item decodeItem: (JSONValue, String, inout Context) -> T?
    ) -> [T]? {
        guard let value else {
            context.report("(top level)", "missing required key \"\(key)\"")
            return nil
        }
        guard case let .array(items) = value, allowEmpty || !items.isEmpty else {
            context.report(key, "expected \(allowEmpty ? "an" : "a non-empty") array, got \(value.brief)")
            return nil
        }
        var decoded: [T] = []
        for (index, item) in items.enumerated() {
            if let d = decodeItem(item, "\(key)[\(index)]", &context) { decoded.append(d) }
        }
        return decoded.count == items.count ? decoded : nil
    }

    private func decodeInput(_ value: JSONValue, path: String, context: inout Context) -> Pipeline.Input? {
        guard case let .object(object) = value else {
            context.report(path, "expected an object with \"format\" and \"paths\", got \(value.brief)")
            return nil
        }
        let formats = registry.inputFormats.map(\.format)
        guard let formatValue = object["format"] else {
            context.report(path, "missing required key \"format\" (one of: \(formats.joined(separator: ", ")))")
            return nil
        }
        guard case let .string(format) = formatValue, let definition = registry.inputFormat(format) else {
            let word = if case let .string(s) = formatValue { s } else { "" }
            context.report("\(path).format", "unknown input format \(formatValue.brief)"
                + Suggestion.didYouMean(word, among: formats) + " (valid: \(formats.joined(separator: ", ")))")
            return nil
        }
        var paths: [String]?
        switch object["paths"] {
        case let .array(items)? where !items.isEmpty:
            paths = items.compactMap { if case let .string(s) = $0, !s.isEmpty { s } else { nil } }
            if paths!.count != items.count {
                context.report("\(path).paths", "expected a non-empty array of non-empty strings (paths or globs)")
                paths = nil
            }
        case nil: context.report(path, "missing required key \"paths\"")
        case let value?: context.report("\(path).paths", "expected a non-empty array of paths or globs, got \(value.brief)")
        }
        var rest = object
        rest["format"] = nil
        rest["paths"] = nil
        let options = decodeOptions(rest, parameters: definition.parameters, path: path,
                                    owner: "input format \"\(format)\"", fixedKeys: ["format", "paths"], context: &context)
        guard let paths, let options else { return nil }
        do {
            return Pipeline.Input(format: definition, paths: paths, options: options, reader: try definition.make(options))
        } catch {
            context.report(error.key.map { "\(path).\($0)" } ?? path, error.message)
            return nil
        }
    }

    private func decodeStage(_ value: JSONValue, path: String, context: inout Context) -> Pipeline.Step? {
        let types = registry.stages.map(\.type)
        guard case let .object(object) = value else {
            context.report(path, "expected an object with a \"type\", got \(value.brief)")
            return nil
        }
        guard let typeValue = object["type"] else {
            context.report(path, "missing required key \"type\" (one of: \(types.joined(separator: ", ")))")
            return nil
        }
        guard case let .string(type) = typeValue, let definition = registry.stage(type) else {
            let word = if case let .string(s) = typeValue { s } else { "" }
            context.report("\(path).type", "unknown stage type \(typeValue.brief)"
                + Suggestion.didYouMean(word, among: types) + " (valid: \(types.joined(separator: ", ")))")
            return nil
        }
        var name = type
        switch object["name"] {
        case let .string(s)? where !s.isEmpty: name = s
        case nil: break
        case let value?: context.report("\(path).name", "expected a non-empty string, got \(value.brief)")
        }
        var rest = object
        rest["type"] = nil
        rest["name"] = nil
        guard let options = decodeOptions(rest, parameters: definition.parameters, path: path,
                                          owner: "stage \"\(type)\"", fixedKeys: ["type", "name"], context: &context)
        else { return nil }
        do {
            return Pipeline.Step(name: name, definition: definition, options: options, body: try definition.make(options))
        } catch {
            context.report(error.key.map { "\(path).\($0)" } ?? path, error.message)
            return nil
        }
    }

    /// Checks each given option against its parameter and fills in defaults.
    private func decodeOptions(
        _ given: JSONObject, parameters: [Parameter], path: String, owner: String, fixedKeys: [String],
        context: inout Context
    ) -> Options? {
        let names = parameters.map(\.name)
        var ok = true
        for (key, value) in given {
            guard let parameter = parameters.first(where: { $0.name == key }) else {
                context.report("\(path).\(key)", "unknown option \"\(key)\" for \(owner)"
                    + Suggestion.didYouMean(key, among: names + fixedKeys))
                ok = false
                continue
            }
            if let problem = parameter.problem(with: value) {
                context.report("\(path).\(key)", problem)
                ok = false
            }
        }
        guard ok else { return nil }
        var values = JSONObject()
        for parameter in parameters {
            if let value = given[parameter.name], value != .null {
                values[parameter.name] = value
            } else if let value = parameter.defaultValue {
                values[parameter.name] = value
            }
        }
        return Options(values, base: base)
    }

    private func uniquelyNamed(_ steps: [Pipeline.Step]) -> [Pipeline.Step] {
        var seen: [String: Int] = [:]
        return steps.map { step in
            let count = (seen[step.name] ?? 0) + 1
            seen[step.name] = count
            guard count > 1 else { return step }
            return Pipeline.Step(name: "\(step.name)_\(count)", definition: step.definition, options: step.options, body: step.body)
        }
    }
}
