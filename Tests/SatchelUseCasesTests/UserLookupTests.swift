import Foundation
import SatchelCore
import SatchelTestSupport
import SatchelUseCases
import Testing

/// `--user REF` and `open REF`: an alias, else an exact name (case and spacing aside), else
/// an id prefix, else a unique name prefix; the first kind that matches anyone decides.
@Suite("Finding a service user")
struct UserLookupTests {
    func addUser(_ session: Session, _ values: [String: String]) throws -> UUID {
        var capture = try session.startCapture(.serviceUser, userReference: nil)
        _ = try session.save(&capture, given: FormAnswers(values: values), draftOnly: false)
        return capture.id
    }

    func refusal(_ session: Session, _ reference: String) -> String? {
        do {
            _ = try session.resolveUser(reference)
            return nil
        } catch let e as UseCaseError {
            return e.message
        } catch {
            return "\(error)"
        }
    }

    @Test("alias first, then exact name, id prefix, unique name prefix; several matches or none are refused by name")
    func order() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let session = Session(vault: t.vault)
        let testy = try addUser(session, ["name": "Testy McTestface", "alias": "testy"])
        let twofold = try addUser(session, ["name": "Testy Twofold", "alias": "tt2"])
        let dummy = try addUser(session, ["name": "Dummy Example"])

        // "testy" is an alias and also the start of two names: the alias decides.
        #expect(try session.resolveUser("testy").id == testy)
        #expect(try session.resolveUser("TESTY").id == testy)
        #expect(try session.resolveUser("  dummy   EXAMPLE ").id == dummy)
        #expect(try session.resolveUser(String(dummy.uuidString.prefix(8)).lowercased()).id == dummy)
        #expect(try session.resolveUser("testy tw").id == twofold)
        #expect(refusal(session, "tes") == "--user: \"tes\" matches 2 service users (testy, tt2). Use the alias.")
        #expect(refusal(session, "nobody")?.hasPrefix("--user: no service user matches \"nobody\".") == true)

        // Someone added in this session is found by name at once.
        let later = try addUser(session, ["name": "Fictional Newcomer"])
        #expect(try session.resolveUser("fictional newcomer").id == later)
        #expect(try session.resolveUser("fict").id == later)
    }
}
