/// The JSON Schema (draft 2020-12) of pipeline.json, generated from the registry so that it
/// always says what the decoder accepts.
public enum PipelineSchema {
    public static func make(_ registry: Registry) -> JSONValue {
        var defs = JSONObject()
        for format in registry.inputFormats {
            defs["input.\(format.format)"] = component(
                discriminator: "format", value: format.format, summary: format.summary, parameters: format.parameters,
                fixed: [
                    ("paths", object([
                        ("type", .string("array")), ("minItems", .integer(1)),
                        ("items", object([("type", .string("string")), ("minLength", .integer(1))])),
                        ("description", .string("Files, folders or globs (*, ?, [...], **), relative to the pipeline file's folder.")),
                    ])),
                ], required: ["format", "paths"])
        }
        for stage in registry.stages {
            defs["stage.\(stage.type)"] = component(
                discriminator: "type", value: stage.type, summary: stage.summary, parameters: stage.parameters,
                fixed: [
                    ("name", object([("type", .string("string")), ("minLength", .integer(1)),
                                     ("description", .string("Name of this stage in provenance and summaries; default: its type."))])),
                ], required: ["type"])
        }
        func refs(_ prefix: String, _ names: [String]) -> JSONValue {
            .array(names.map { object([("$ref", .string("#/$defs/\(prefix).\($0)"))]) })
        }
        return object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("title", .string("curate pipeline")),
            ("description", .string("A curate pipeline: inputs, the stages every document goes through, and the run folder.")),
            ("type", .string("object")),
            ("required", .array(["name", "inputs", "stages"].map(JSONValue.string))),
            ("additionalProperties", .bool(false)),
            ("properties", object([
                ("$schema", object([("type", .string("string"))])),
                ("name", object([("type", .string("string")), ("minLength", .integer(1)),
                                 ("description", .string("Name of the pipeline, recorded with every run."))])),
                ("inputs", object([("type", .string("array")), ("minItems", .integer(1)),
                                   ("items", object([("oneOf", refs("input", registry.inputFormats.map(\.format)))])),
                                   ("description", .string("Where documents come from; one task per file (or group of small files)."))])),
                ("stages", object([("type", .string("array")),
                                   ("items", object([("oneOf", refs("stage", registry.stages.map(\.type)))])),
                                   ("description", .string("The stages, applied in order."))])),
                ("output", object([("type", .string("string")), ("minLength", .integer(1)),
                                   ("description", .string("Run folder, relative to the pipeline file's folder; `curate run --output` overrides it."))])),
                ("workers", object([("type", .string("integer")), ("minimum", .integer(1)),
                                    ("description", .string("Threads that process documents; default: the number of cores."))])),
            ])),
            ("$defs", .object(defs)),
        ])
    }

    private static func object(_ pairs: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject(pairs.map { (key: $0.0, value: $0.1) }))
    }

    private static func component(
        discriminator: String, value: String, summary: String, parameters: [Parameter],
        fixed: [(String, JSONValue)], required: [String]
    ) -> JSONValue {
        var properties = JSONObject([(discriminator, object([("const", .string(value))]))])
        for (key, schema) in fixed { properties[key] = schema }
        for parameter in parameters { properties[parameter.name] = schema(of: parameter) }
        return object([
            ("type", .string("object")),
            ("description", .string(summary)),
            ("required", .array(required.map(JSONValue.string))),
            ("additionalProperties", .bool(false)),
            ("properties", .object(properties)),
        ])
    }

    private static func schema(of parameter: Parameter) -> JSONValue {
        let nullable = parameter.defaultValue == nil
        func type(_ name: String) -> (String, JSONValue) {
            ("type", nullable ? .array([.string(name), .string("null")]) : .string(name))
        }
        var pairs: [(String, JSONValue)]
        switch parameter.kind {
        case let .integer(min, max):
            pairs = [type("integer")] + (min.map { [("minimum", JSONValue.integer($0))] } ?? [])
                + (max.map { [("maximum", JSONValue.integer($0))] } ?? [])
        case let .number(min, max):
            pairs = [type("number")] + (min.map { [("minimum", JSONValue.double($0))] } ?? [])
                + (max.map { [("maximum", JSONValue.double($0))] } ?? [])
        case .boolean: pairs = [type("boolean")]
        case .string, .path: pairs = [type("string")]
        case let .choice(choices): pairs = [("enum", .array(choices.map(JSONValue.string) + (nullable ? [.null] : [])))]
        case .stringList, .pathList: pairs = [type("array"), ("items", object([("type", .string("string"))]))]
        }
        pairs.append(("description", .string(parameter.summary)))
        if let value = parameter.defaultValue { pairs.append(("default", value)) }
        return object(pairs)
    }
}
