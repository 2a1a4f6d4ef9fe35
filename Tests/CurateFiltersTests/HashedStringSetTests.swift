@testable import CurateFilters
import Testing

@Suite struct HashedStringSetTests {
    @Test func holdsEveryEntryOfARealListAndNoNeighbour() throws {
        // The rule lines of the bundled Public Suffix List: 9,753 distinct strings.
        let text = try SafetyFixtures.text("../../../resources/url_filter/public_suffix_list.dat")
        let entries = Set(text.split(separator: "\n").filter { !$0.hasPrefix("//") }.map { Array($0.utf8) })
        #expect(entries.count == 9753)
        let set = HashedStringSet(hashes: entries.map(HashedStringSet.hash))
        #expect(set.count == entries.count)
        #expect(entries.filter { !set.contains(hash: HashedStringSet.hash($0)) }.isEmpty)
        let neighbours = entries.flatMap { [$0 + [UInt8(ascii: "x")], Array($0.dropLast()), [UInt8(ascii: "a")] + $0] }
            .filter { !entries.contains($0) }
        #expect(neighbours.count > 2 * entries.count)
        #expect(neighbours.filter { set.contains(hash: HashedStringSet.hash($0)) }.isEmpty)
    }

    @Test func largeTablesAnswerAsSmallOnes() {
        // 150,000 entries: a 4 MB table and a 256 KB bit array, given 2 MB pages where the kernel allows.
        let members = (0..<150_000).map { Array("member-\($0).example".utf8) }
        let set = HashedStringSet(hashes: members.map(HashedStringSet.hash) + members.prefix(10).map(HashedStringSet.hash))
        #expect(set.count == 150_000)
        #expect(members.filter { !set.contains(hash: HashedStringSet.hash($0)) }.isEmpty)
        #expect((0..<150_000).filter { set.contains(hash: HashedStringSet.hash(Array("other-\($0).example".utf8))) }.isEmpty)
    }

    @Test func emptySetHoldsNothing() {
        let set = HashedStringSet(hashes: [])
        #expect(set.count == 0)
        #expect(!set.contains(hash: HashedStringSet.hash([])))
        #expect(!set.contains(hash: HashedStringSet.hash(Array("a".utf8))))
    }

    @Test func hashDependsOnlyOnTheBytes() {
        // A slice hashed with the bytes after it readable gives the hash of a copy of it.
        let text = Array("https://www.example.com/some/path/of-a-page.html?query=1".utf8)
        text.withUnsafeBufferPointer { buffer in
            for start in 0..<text.count {
                for end in start...text.count {
                    let slice = UnsafeBufferPointer(rebasing: buffer[start..<end])
                    let copy = HashedStringSet.hash(Array(slice))
                    #expect(HashedStringSet.hash(slice, readableEnd: text.count - start) == copy)
                    #expect(HashedStringSet.hash(slice) == copy)
                }
            }
        }
        #expect(HashedStringSet.hash(Array("ab".utf8)) != HashedStringSet.hash(Array("ab\u{0}".utf8)))
    }

    /// Lower-casing eight bytes at a time hashes as the lower-cased bytes do: every byte at
    /// every place of texts of 1 to 20 bytes (tails read in every way).
    @Test func lowercasingHashIsTheHashOfTheLowercasedBytes() {
        for length in 1...20 {
            for byte in 0...255 {
                var bytes = (0..<length).map { UInt8(0x41 + ($0 * 7) % 58) }
                bytes[(byte * 3) % length] = UInt8(byte)
                let lowered = bytes.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
                #expect(bytes.withUnsafeBufferPointer { HashedStringSet.hash(lowercasingASCII: $0) } == HashedStringSet.hash(lowered))
            }
        }
        #expect([UInt8]().withUnsafeBufferPointer { HashedStringSet.hash(lowercasingASCII: $0) } == HashedStringSet.hash([]))
    }

    /// The one-load hash of fewer than eight bytes is the lower-cased bytes' hash, whatever
    /// bytes follow them in the load.
    @Test func shortLowercasingHashIsTheHashOfTheLowercasedBytes() {
        for length in 0..<8 {
            for byte in 0...255 {
                var bytes = (0..<8).map { UInt8(0x41 + ($0 * 7) % 58) }
                bytes[(byte * 3) % 8] = UInt8(byte)
                let lowered = bytes[..<length].map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
                let short = bytes.withUnsafeBytes { HashedStringSet.hash(lowercasingASCIIShort: $0.baseAddress!, count: length) }
                #expect(short == HashedStringSet.hash(lowered))
            }
        }
    }
}
