import CurateIO

/// The cluster of every document of a barrier, one 32-bit entry per document (see
/// ``DocumentArray``), indexed by dense document number.
///
/// While clusters are being joined (``union(_:_:)``) an entry is the document's parent in a
/// union-find forest whose roots are the smallest number of their set, or ``none``. Once
/// ``close(keeping:)`` ran (or when built with ``addMember(_:kept:)``), a member's entry is
/// its kept document's number and a kept document's entry is ``rootFlag`` plus its
/// cluster's size.
final class ClusterTable {
    /// The entry of a document in no cluster.
    static let none = UInt32.max
    /// Marks the entry of a cluster's kept document; the low bits count its members.
    static let rootFlag: UInt32 = 1 << 31

    private let entries: DocumentArray
    var count: Int { entries.count }
    var isOnDisk: Bool { entries.isOnDisk }

    /// The bytes a table of `count` documents takes in memory.
    static func bytes(count: Int) -> Int { count * MemoryLayout<UInt32>.stride }

    init(count: Int, memoryBytes: Int, folder: String) throws(IOError) {
        entries = try DocumentArray(count: count, repeating: Self.none, memoryBytes: memoryBytes, path: "\(folder)/clusters.table")
    }

    // MARK: Joining pairs

    /// The root of `x`'s set (the smallest number in it), compressing the path.
    private func find(_ x: Int) throws(IOError) -> Int {
        var root = x
        while true {
            let parent = Int(try entries.get(root))
            if parent == root { break }
            root = parent
        }
        var node = x
        while node != root {
            let parent = Int(try entries.get(node))
            try entries.set(node, UInt32(root))
            node = parent
        }
        return root
    }

    /// Joins the sets of documents `a` and `b`.
    func union(_ a: Int, _ b: Int) throws(IOError) {
        if try entries.get(a) == Self.none { try entries.set(a, UInt32(a)) }
        if try entries.get(b) == Self.none { try entries.set(b, UInt32(b)) }
        let ra = try find(a), rb = try find(b)
        if ra == rb { return }
        if ra < rb { try entries.set(rb, UInt32(ra)) } else { try entries.set(ra, UInt32(rb)) }
    }

    /// Turns the forest into kept documents and members. Each member (in ascending order)
    /// stays in its cluster only if `keeping(member, kept)`; returns how many left.
    func close(keeping: (Int, Int) throws -> Bool) throws -> Int {
        // A parent is never larger than its child, so one ascending pass points every
        // member at its root.
        for i in 0..<count {
            let parent = Int(try entries.get(i))
            if parent == Int(Self.none) || parent == i { continue }
            try entries.set(i, try entries.get(parent))
        }
        var left = 0
        for i in 0..<count {
            let root = try entries.get(i)
            if root == Self.none { continue }
            if Int(root) == i {
                try entries.set(i, Self.rootFlag | 1)
            } else if try keeping(i, Int(root)) {
                try entries.set(Int(root), try entries.get(Int(root)) + 1)
            } else {
                try entries.set(i, Self.none)
                left += 1
            }
        }
        return left
    }

    // MARK: Building closed clusters directly

    /// Makes `member` a member of the cluster kept by `kept` (a smaller number).
    func addMember(_ member: Int, kept: Int) throws(IOError) {
        let entry = try entries.get(kept)
        try entries.set(kept, entry == Self.none ? Self.rootFlag | 2 : entry + 1)
        try entries.set(member, UInt32(kept))
    }

    // MARK: Reading

    /// Calls `body(document, kept)` for every document in a cluster of two or more, in
    /// ascending order; `kept == document` for the kept one, which comes first in its cluster.
    func forEachMember(_ body: (Int, Int) throws -> Void) throws {
        for i in 0..<count {
            let entry = try entries.get(i)
            if entry == Self.none { continue }
            if entry & Self.rootFlag != 0 {
                if entry & ~Self.rootFlag >= 2 { try body(i, i) }
            } else {
                try body(i, Int(entry))
            }
        }
    }

    /// The size of the cluster `kept` keeps (1 for a kept document whose members all left).
    func size(kept: Int) throws(IOError) -> Int {
        Int(try entries.get(kept) & ~Self.rootFlag)
    }
}
