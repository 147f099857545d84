import Foundation

/// The outcome of one batch entry, from `entry.response`.
public struct EntryOutcome: Sendable, Equatable {
    /// HTTP status from `"201 Created"`.
    public let status: Int
    public let location: String?
    public let etag: String?
    public let lastModified: String?
    /// OperationOutcome issue diagnostics / details text, joined with "; ", without
    /// control characters (`OperationOutcomeText`).
    public let diagnostics: String?

    public init(status: Int, location: String?, etag: String?, lastModified: String?, diagnostics: String?) {
        self.status = status
        self.location = location
        self.etag = etag
        self.lastModified = lastModified
        self.diagnostics = diagnostics
    }

    /// `Type/id` from the location (absolute or relative), without `_history`.
    public var serverID: String? {
        guard let location else { return nil }
        let path = location.split(separator: "?", maxSplits: 1).first.map(String.init) ?? location
        var parts = path.split(separator: "/").map(String.init)
        if let h = parts.firstIndex(of: "_history") { parts = Array(parts[..<h]) }
        guard parts.count >= 2 else { return nil }
        return "\(parts[parts.count - 2])/\(parts[parts.count - 1])"
    }

    /// The version: from the ETag (`W/"3"` → `3`), else from `_history/N` in the location.
    public var version: String? {
        if let etag {
            var v = Substring(etag.trimmingCharacters(in: .whitespaces))
            if v.hasPrefix("W/") { v = v.dropFirst(2) }
            let bare = v.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            if !bare.isEmpty { return bare }
        }
        guard let location else { return nil }
        let parts = location.split(separator: "/").map(String.init)
        if let h = parts.firstIndex(of: "_history"), h + 1 < parts.count { return parts[h + 1] }
        return nil
    }

    /// 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}
