internal import CCairo

/// Writes a ``ReadableDocument`` as an A4 PDF with cairo (pages) and pango (text laid
/// out and wrapped, fonts found by fontconfig). The PDF is made in memory: the caller
/// decides where and with what mode it is written.
///
/// One writer owns its cairo surface and context and its pango layout and fonts:
/// created in `init`, released in `deinit`, used from one thread: not Sendable.
public final class PDFWriter {
    // A4 in points, and the margins.
    static let pageWidth = 595.0
    static let pageHeight = 842.0
    static let margin = 56.0

    let sink: ByteSink
    let surface: OpaquePointer
    let context: OpaquePointer
    let layout: OpaquePointer
    let bodyFont: OpaquePointer
    let headingFont: OpaquePointer
    let titleFont: OpaquePointer
    /// Where the next line goes on the current page, in points from the top.
    var y = PDFWriter.margin

    /// Type sizes: standard for records, large for what a person reads in a crisis
    /// (a response plan, a contacts sheet).
    public enum TypeSize: Sendable {
        case standard, large

        var points: (body: Int, heading: Int, title: Int) {
            switch self {
            case .standard: (10, 13, 17)
            case .large: (15, 19, 24)
            }
        }
    }

    /// `dated`: the document's creation date in its metadata (ISO 8601, e.g. the record's
    /// finalisation time) so the same record always makes the same bytes; nil: now.
    public init(typeSize: TypeSize = .standard, dated: String? = nil) throws(DocumentError) {
        sink = ByteSink()
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        guard let surface = cairo_pdf_surface_create_for_stream(ByteSink.write, closure, Self.pageWidth, Self.pageHeight) else {
            throw DocumentError("Could not start the PDF (out of memory).")
        }
        self.surface = surface
        guard let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw DocumentError("Could not start the PDF (out of memory).")
        }
        self.context = context
        guard let layout = pango_cairo_create_layout(context) else {
            cairo_destroy(context)
            cairo_surface_destroy(surface)
            throw DocumentError("Could not lay out the PDF's text (out of memory).")
        }
        self.layout = layout
        let points = typeSize.points
        bodyFont = pango_font_description_from_string("DejaVu Sans \(points.body)")
        headingFont = pango_font_description_from_string("DejaVu Sans Bold \(points.heading)")
        titleFont = pango_font_description_from_string("DejaVu Sans Bold \(points.title)")
        pango_layout_set_width(layout, Int32((Self.pageWidth - 2 * Self.margin) * Double(PANGO_SCALE)))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Satchel")
        if let dated {
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, dated)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, dated)
        }
    }

    deinit {
        pango_font_description_free(titleFont)
        pango_font_description_free(headingFont)
        pango_font_description_free(bodyFont)
        g_object_unref(UnsafeMutableRawPointer(layout))
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// The whole document as PDF bytes, then a landscape-scaled page per chart sheet
    /// (`report team --pdf`). A writer makes one document.
    public func render(_ document: ReadableDocument, charts: [ChartSheet] = []) throws(DocumentError) -> [UInt8] {
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, document.title)
        paragraph(document.title, font: titleFont, after: 8)
        for line in document.preamble { paragraph(line, font: bodyFont, after: 2) }
        for section in document.sections {
            y += 10
            if !section.heading.isEmpty { paragraph(section.heading, font: headingFont, after: 4) }
            for line in section.lines {
                if line.label.isEmpty {
                    paragraph(line.value, font: bodyFont, after: 6)
                } else {
                    paragraph("\(line.label): \(line.value)", font: bodyFont, boldPrefix: line.label.utf8.count + 1, after: 2)
                }
            }
        }
        cairo_show_page(context)
        for sheet in charts {
            // The chart sheet is drawn at its own size, scaled to the page's width.
            let scale = (Self.pageWidth - 2 * Self.margin) / ChartWriter.width
            cairo_save(context)
            cairo_translate(context, Self.margin, Self.margin)
            cairo_scale(context, scale, scale)
            ChartDrawing(context: context, layout: layout).draw(sheet, width: ChartWriter.width, height: ChartWriter.height)
            cairo_restore(context)
            cairo_show_page(context)
        }
        pango_layout_set_width(layout, Int32((Self.pageWidth - 2 * Self.margin) * Double(PANGO_SCALE)))
        pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw DocumentError("Could not finish the PDF (\(String(cString: cairo_status_to_string(status)))).")
        }
        return sink.bytes
    }

    // MARK: - Layout

    /// Lays out one paragraph, wrapped to the text width, and draws it line by line so
    /// a paragraph longer than the space left carries on over the page.
    func paragraph(_ text: String, font: OpaquePointer, boldPrefix: Int = 0, after spacing: Double) {
        pango_layout_set_font_description(layout, font)
        pango_layout_set_text(layout, text, -1)
        let attributes = pango_attr_list_new()
        if boldPrefix > 0, let bold = pango_attr_weight_new(PANGO_WEIGHT_BOLD) {
            bold.pointee.start_index = 0
            bold.pointee.end_index = UInt32(boldPrefix)
            pango_attr_list_insert(attributes, bold)
        }
        pango_layout_set_attributes(layout, attributes)
        pango_attr_list_unref(attributes)

        let scale = Double(PANGO_SCALE)
        guard let lines = pango_layout_get_iter(layout) else { return }
        defer { pango_layout_iter_free(lines) }
        repeat {
            var logical = PangoRectangle()
            pango_layout_iter_get_line_extents(lines, nil, &logical)
            let height = Double(logical.height) / scale
            if y + height > Self.pageHeight - Self.margin {
                cairo_show_page(context)
                y = Self.margin
            }
            let baseline = Double(pango_layout_iter_get_baseline(lines) - logical.y) / scale
            cairo_move_to(context, Self.margin + Double(logical.x) / scale, y + baseline)
            pango_cairo_show_layout_line(context, pango_layout_iter_get_line_readonly(lines))
            y += height
        } while pango_layout_iter_next_line(lines) != 0
        y += spacing
    }
}

@available(*, unavailable)
extension PDFWriter: Sendable {}

/// The bytes cairo writes, collected for the writer.
final class ByteSink {
    var bytes: [UInt8] = []
}
