internal import CTerminal

/// SIGINT/SIGWINCH handling for `readLine`, backed by the C handler in CTerminal.
///
/// The handler (installed without SA_RESTART) only sets a `volatile sig_atomic_t` flag and
/// writes one byte to a non-blocking self-pipe, so `poll` wakes up even if the signal lands
/// just before it is entered.
enum SignalWatch {
    /// Installs the handlers, saving the previous dispositions. False if sigaction failed.
    static func install(wakeFD: Int32) -> Bool {
        satchel_sig_install(wakeFD) == 0
    }

    /// Restores the dispositions saved by ``install(wakeFD:)``.
    static func restore() {
        satchel_sig_restore()
    }

    /// True (once) if SIGINT arrived since the last call.
    static func takeInterrupt() -> Bool {
        satchel_sig_take_sigint() != 0
    }

    /// True (once) if SIGWINCH arrived since the last call.
    static func takeWindowChange() -> Bool {
        satchel_sig_take_sigwinch() != 0
    }
}
