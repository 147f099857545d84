/// A document that could not be made: the message says what went wrong, never what it held.
public struct DocumentError: Error, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
