import Foundation
@testable import SatchelCore

/// Monday 23 November 2026, 14:00 in London (GMT, so also 14:00Z).
let testNow = Date(timeIntervalSince1970: 1_795_442_400)
let london = Calendar.london

func day(_ y: Int, _ m: Int, _ d: Int) -> FieldDay {
    FieldDay(year: y, month: m, day: d) ?? FieldDay.epoch
}

/// Runs `body` and returns the FieldError it threw, or nil.
/// Runs `body` and returns the FieldError it threw, or nil. Any other error is
/// turned into a FieldError with field "unexpected" so the comparison fails loudly.
func fieldError(_ body: () throws -> Void) -> FieldError? {
    do {
        try body()
        return nil
    } catch let error as FieldError {
        return error
    } catch {
        return FieldError(field: "unexpected", message: "\(error)")
    }
}

func consent(_ scope: ConsentScope, _ with: String, _ decision: ConsentDecision,
             method: ConsentMethod = .verbal) throws(FieldError) -> Consent {
    try Consent(scope: scope, with: with, decision: decision, method: method, currentRisk: .low, now: testNow)
}
