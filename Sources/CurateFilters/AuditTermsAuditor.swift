import CurateCore

/// With an `audit_terms` stage in a pipeline, the runner counts the documents mentioning each
/// of its term groups that every later stage drops (the representation audit).
extension AuditTermsStage: TermGroupAuditor {
    public var groupNames: [String] { groups.names }

    public func groups(in text: UnsafeBufferPointer<UInt8>) -> UInt64 { groups.groups(in: text) }
}
