/// A record is a draft until its author finalises it; a final record never changes.
public enum RecordState: String, CaseIterable, Codable, Sendable {
    case draft
    case final
}
