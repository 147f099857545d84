import Foundation

/// Byte-for-byte searches, for the canary tests: does a file hold this text anywhere?
public enum FileSearch {
    /// Every regular file under `directory` (recursively) that contains `needle`.
    public static func files(under directory: URL, containing needle: [UInt8]) -> [String] {
        guard let e = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var hits: [String] = []
        for case let url as URL in e {
            if let data = try? Data(contentsOf: url), contains(data, needle) { hits.append(url.path) }
        }
        return hits
    }

    public static func contains(_ haystack: Data, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return haystack.range(of: Data(needle)) != nil
    }

    /// The forms a string could take on disk: UTF-8 and UTF-16 (either byte order).
    public static func encodings(of text: String) -> [[UInt8]] {
        let utf16 = Array(text.utf16)
        return [
            Array(text.utf8),
            utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] },
            utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] },
        ]
    }
}
