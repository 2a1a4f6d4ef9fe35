import CurateCore

/// Annotates `metadata.term_groups` with the names of the term groups the document mentions
/// (see ``TermGroups``) and keeps every document.
public struct AuditTermsStage: Stage {
    public let groups: TermGroups

    public init(groups: TermGroups) { self.groups = groups }

    public static let definition = StageDefinition(
        type: "audit_terms",
        summary: "Annotate metadata.term_groups with the term groups (gender, religion, ...) a document mentions.",
        parameters: [
            Parameter("groups", .path, default: .string(TermGroups.defaultPath),
                      "JSON object of group name -> array of terms (whole words, any case)."),
        ]
    ) { options throws(OptionError) in
        guard let path = options.path("groups") else { throw OptionError(key: "groups", "is required") }
        return AuditTermsStage(groups: try TermGroups.load(path))
    }

    public func process(_ document: inout Document) -> Verdict {
        let mask = document.text.withUnsafeBufferPointer { groups.groups(in: $0) }
        document.metadata["term_groups"] = .array(groups.names(in: mask).map { .string($0) })
        return .keep
    }
}
