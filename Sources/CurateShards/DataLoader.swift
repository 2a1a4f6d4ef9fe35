import Foundation

/// Training windows from a shard set, for one rank of a data-parallel job.
///
/// The set's tokens form one stream of `N` tokens. Window `i` is tokens
/// `[i * context, i * context + context + 1)`: inputs are its first `context` tokens and
/// targets its last `context`, so every token after the first is a target exactly once per
/// epoch and there are `(N - 1) / context` windows (the tail too short for a window is left
/// out). Each epoch visits the windows in an order fixed by `seed` and the epoch number (or
/// in stream order without shuffling); slot `k` of that order goes to rank `k % worldSize`,
/// so the ranks' windows are disjoint and together cover the epoch (ranks below
/// `windows % worldSize` get one window more).
///
/// Batches are read ahead on a background thread, at most `prefetch` of them; memory stays
/// bounded by those batches plus a few decompressed frames per shard. `cursor` says how far
/// the consumer has got; a loader built from it continues with exactly the windows that
/// were still to come.
public final class DataLoader {
    public struct Options: Sendable {
        /// Tokens of input per window; a window holds `context + 1` tokens.
        public var context: Int
        /// Windows per batch; the last batch of an epoch may hold fewer.
        public var batchSize: Int
        public var seed: UInt64
        public var shuffle: Bool
        public var rank: Int
        public var worldSize: Int
        /// Epochs to deliver, or nil for no end.
        public var epochs: Int?
        /// Batches read ahead.
        public var prefetch: Int

        public init(context: Int, batchSize: Int = 1, seed: UInt64 = 0, shuffle: Bool = true, rank: Int = 0, worldSize: Int = 1, epochs: Int? = 1, prefetch: Int = 4) {
            self.context = context
            self.batchSize = batchSize
            self.seed = seed
            self.shuffle = shuffle
            self.rank = rank
            self.worldSize = worldSize
            self.epochs = epochs
            self.prefetch = prefetch
        }
    }

    /// Consecutive windows of one rank, all from one epoch.
    public struct Batch: Sendable {
        /// `windows * (context + 1)` ids, window after window.
        public var tokens: [UInt32]
        public var windows: Int
        /// The global window numbers, in order (window `i` starts at token `i * context`).
        public var windowNumbers: [Int]
        public var epoch: Int
        /// The cursor once this batch is consumed.
        public var cursor: DataLoaderCursor
    }

    public let options: Options
    /// Windows in one epoch, over all ranks.
    public let windowsPerEpoch: Int
    /// Windows this rank gets per epoch.
    public let rankWindowsPerEpoch: Int
    /// Where the consumer stands: after the last batch `next()` returned.
    public private(set) var cursor: DataLoaderCursor
    private let queue: PrefetchQueue

    /// Opens the shard set in `directory`; starts at the beginning, or where `resume` says.
    public init(directory: String, options: Options, resume: DataLoaderCursor? = nil) throws(ShardError) {
        guard options.context > 0 else { throw ShardError(path: directory, "context \(options.context) must be positive") }
        guard options.batchSize > 0 else { throw ShardError(path: directory, "batch size \(options.batchSize) must be positive") }
        guard options.worldSize > 0, (0..<options.worldSize).contains(options.rank) else {
            throw ShardError(path: directory, "rank \(options.rank) is not in 0..<world size \(options.worldSize)")
        }
        let set = try ShardSet(directory: directory)
        let windows = max(0, set.tokenCount - 1) / options.context
        guard windows >= options.worldSize else {
            throw ShardError(path: directory, "\(set.tokenCount) tokens make \(windows) windows of \(options.context + 1) tokens, fewer than the \(options.worldSize) ranks")
        }
        self.options = options
        windowsPerEpoch = windows
        rankWindowsPerEpoch = (windows - options.rank + options.worldSize - 1) / options.worldSize
        let start = DataLoaderCursor(
            tokens: set.tokenCount, context: options.context, seed: options.seed, shuffle: options.shuffle,
            rank: options.rank, worldSize: options.worldSize, epoch: 0, position: 0)
        if let resume {
            var expected = resume
            expected.epoch = 0
            expected.position = 0
            guard expected == start else {
                throw ShardError(path: directory, "the cursor \(resume.json()) was made for other data or options than \(start.json())")
            }
            guard resume.position <= rankWindowsPerEpoch else {
                throw ShardError(path: directory, "the cursor's position \(resume.position) is past the \(rankWindowsPerEpoch) windows of rank \(options.rank)")
            }
        }
        cursor = resume ?? start
        queue = PrefetchQueue(capacity: max(1, options.prefetch))
        let producer = BatchProducer(set: set, options: options, windows: windows, rankWindows: rankWindowsPerEpoch, start: cursor, queue: queue)
        let thread = Thread { producer.run() }
        thread.name = "curate-dataloader"
        thread.start()
    }

