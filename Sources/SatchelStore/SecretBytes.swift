internal import CSodium

/// Bytes that must never be swapped, dumped or left behind: keys and passphrases.
///
/// The buffer comes from `sodium_malloc` (guard pages, `mlock`, excluded from core
/// dumps where the kernel allows it) and is zeroed by `wipe()` and again when freed.
/// One owner, never shared across threads.
public final class SecretBytes {
    private let pointer: UnsafeMutableRawPointer
    /// How many bytes are in use (at most the capacity).
    public private(set) var count: Int
    public let capacity: Int
    public private(set) var isWiped = false

    /// A zeroed buffer of `capacity` bytes, `count` zero.
    public init(capacity: Int) throws(VaultError) {
        Sodium.ensureReady()
        guard capacity > 0, let p = sodium_malloc(capacity) else {
            throw VaultError(.storage, "Couldn't allocate protected memory for a key. Close other programs and try again.")
        }
        sodium_memzero(p, capacity)
        pointer = p
        self.capacity = capacity
        count = 0
    }

    /// A buffer filled with `count` random bytes.
    public static func random(count: Int) throws(VaultError) -> SecretBytes {
        let s = try SecretBytes(capacity: count)
        randombytes_buf(s.pointer, count)
        s.count = count
        return s
    }

    /// A copy of `bytes`. For tests and for short-lived values; the source is the caller's to wipe.
    public convenience init(copying bytes: some Collection<UInt8>) throws(VaultError) {
        try self.init(capacity: max(bytes.count, 1))
        for (i, b) in bytes.enumerated() { pointer.storeBytes(of: b, toByteOffset: i, as: UInt8.self) }
        count = bytes.count
    }

    /// Appends one byte; false when the buffer is full.
    public func append(_ byte: UInt8) -> Bool {
        guard !isWiped, count < capacity else { return false }
        pointer.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
        return true
    }

    /// Removes the last byte (a trailing carriage return, say).
    public func removeLast() {
        guard count > 0 else { return }
        count -= 1
        pointer.storeBytes(of: 0, toByteOffset: count, as: UInt8.self)
    }

    public var last: UInt8? {
        count > 0 ? pointer.load(fromByteOffset: count - 1, as: UInt8.self) : nil
    }

    /// Unicode scalars in the bytes, counted without copying them out (UTF-8
    /// continuation bytes do not start a character).
    public var characterCount: Int {
        withUnsafeBytes { $0.reduce(0) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 } }
    }

    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    func withUnsafeMutableBytes<R, E: Error>(_ body: (UnsafeMutableRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeMutableRawBufferPointer(start: pointer, count: capacity))
    }

    /// The bytes for a C call inside this module; valid while `self` is alive.
    var bytes: UnsafeMutablePointer<UInt8> { pointer.assumingMemoryBound(to: UInt8.self) }

    /// Marks all `capacity` bytes as used (after a C function filled them).
    func fill() { count = capacity }

    /// Constant-time comparison.
    public func isEqual(to other: SecretBytes) -> Bool {
        guard count == other.count else { return false }
        return sodium_memcmp(pointer, other.pointer, count) == 0
    }

    /// Zeroes the bytes; the buffer is unusable afterwards.
    public func wipe() {
        sodium_memzero(pointer, capacity)
        count = 0
        isWiped = true
    }

    deinit {
        sodium_free(pointer)  // zeroes before releasing
    }
}

@available(*, unavailable)
extension SecretBytes: Sendable {}
