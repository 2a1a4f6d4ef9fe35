import CurateCore
import Foundation

/// Named groups of terms (gendered words, religions, nationalities…) and which groups a text
/// mentions: any term of the group as a whole word, ignoring case (see ``TermMatcher``).
///
/// Read from a JSON object, group name -> array of terms, in the file's order; at most 64
/// groups, so that the groups a text mentions fit in a bit mask (bit i for group i).
/// Immutable once loaded and safe to share between threads.
public struct TermGroups: Sendable {
    /// The bundled default groups.
    public static let defaultPath = "resource:terms/default.json"

    /// The group names; bit i of a mask stands for `names[i]`.
    public let names: [String]
    private let matcher: TermMatcher
    /// The groups of each term of the matcher.
    private let termMasks: [UInt64]
    private let allGroups: UInt64

    /// Groups from (name, terms) pairs; at most 64.
    public init(_ groups: [(name: String, terms: [String])]) {
        precondition(groups.count <= 64, "at most 64 term groups")
        names = groups.map(\.name)
        var terms: [String] = []
        var masks: [UInt64] = []
        for (index, group) in groups.enumerated() {
            for term in group.terms {
                terms.append(term)
                masks.append(1 << UInt64(index))
            }
        }
        matcher = TermMatcher(terms: terms)
        termMasks = masks
        allGroups = groups.isEmpty ? 0 : UInt64.max >> UInt64(64 - groups.count)
    }

    /// Reads groups from the JSON file at `path`; errors name `option`.
    public static func load(_ path: String, option: String = "groups") throws(OptionError) -> TermGroups {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OptionError(key: option, "cannot read \(path)")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(data))
        } catch {
            throw OptionError(key: option, "\(path) is not valid JSON: \(error)")
        }
        guard case let .object(object) = value else {
            throw OptionError(key: option, "\(path): expected an object of group name -> array of terms, got \(value.typeName)")
        }
        var groups: [(name: String, terms: [String])] = []
        for (name, terms) in object {
            guard case let .array(items) = terms else {
                throw OptionError(key: option, "\(path): group \"\(name)\" must be an array of strings, got \(terms.typeName)")
            }
            var list: [String] = []
            for item in items {
                guard case let .string(term) = item, !term.isEmpty else {
                    throw OptionError(key: option, "\(path): group \"\(name)\" holds \(item.brief), expected non-empty strings")
                }
                list.append(term)
            }
            groups.append((name, list))
        }
        if groups.count > 64 { throw OptionError(key: option, "\(path) has \(groups.count) groups; at most 64 are supported") }
        return TermGroups(groups)
    }

    /// The groups that `text` mentions, as a bit mask over ``names``.
    public func groups(in text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var mask: UInt64 = 0
        let all = allGroups
        termMasks.withUnsafeBufferPointer { termMasks in
            matcher.forEachMatch(in: text) { term in
                mask |= termMasks[term]
                return mask != all
            }
        }
        return mask
    }

    /// The names of the groups in `mask`, in file order.
    public func names(in mask: UInt64) -> [String] {
        names.indices.filter { mask & (1 << UInt64($0)) != 0 }.map { names[$0] }
    }
}
