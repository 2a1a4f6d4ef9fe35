/// Runs `body`, which can only throw `E` but goes through a closure API that erases the
/// error type (such as `withUnsafeBytes`), and throws the error with its type restored.
public func restoringErrorType<T, E: Error>(_: E.Type, _ body: () throws -> T) throws(E) -> T {
    do {
        return try body()
    } catch let error as E {
        throw error
    } catch {
        preconditionFailure("unexpected error \(error)")
    }
}
