/// What every door says, on stderr, when the vault has just been unlocked after failed
/// attempts: at a one-shot command, at the REPL's start and after its idle lock.
enum UnlockWarning {
    /// nil when there were none.
    static func text(failedAttempts n: Int) -> String? {
        guard n > 0 else { return nil }
        let attempts = n == 1 ? "1 failed unlock attempt" : "\(n) failed unlock attempts"
        let whose = n == 1 ? "it was not yours" : "they were not yours"
        return "Warning: \(attempts) since your last unlock (in the audit log; see `satchel audit verify`). If \(whose), tell your team lead."
    }

    static func report(failedAttempts n: Int) {
        if let text = text(failedAttempts: n) { Console.error(text) }
    }
}