    deinit { queue.close() }

    /// The next batch, or nil after the last epoch.
    public func next() throws(ShardError) -> Batch? {
        switch queue.pop() {
        case let .batch(batch)?:
            cursor = batch.cursor
            return batch
        case let .failure(error)?: throw error
        case nil: return nil
        }
    }
}

/// The work of the prefetch thread: reads batches in order into the queue until the last
/// epoch ends or the loader goes away.
private final class BatchProducer: @unchecked Sendable {
    private let set: ShardSet
    private let options: DataLoader.Options
    private let windows: Int
    private let rankWindows: Int
    private var cursor: DataLoaderCursor
    private let queue: PrefetchQueue

    init(set: ShardSet, options: DataLoader.Options, windows: Int, rankWindows: Int, start: DataLoaderCursor, queue: PrefetchQueue) {
        self.set = set
        self.options = options
        self.windows = windows
        self.rankWindows = rankWindows
        cursor = start
        self.queue = queue
    }

    func run() {
        let span = options.context + 1
        while options.epochs.map({ cursor.epoch < $0 }) ?? true {
            let permutation = WindowPermutation(count: windows, seed: options.seed, epoch: cursor.epoch)
            while cursor.position < rankWindows {
                let count = min(options.batchSize, rankWindows - cursor.position)
                var tokens = [UInt32](repeating: 0, count: count * span)
                var numbers: [Int] = []
                numbers.reserveCapacity(count)
                do {
                    try wrap { try tokens.withUnsafeMutableBufferPointer { buffer in
                        for k in 0..<count {
                            let slot = (cursor.position + k) * options.worldSize + options.rank
                            let window = options.shuffle ? permutation(slot) : slot
                            numbers.append(window)
                            try set.read((window * options.context)..<(window * options.context + span), into: buffer.baseAddress! + k * span)
                        }
                    } }
                } catch {
                    _ = queue.push(.failure(error))
                    queue.finish()
                    return
                }
                cursor.position += count
                var after = cursor
                if after.position == rankWindows {
                    after.epoch += 1
                    after.position = 0
                }
                let batch = DataLoader.Batch(tokens: tokens, windows: count, windowNumbers: numbers, epoch: cursor.epoch, cursor: after)
                guard queue.push(.batch(batch)) else { return }
            }
            cursor.epoch += 1
            cursor.position = 0
        }
        queue.finish()
    }
}

/// A bounded queue between the prefetch thread and the consumer.
private final class PrefetchQueue: @unchecked Sendable {
    enum Item { case batch(DataLoader.Batch), failure(ShardError) }

    private let condition = NSCondition()
    private var items: [Item] = []
    private var head = 0
    private var finished = false
    private var closed = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Waits for room; false when the consumer has gone.
    func push(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity, !closed { condition.wait() }
        if closed { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Waits for an item; nil once the producer has finished and everything was taken.
    func pop() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count, !finished { condition.wait() }
        if head == items.count { return nil }
        let item = items[head]
        head += 1
        if head > 64, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return item
    }

    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
