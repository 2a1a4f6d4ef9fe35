/// An Aho-Corasick automaton over bytes: finds every occurrence of a set of byte strings in
/// one pass over a text.
///
/// Transitions are a dense table over byte classes (the distinct bytes the patterns use,
/// plus one class for every other byte), so a step is two array reads. The automaton is
/// immutable once built and safe to share between threads.
public struct AhoCorasick: Sendable {
    /// The state before any byte has been read.
    public static let start: Int32 = 0

    /// The patterns, as given.
    public let patterns: [[UInt8]]
    /// The class of each byte: 0 for bytes no pattern uses, else 1 up to `classCount - 1`.
    let byteClass: [UInt8]
    let classCount: Int
    private let delta: [Int32]
    /// For each state, where its own patterns start in `outputs` (patterns that end exactly
    /// at the state); `outputStart[s + 1]` ends them.
    private let outputStart: [Int32]
    private let outputs: [Int32]
    /// For each state, the nearest proper suffix state that has its own patterns, or -1.
    private let outputLink: [Int32]
    /// Whether any pattern ends at the state (its own or through `outputLink`).
    private let matches: [Bool]
    /// The length of the state's string: its depth in the trie of the patterns.
    private let depth: [Int32]

    /// Builds the automaton for `patterns`; empty patterns never match.
    public init(patterns: [[UInt8]]) {
        self.patterns = patterns
        var byteClass = [UInt8](repeating: 0, count: 256)
        var classes = 1
        for pattern in patterns {
            for byte in pattern where byteClass[Int(byte)] == 0 {
                byteClass[Int(byte)] = UInt8(classes)
                classes += 1
            }
        }
        self.byteClass = byteClass
        classCount = classes

        // The trie, with -1 for a missing edge. (Plain loops over indices: these run once per
        // list, and stay fast in debug builds too.)
        var delta = [Int32](repeating: -1, count: classes)
        var own: [[Int32]] = [[]]
        var depth: [Int32] = [0]
        let missing = [Int32](repeating: -1, count: classes)
        for (index, pattern) in patterns.enumerated() where !pattern.isEmpty {
            var state = 0
            for byte in pattern {
                let slot = state * classes + Int(byteClass[Int(byte)])
                if delta[slot] < 0 {
                    delta[slot] = Int32(own.count)
                    own.append([])
                    depth.append(depth[state] + 1)
                    delta += missing
                }
                state = Int(delta[slot])
            }
            own[state].append(Int32(index))
        }
        let stateCount = own.count
        let hasOwn = own.map { !$0.isEmpty }

        // Breadth-first: failure links, completed transitions, output links.
        var outputLink = [Int32](repeating: -1, count: stateCount)
        delta.withUnsafeMutableBufferPointer { delta in
            outputLink.withUnsafeMutableBufferPointer { outputLink in
                var failure = [Int32](repeating: 0, count: stateCount)
                var queue = [Int32](repeating: 0, count: stateCount)
                var tail = 0
                var c = 0
                while c < classes {
                    if delta[c] < 0 {
                        delta[c] = 0
                    } else {
                        queue[tail] = delta[c]
                        tail += 1
                    }
                    c += 1
                }
                var head = 0
                while head < tail {
                    let state = Int(queue[head])
                    head += 1
                    let fail = Int(failure[state])
                    outputLink[state] = hasOwn[fail] ? Int32(fail) : outputLink[fail]
                    let row = state * classes, failRow = fail * classes
                    c = 0
                    while c < classes {
                        let next = delta[row + c]
                        if next < 0 {
                            delta[row + c] = delta[failRow + c]
                        } else {
                            failure[Int(next)] = delta[failRow + c]
                            queue[tail] = next
                            tail += 1
                        }
                        c += 1
                    }
                }
            }
        }
        self.delta = delta
        self.outputLink = outputLink
        var outputStart: [Int32] = [0]
        var outputs: [Int32] = []
        for ids in own {
            outputs += ids
            outputStart.append(Int32(outputs.count))
        }
        self.outputStart = outputStart
        self.outputs = outputs
        var matches = hasOwn
        for state in matches.indices where outputLink[state] >= 0 { matches[state] = true }
        self.matches = matches
        self.depth = depth
    }

    /// The number of states.
    public var stateCount: Int { matches.count }

    /// A view of the transition table for stepping through a text; valid only inside
    /// ``withStepper(_:)``.
    public struct Stepper {
        fileprivate let delta: UnsafeBufferPointer<Int32>
        fileprivate let byteClass: UnsafeBufferPointer<UInt8>
        fileprivate let matches: UnsafeBufferPointer<Bool>
        fileprivate let depth: UnsafeBufferPointer<Int32>
        fileprivate let outputStart: UnsafeBufferPointer<Int32>
        fileprivate let classCount: Int

        /// The state after reading `byte` in `state`.
        @inline(__always)
        public func next(_ state: Int32, _ byte: UInt8) -> Int32 {
            delta[Int(state) &* classCount &+ Int(byteClass[Int(byte)])]
        }

        /// Whether some pattern ends at `state`.
        @inline(__always)
        public func hasMatch(_ state: Int32) -> Bool { matches[Int(state)] }

        /// The trie child of `state` for `byte`: the state one byte deeper, or nil when no
        /// pattern continues the state's string with `byte`.
        @inline(__always)
        public func child(_ state: Int32, _ byte: UInt8) -> Int32? {
            let next = self.next(state, byte)
            return depth[Int(next)] == depth[Int(state)] &+ 1 ? next : nil
        }

        /// Whether a pattern is exactly the state's string.
        @inline(__always)
        public func isPattern(_ state: Int32) -> Bool { outputStart[Int(state)] != outputStart[Int(state) + 1] }
    }

    /// Runs `body` with a stepper over this automaton's tables.
    @inline(__always)
    public func withStepper<R>(_ body: (Stepper) -> R) -> R {
        delta.withUnsafeBufferPointer { d in
            byteClass.withUnsafeBufferPointer { b in
                matches.withUnsafeBufferPointer { m in
                    depth.withUnsafeBufferPointer { depth in
                        outputStart.withUnsafeBufferPointer { outputStart in
                            body(Stepper(delta: d, byteClass: b, matches: m, depth: depth, outputStart: outputStart, classCount: classCount))
                        }
                    }
                }
            }
        }
    }

    /// Calls `body` with the index of every pattern that ends at `state`, longest first.
    @inline(__always)
    public func forEachPattern(endingAt state: Int32, _ body: (Int32) -> Void) {
        var s = Int(state)
        if outputStart[s] == outputStart[s + 1] { s = Int(outputLink[s]) }
        while s >= 0 {
            for k in Int(outputStart[s])..<Int(outputStart[s + 1]) { body(outputs[k]) }
            s = Int(outputLink[s])
        }
    }

    /// Calls `body` with the index of every pattern that is exactly the string of `state`.
    @inline(__always)
    public func forEachPattern(at state: Int32, _ body: (Int32) -> Void) {
        for k in Int(outputStart[Int(state)])..<Int(outputStart[Int(state) + 1]) { body(outputs[k]) }
    }
}
