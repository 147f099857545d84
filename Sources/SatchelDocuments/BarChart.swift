/// One bar chart: a figure by month (SIM guide §58: "bar charts by month, showing the
/// escalation and de-escalation of the demand on each service"). A bar without a value
/// is "not known": drawn as an outline marked "?", never as 0.
public struct BarChart: Sendable, Equatable {
    public struct Bar: Sendable, Equatable {
        public let label: String
        public let value: Int?

        public init(label: String, value: Int?) {
            self.label = label
            self.value = value
        }
    }

    public let title: String
    public let bars: [Bar]
    /// The bar where mentoring started (marked), if it is in the window.
    public let markAt: Int?

    public init(title: String, bars: [Bar], markAt: Int?) {
        self.title = title
        self.bars = bars
        self.markAt = markAt
    }

    /// The chart for a terminal: one row per month, the bar drawn with Unicode blocks
    /// (eighths at its end), "? not known" for a month nobody could find out, and the row
    /// where mentoring started marked. `colour` adds ANSI colour (only on a terminal).
    public func terminalLines(width: Int = 30, colour: Bool = false) -> [String] {
        let top = max(bars.compactMap(\.value).max() ?? 0, 1)
        let labelWidth = bars.map(\.label.count).max() ?? 0
        var out = [colour ? "\u{1B}[1m\(title)\u{1B}[0m" : title]
        for (i, bar) in bars.enumerated() {
            let label = bar.label + String(repeating: " ", count: labelWidth - bar.label.count)
            let mark = i == markAt ? "  ◀ mentoring started" : ""
            guard let value = bar.value else {
                out.append("  \(label) │ \(colour ? "\u{1B}[2m? not known\u{1B}[0m" : "? not known")\(mark)")
                continue
            }
            let eighths = value * width * 8 / top
            var blocks = String(repeating: "█", count: eighths / 8)
            if eighths % 8 > 0 { blocks.append(["▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8 - 1]) }
            let drawn = colour ? "\u{1B}[36m\(blocks)\u{1B}[0m" : blocks
            out.append("  \(label) │\(drawn) \(value)\(mark)")
        }
        return out
    }
}

/// A page of charts about one person (or the team): a title, a line under it, the charts.
public struct ChartSheet: Sendable, Equatable {
    public let title: String
    public let subtitle: String
    public let charts: [BarChart]

    public init(title: String, subtitle: String, charts: [BarChart]) {
        self.title = title
        self.subtitle = subtitle
        self.charts = charts
    }
}
