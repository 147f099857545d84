import Foundation
import GRDB
import SatchelCore
import SatchelTestSupport
import Testing
@testable import SatchelStore

/// A save reads a person's records of a few kinds, and the new record's own outbox and
/// held rows: never the person's whole history, nor the whole outbox (issue 17, bench P7).
@Suite("A person's records by kind")
struct RecordsByKindTests {
    /// Two people: one with contacts, consents, risk entries and a case's steps, one with a contact.
    static func vault() throws -> (TemporaryVault, busy: UUID, other: UUID) {
        let t = try TemporaryVault()
        let busy = try t.addServiceUser(), other = try t.addServiceUser()
        let kinds: [RecordKind] = [.contact, .consent, .contact, .risk, .referral, .contact, .outcome, .consent, .risk, .contact]
        for kind in kinds {
            try t.vault.saveFinal(RecordDraft(kind: kind, subjectID: busy, body: Array("{}".utf8)), routes: .queueEverywhere)
        }
        try t.vault.saveFinal(RecordDraft(kind: .contact, subjectID: other, body: Array("{}".utf8)), routes: .queueEverywhere)
        return (t, busy, other)
    }

    @Test("a person's records of some kinds are those of their history, newest first, however they are read")
    func sameAnswerAsTheWholeHistory() throws {
        let (t, busy, _) = try Self.vault()
        defer { t.remove() }
        let all = try t.vault.headers(subject: busy, state: .final)
        for kinds in [[RecordKind.consent], [.risk, .consent], [.referral, .outcome, .review, .discharge], [.top]] {
            let wanted = all.filter { kinds.contains($0.kind) }.map(\.id)
            #expect(try t.vault.headers(subject: busy, state: .final, kinds: kinds).map(\.id) == wanted)
            if kinds.count == 1 {
                #expect(try t.vault.headers(subject: busy, state: .final, kind: kinds[0]).map(\.id) == wanted)
            }
            #expect(try t.vault.headers(subject: busy, state: .final, kinds: kinds, limit: 1).map(\.id) == Array(wanted.prefix(1)))
        }
    }

    @Test("a person's records of one kind are found through record_by_subject_kind, not by walking their history")
    func queryPlanUsesTheIndex() throws {
        let (t, busy, _) = try Self.vault()
        defer { t.remove() }
        let plan = try t.vault.db.read { db in
            try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN SELECT * FROM record WHERE 1 AND kind = ? AND subject_id = ? AND state = ? ORDER BY created_at DESC, id",
                arguments: ["consent", busy.uuidString.lowercased(), "final"]
            ).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX record_by_subject_kind (subject_id=? AND kind=?)") }, "\(plan)")
    }

    @Test("one record's outbox and held rows are that record's only")
    func oneRecordsRows() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        for d in ["nhs-epr", "police"] { try t.vault.addDestination(d) }
        let user = try t.addServiceUser()
        var plan = RoutePlan(otherwise: .hold("no consent to share on record"))
        plan.routes["nhs-epr"] = .queue
        let contact = RecordDraft(kind: .contact, subjectID: user, body: Array("{}".utf8))
        try t.vault.saveFinal(contact, routes: plan)
        #expect(try t.vault.outbox(record: contact.id).map(\.destination) == ["nhs-epr"])
        #expect(try t.vault.held(record: contact.id).map(\.destination) == ["police"])
        #expect(try t.vault.outbox().count > 1)
        #expect(try t.vault.outbox(record: user).count == 2)
        #expect(try t.vault.held(record: user).isEmpty)
    }
}
