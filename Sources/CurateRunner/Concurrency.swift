import Foundation

/// A FIFO queue with a capacity: `push` waits while it is full, `pop` while it is empty.
/// `close` wakes every waiter; after it, `pop` drains what is left and then returns nil.
final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private let capacity: Int
    private var closed = false

    init(capacity: Int) { self.capacity = capacity }

    /// Adds `item`; returns false if the queue was closed.
    @discardableResult
    func push(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity, !closed { condition.wait() }
        guard !closed else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count, !closed { condition.wait() }
        guard head < items.count else { return nil }
        let item = items[head]
        head += 1
        if head > 64, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return item
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Results that arrive in any order and leave in sequence order.
final class ReorderBuffer<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [Int: Element] = [:]
    private var closed = false

    func put(_ sequence: Int, _ item: Element) {
        condition.lock()
        waiting[sequence] = item
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the item numbered `sequence`; nil once closed.
    func take(_ sequence: Int) -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while waiting[sequence] == nil, !closed { condition.wait() }
        return waiting.removeValue(forKey: sequence)
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// A value shared between threads behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

/// Starts `body` on a new thread and returns a handle to wait for it.
func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) -> ThreadHandle {
    let handle = ThreadHandle()
    let thread = Thread {
        body()
        handle.finish()
    }
    thread.name = name
    thread.stackSize = 8 << 20
    thread.start()
    return handle
}

final class ThreadHandle: @unchecked Sendable {
    private let condition = NSCondition()
    private var done = false

    func finish() {
        condition.lock()
        done = true
        condition.broadcast()
        condition.unlock()
    }

    func join() {
        condition.lock()
        while !done { condition.wait() }
        condition.unlock()
    }
}
