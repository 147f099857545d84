/// A document for a person to read: a title, a few lines under it, then sections of
/// labelled lines. Written as plain text (`plainText`) or as a PDF (`PDFWriter`).
public struct ReadableDocument: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public let label: String
        public let value: String

        public init(label: String, value: String) {
            self.label = label
            self.value = value
        }
    }

    public struct Section: Sendable, Equatable {
        public let heading: String
        public let lines: [Line]

        public init(heading: String, lines: [Line]) {
            self.heading = heading
            self.lines = lines
        }
    }

    public let title: String
    public let preamble: [String]
    public let sections: [Section]

    public init(title: String, preamble: [String], sections: [Section]) {
        self.title = title
        self.preamble = preamble
        self.sections = sections
    }

    /// The document as plain text: the title underlined, each section's heading, then
    /// `Label: value` lines (a value over several lines is indented under its label; a
    /// line without a label is a paragraph).
    public func plainText() -> String {
        var out = [title, String(repeating: "=", count: title.count), ""] + preamble
        for section in sections {
            out.append("")
            if !section.heading.isEmpty { out += [section.heading, String(repeating: "-", count: section.heading.count)] }
            for line in section.lines {
                // A line without a label is a paragraph of its own (a letter's text).
                out.append(line.label.isEmpty ? line.value + "\n" : "\(line.label): \(line.value.replacingNewlines(with: "\n    "))")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

extension String {
    func replacingNewlines(with replacement: String) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
