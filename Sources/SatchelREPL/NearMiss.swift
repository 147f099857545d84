/// "Did you mean …?" for near misses, like psql: the closest candidate within a small
/// edit distance, or the only candidate the typed text is a prefix of.
enum NearMiss {
    static func suggestion(for typed: String, among candidates: [String]) -> String? {
        let t = typed.lowercased()
        let prefixed = candidates.filter { $0.hasPrefix(t) }
        if prefixed.count == 1 { return prefixed.first }
        let limit = max(1, min(3, t.count / 3))
        let scored = candidates.map { ($0, distance(t, $0)) }.filter { $0.1 <= limit }
        guard let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }) else { return nil }
        return best.0
    }

    /// The candidate the typed text is an unambiguous prefix of (sqlite3-style), if any.
    static func uniquePrefix(_ typed: String, among candidates: [String]) -> String? {
        let hits = candidates.filter { $0.hasPrefix(typed) }
        return hits.count == 1 ? hits.first : nil
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var prev = row[0]
            row[0] = i
            for j in 1...b.count {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return row[b.count]
    }
}
