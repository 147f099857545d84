/// `[retention]`: how long a delivered record's body stays on the device.
///
/// ```toml
/// [retention]
/// purge-after-days = 30   # purge bodies delivered this many days ago or more, after each sync
/// ```
///
/// Without the table (the default) nothing is purged automatically; `satchel purge`
/// purges on demand either way. 0 purges at the first sync after the last delivery.
extension SatchelConfig {
    static let retentionTable = "retention"
    static let retentionKeys = ["purge-after-days"]
    public static let purgeAfterDaysRange = 0...3650

    static func purgeAfterDays(_ t: [String: TOMLValue]) throws(SyncError) -> Int {
        let p = retentionTable
        if let unknown = t.keys.sorted().first(where: { !retentionKeys.contains($0) }) {
            throw .config("\(p).\(unknown): unknown setting. Allowed: \(retentionKeys.joined(separator: ", ")).")
        }
        let rule = "a whole number of days from \(purgeAfterDaysRange.lowerBound) to \(purgeAfterDaysRange.upperBound), counted from a record's last delivery"
        guard let days = try Reader(prefix: p, table: t).integer("purge-after-days") else {
            throw .config("\(p).purge-after-days: required (\(rule)); leave out [retention] to purge only with `satchel purge`.")
        }
        guard purgeAfterDaysRange.contains(days) else {
            throw .config("\(p).purge-after-days: \(days) is out of range. Allowed: \(rule).")
        }
        return days
    }
}
