/// Keys that ``PseudoTerminal/sendKey(_:)`` can press (xterm/VT100 normal-mode sequences).
public enum TerminalKey: Sendable {
    case tab, enter, escape, backspace, up, down, right, left

    public var bytes: [UInt8] {
        switch self {
        case .tab: return [0x09]
        case .enter: return [0x0D]
        case .escape: return [0x1B]
        case .backspace: return [0x7F]
        case .up: return Array("\u{1B}[A".utf8)
        case .down: return Array("\u{1B}[B".utf8)
        case .right: return Array("\u{1B}[C".utf8)
        case .left: return Array("\u{1B}[D".utf8)
        }
    }
}
