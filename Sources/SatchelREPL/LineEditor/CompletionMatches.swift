import Foundation

/// Pure helpers that turn completer output into readline's `char **` match array.
enum CompletionMatches {
    /// Keeps the candidates that start with `word`, without duplicates, in their original order.
    static func filter(_ candidates: [String], word: String) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for candidate in candidates where candidate.hasPrefix(word) && !candidate.isEmpty {
            if seen.insert(candidate).inserted {
                result.append(candidate)
            }
        }
        return result
    }

    /// Longest common prefix by whole characters (never splits a multi-byte character).
    static func longestCommonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first.map(Array.init) else { return "" }
        for word in words.dropFirst() {
            let characters = Array(word)
            var count = 0
            while count < prefix.count, count < characters.count, prefix[count] == characters[count] {
                count += 1
            }
            prefix.removeSubrange(count...)
            if prefix.isEmpty { break }
        }
        return String(prefix)
    }

    /// The entries readline expects: one match → `[match]`; several → `[lcp] + matches`.
    static func entries(for matches: [String]) -> [String] {
        switch matches.count {
        case 0: return []
        case 1: return matches
        default: return [longestCommonPrefix(matches)] + matches
        }
    }

    /// Builds a NULL-terminated, malloc'd array of strdup'd strings for readline (which frees it).
    /// Returns nil for no matches or when allocation fails.
    static func makeCArray(_ matches: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        let entries = entries(for: matches)
        guard !entries.isEmpty else { return nil }
        let slot = MemoryLayout<UnsafeMutablePointer<CChar>?>.stride
        guard let raw = malloc(slot * (entries.count + 1)) else { return nil }
        let array = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: entries.count + 1)
        for (index, entry) in entries.enumerated() {
            guard let copy = strdup(entry) else {
                freeCArray(array, count: index)
                return nil
            }
            array[index] = copy
        }
        array[entries.count] = nil
        return array
    }

    /// Frees the first `count` strings and the array itself (used on allocation failure and in tests).
    static func freeCArray(_ array: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, count: Int) {
        for index in 0..<count {
            free(array[index])
        }
        free(array)
    }
}
