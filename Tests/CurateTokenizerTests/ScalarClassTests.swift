import CurateCore
@testable import CurateTokenizer
import Testing

@Suite struct ScalarClassTests {
    /// The table skips the scalars outside `AssignedScalars.ranges`: they must all be unassigned
    /// or private use, without white space, so that no class is the right answer (one in 7 checked).
    @Test func scalarsOutsideTheAssignedRangesHaveNoClass() {
        var checked = 0
        for value in stride(from: UInt32(0), to: 0x110000, by: 7)
        where !AssignedScalars.ranges.contains(where: { $0.contains(value) }) {
            let properties = Unicode.Scalar(value)!.properties
            #expect([.unassigned, .privateUse].contains(properties.generalCategory) && !properties.isWhitespace, "U+\(String(value, radix: 16))")
            #expect(ScalarClass.lookup(value) == 0)
            checked += 1
        }
        #expect(checked == 121_635)
    }

    @Test func classesOfScalarsInTheAssignedRanges() {
        #expect(ScalarClass.lookup(0x41) == ScalarClass.letter | ScalarClass.upper)
        #expect(ScalarClass.lookup(0x3000) == ScalarClass.space)
        #expect(ScalarClass.lookup(0x323AF) == ScalarClass.letter | ScalarClass.upper | ScalarClass.lower)
        #expect(ScalarClass.lookup(0xE0100) == ScalarClass.upper | ScalarClass.lower)
        #expect(ScalarClass.lookup(0xF0000) == 0)
    }
}
