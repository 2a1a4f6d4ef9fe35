import CurateIO
#if canImport(Glibc)
import Glibc
#endif

/// A fixed-size record that ``ExternalSorter`` can spill to disk.
public protocol SortRecord: Comparable, BitwiseCopyable, Sendable {}

/// Two 64-bit words ordered lexicographically.
public struct Pair64: SortRecord {
    public var first: UInt64
    public var second: UInt64

    public init(_ first: UInt64, _ second: UInt64) {
        self.first = first
        self.second = second
    }

    public static func < (l: Pair64, r: Pair64) -> Bool {
        (l.first, l.second) < (r.first, r.second)
    }
}

/// Three 64-bit words ordered lexicographically.
public struct Triple64: SortRecord {
    public var first: UInt64
    public var second: UInt64
    public var third: UInt64

    public init(_ first: UInt64, _ second: UInt64, _ third: UInt64) {
        self.first = first
        self.second = second
        self.third = third
    }

    public static func < (l: Triple64, r: Triple64) -> Bool {
        (l.first, l.second, l.third) < (r.first, r.second, r.third)
    }
}

/// Sorts more records than fit in memory: records are collected up to `memoryBytes`,
/// sorted and written as a run; `sorted` merges the runs.
///
/// The memory held never exceeds `memoryBytes` (or 16 records): the records are sorted in
/// place (equal records are identical, so the order is the same as a stable sort's).
final class ExternalSorter<R: SortRecord> {
    private let folder: String
    private let name: String
    private let capacity: Int
    /// Allocated once at `capacity`; only the pages records are written to become resident.
    private var storage: PageBuffer<R>?
    private var filled = 0
    private var runs: [String] = []
    private(set) var count = 0

    init(folder: String, name: String, memoryBytes: Int) {
        self.folder = folder
        self.name = name
        capacity = max(16, memoryBytes / MemoryLayout<R>.stride)
    }

    /// How many sorted runs were written to disk.
    private(set) var runCount = 0

    func add(_ record: R) throws(IOError) {
        let buffer = storage?.buffer ?? {
            let allocated = PageBuffer<R>(capacity: capacity)
            storage = allocated
            return allocated.buffer
        }()
        buffer[filled] = record
        filled += 1
        count += 1
        if filled == capacity { try spill() }
    }

    private func sortFilled() -> UnsafeMutableBufferPointer<R> {
        guard let records = storage?.buffer else { return UnsafeMutableBufferPointer(start: nil, count: 0) }
        let filledPart = UnsafeMutableBufferPointer(rebasing: records[..<filled])
        InPlaceSort.sort(filledPart)
        return filledPart
    }

    private func spill() throws(IOError) {
        let sorted = sortFilled()
        let path = "\(folder)/\(name).run\(runs.count)"
        let writer = try BinaryWriter(path: path)
        for record in sorted { try writer.write(record) }
        try writer.finish()
        runs.append(path)
        runCount += 1
        filled = 0
    }

    private func release() {
        storage = nil
        filled = 0
    }

    /// Calls `body` with every record in ascending order, then deletes the runs.
    func sorted(_ body: (R) throws -> Void) throws {
        if runs.isEmpty {
            for record in sortFilled() { try body(record) }
            release()
            return
        }
        if filled > 0 { try spill() }
        release()
        // Each run is read through its own buffer; the runs share the budget.
        let bufferSize = max(4096, capacity * MemoryLayout<R>.stride / max(1, runs.count))
        let readers = try runs.map { path throws(IOError) in try BinaryReader(path: path, bufferSize: bufferSize) }
        var heap = MergeHeap<R>()
        for (index, reader) in readers.enumerated() where try !reader.atEnd() {
            heap.push(try reader.read(R.self), source: index)
        }
        while let (record, source) = heap.pop() {
            try body(record)
            let reader = readers[source]
            if try !reader.atEnd() { heap.push(try reader.read(R.self), source: source) }
        }
        for path in runs { _ = path.withCString { unlink($0) } }
        runs = []
    }
}

/// Introsort without extra memory: quicksort on the median of three, insertion sort for
/// short ranges, heapsort when the recursion gets too deep.
enum InPlaceSort {
    static func sort<R: Comparable>(_ items: UnsafeMutableBufferPointer<R>) {
        guard items.count > 1 else { return }
        var depth = 0, n = items.count
        while n > 0 { depth += 2; n >>= 1 }
        quicksort(items, 0, items.count, depth)
    }

    private static func quicksort<R: Comparable>(_ a: UnsafeMutableBufferPointer<R>, _ low: Int, _ high: Int, _ depth: Int) {
        var low = low, high = high, depth = depth
        while high - low > 16 {
            if depth == 0 {
                heapsort(UnsafeMutableBufferPointer(rebasing: a[low..<high]))
                return
            }
            depth -= 1
            let mid = low + (high - low) / 2
            if a[mid] < a[low] { a.swapAt(mid, low) }
            if a[high - 1] < a[low] { a.swapAt(high - 1, low) }
            if a[high - 1] < a[mid] { a.swapAt(high - 1, mid) }
            let pivot = a[mid]
            var i = low, j = high - 1
            while true {
                while a[i] < pivot { i += 1 }
                while pivot < a[j] { j -= 1 }
                if i >= j { break }
                a.swapAt(i, j)
                i += 1
                j -= 1
            }
            // Recurse into the smaller side, loop on the larger.
            if j + 1 - low < high - (j + 1) {
                quicksort(a, low, j + 1, depth)
                low = j + 1
            } else {
                quicksort(a, j + 1, high, depth)
                high = j + 1
            }
        }
        for i in (low + 1)..<max(low + 1, high) {
            let item = a[i]
            var j = i
            while j > low, item < a[j - 1] {
                a[j] = a[j - 1]
                j -= 1
            }
            a[j] = item
        }
    }

    private static func heapsort<R: Comparable>(_ a: UnsafeMutableBufferPointer<R>) {
        func siftDown(_ start: Int, _ end: Int) {
            var root = start
            while 2 * root + 1 < end {
                var child = 2 * root + 1
                if child + 1 < end, a[child] < a[child + 1] { child += 1 }
                guard a[root] < a[child] else { return }
                a.swapAt(root, child)
                root = child
            }
        }
        for start in stride(from: a.count / 2 - 1, through: 0, by: -1) { siftDown(start, a.count) }
        for end in stride(from: a.count - 1, to: 0, by: -1) {
            a.swapAt(0, end)
            siftDown(0, end)
        }
    }
}

/// A binary min-heap of records tagged with the run they came from; ties go to the lower run.
struct MergeHeap<R: Comparable> {
    private var items: [(R, Int)] = []

    private static func less(_ x: (R, Int), _ y: (R, Int)) -> Bool {
        x.0 < y.0 || (x.0 == y.0 && x.1 < y.1)
    }

    mutating func push(_ record: R, source: Int) {
        items.append((record, source))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.less(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (R, Int)? {
        guard !items.isEmpty else { return nil }
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var smallest = i
                if l < items.count, Self.less(items[l], items[smallest]) { smallest = l }
                if r < items.count, Self.less(items[r], items[smallest]) { smallest = r }
                if smallest == i { break }
                items.swapAt(i, smallest)
                i = smallest
            }
        }
        return top
    }
}
