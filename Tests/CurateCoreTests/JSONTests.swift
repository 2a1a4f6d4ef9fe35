import CurateCore
import Testing

@Suite struct JSONParserTests {
    @Test func parsesNestedValuesKeepingKeyOrderAndNumberText() throws {
        let value = try JSONParser.parse(Array(#"{"b": [1, 2.50, -3e2], "a": {"x": null, "y": true}, "s": "\u00e9\ud83d\ude00"}"#.utf8))
        guard case let .object(object) = value else { Issue.record("not an object"); return }
        #expect(object.keys == ["b", "a", "s"])
        #expect(object["b"] == .array([.number("1"), .number("2.50"), .number("-3e2")]))
        #expect(object["a"] == .object(JSONObject([("x", .null), ("y", .bool(true))])))
        #expect(object["s"] == .string("é😀"))
    }

    @Test(arguments: [
        (#"{"a": 1,}"#, 8, "expected a string key, found '}'"),
        (#"{"a" 1}"#, 5, "expected ':' after an object key, found '1'"),
        (#"[1, 2"#, 5, "expected ',' or ']' in an array, found end of input"),
        (#""abc"#, 4, "unterminated string"),
        (#""a\qb""#, 3, "invalid escape '\\q' in a string"),
        (#"01"#, 1, "unexpected '1' after the JSON value"),
        (#"{"a": tru}"#, 6, "unexpected 't', expected a value"),
        ("\"tab\there\"", 4, "control character U+0009 inside a string must be escaped"),
    ])
    func reportsSyntaxErrorsWithOffsets(text: String, offset: Int, message: String) {
        #expect(throws: JSONSyntaxError(offset: offset, message: message)) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func aRepeatedKeyKeepsItsPlaceAndTakesTheLastValueInSmallAndLargeObjects() throws {
        for count in [3, 40] {
            let members = (0..<count).map { "\"k\($0)\": \($0)" } + ["\"k1\": \"again\"", "\"k\(count - 1)\": null"]
            let value = try JSONParser.parse(Array(("{" + members.joined(separator: ", ") + "}").utf8))
            guard case let .object(object) = value else { Issue.record("not an object"); return }
            #expect(object.keys == (0..<count).map { "k\($0)" })
            #expect(object["k1"] == .string("again") && object["k0"] == .number("0") && object["k\(count - 1)"] == .null)
        }
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONSyntaxError(offset: 513, message: "nesting deeper than 512 levels")) {
            try JSONParser.parse(Array(deep.utf8))
        }
    }

    @Test func lineAndColumnOfAnOffset() {
        let error = JSONSyntaxError(offset: 9, message: "x")
        #expect(error.position(in: Array("{\n  \"é\": x".utf8)) == (2, 7))
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try JSONParser.parse(Array(#""a\ud800b\udc00""#.utf8)) == .string("a\u{FFFD}b\u{FFFD}"))
    }

    @Test func stringBytesKeepInvalidUTF8ForLaterRepair() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x5C, 0x6E, 0x22]
        var out: [UInt8] = []
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer)
            try parser.parseStringBytes(into: &out)
        }
        #expect(out == [0x61, 0xFF, 0x0A])
    }
}

@Suite struct JSONWriterTests {
    @Test func escapesMinimallyAndRoundTrips() throws {
        let value = JSONValue.object(JSONObject([
            ("text", .string("quote \" backslash \\ newline \n tab \t bell \u{07} é 😀")),
            ("n", .number("1.50")), ("list", .array([.null, .bool(false)])),
        ]))
        let text = JSONWriter.serialize(value)
        #expect(text == #"{"text":"quote \" backslash \\ newline \n tab \t bell \u0007 é 😀","n":1.50,"list":[null,false]}"#)
        #expect(try JSONParser.parse(Array(text.utf8)) == value)
    }

    @Test func replacesInvalidUTF8() {
        var writer = JSONWriter()
        writer.write(utf8: [0x61, 0xC3, 0x28, 0xE2, 0x82, 0xAC])
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "\"a\u{FFFD}(€\"")
    }

    @Test func prettyPrintsWithTwoSpaces() {
        let value = JSONValue.object(JSONObject([("a", .array([.integer(1)])), ("b", .object(JSONObject()))]))
        #expect(JSONWriter.serialize(value, pretty: true) == "{\n  \"a\": [\n    1\n  ],\n  \"b\": {}\n}")
    }

    @Test func doublesUseTheShortestExactForm() {
        #expect(JSONValue.double(3) == .number("3"))
        #expect(JSONValue.double(0.1) == .number("0.1"))
        #expect(JSONValue.double(.nan) == .null)
    }
}
