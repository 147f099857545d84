import Foundation
import SatchelCore
import SatchelDocuments

/// The documents a case hands over, as readable documents: a letter (delivered as a PDF
/// and printed with `letter print`) and the response plan for the person (`plan print`,
/// SIM guide §54: "ideally in paper form"). The same words on paper and on the wire.
public enum CaseDocuments {
    /// A letter: who it is for and the day, then its text, headings as sections.
    public static func letter(_ l: Letter, writtenOn: Date) -> ReadableDocument {
        ReadableDocument(
            title: l.purpose.title,
            preamble: ["To: \(l.to)", "Date: \(FieldDay.on(writtenOn))"],
            sections: l.sections.map { s in
                ReadableDocument.Section(heading: s.heading, lines: s.paragraphs.map { .init(label: "", value: $0) })
            })
    }

    /// A response plan for the person to hold: each of SIM guide §26's items under its own
    /// heading, in plain words. With `redaction`, the identifying details are removed (the
    /// email summary of §54) and the name-and-address item is left out.
    public static func plan(_ p: ResponsePlan, writtenBy: String, writtenOn: Date, redaction: Redaction?) -> ReadableDocument {
        let scrub: (String) -> String = { redaction?.apply($0) ?? $0 }
        var preamble = [
            "Written by \(writtenBy) on \(FieldDay.on(writtenOn))\(p.coProduced ? ", with you" : ""). To be reviewed by \(p.reviewOn).",
            "This plan gives strong advice to anyone helping in a crisis. It never requires a set response (SIM guide §26).",
        ]
        if redaction != nil {
            preamble.append("Identifying details (name, NHS number, address, date of birth, police reference) are removed and shown as \(Redaction.mark).")
        }
        let items = p.items.filter { redaction == nil || $0.label != "Name and address" }
        return ReadableDocument(
            title: redaction == nil ? "Response plan" : "Response plan: summary",
            preamble: preamble.map(scrub),
            sections: items.map { .init(heading: $0.label, lines: [.init(label: "", value: scrub($0.value))]) })
    }

    /// The document as PDF bytes, dated (so one record always makes the same bytes).
    public static func pdf(_ document: ReadableDocument, size: PDFWriter.TypeSize, dated: Date) throws(DocumentError) -> [UInt8] {
        try PDFWriter(typeSize: size, dated: ISO8601DateFormatter().string(from: dated)).render(document)
    }
}
