import CurateIngest

extension FuzzTarget {
    /// The wikitext to plain text converter. Invariant: the output is valid UTF-8 when the
    /// input is.
    static let wikitext = FuzzTarget(name: "wikitext") { input in
        let text = WikitextConverter(fileNamespaces: ["File", "Image"], categoryNamespaces: ["Category"]).plainText(input)
        if String(validating: input, as: UTF8.self) != nil {
            precondition(String(validating: text, as: UTF8.self) != nil, "valid UTF-8 in, invalid UTF-8 out")
        }
    }
}
