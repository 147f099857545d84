internal import CCairo

/// Writes a ``ChartSheet`` as PNG, SVG or PDF with cairo (the bars) and pango (the
/// words). One writer owns its surface, context and layout: created in `init`, released
/// in `deinit`, used from one thread: not Sendable. A writer makes one file.
public final class ChartWriter {
    public enum Format: String, Sendable, CaseIterable {
        case png, svg, pdf
    }

    /// The sheet's size: pixels for PNG, points for SVG and PDF.
    public static let width = 1200.0
    public static let height = 900.0

    let format: Format
    let sink = ByteSink()
    let surface: OpaquePointer
    let context: OpaquePointer
    let layout: OpaquePointer

    public init(_ format: Format) throws(DocumentError) {
        self.format = format
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        let made: OpaquePointer? = switch format {
        case .png: cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(Self.width), Int32(Self.height))
        case .svg: cairo_svg_surface_create_for_stream(ByteSink.write, closure, Self.width, Self.height)
        case .pdf: cairo_pdf_surface_create_for_stream(ByteSink.write, closure, Self.width, Self.height)
        }
        guard let surface = made else { throw DocumentError("Could not start the chart (out of memory).") }
        self.surface = surface
        guard let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw DocumentError("Could not start the chart (out of memory).")
        }
        self.context = context
        guard let layout = pango_cairo_create_layout(context) else {
            cairo_destroy(context)
            cairo_surface_destroy(surface)
            throw DocumentError("Could not lay out the chart's text (out of memory).")
        }
        self.layout = layout
        if format == .pdf { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Satchel") }
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(layout))
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// The sheet as the format's bytes.
    public func render(_ sheet: ChartSheet) throws(DocumentError) -> [UInt8] {
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_paint(context)
        ChartDrawing(context: context, layout: layout).draw(sheet, width: Self.width, height: Self.height)
        switch format {
        case .png:
            cairo_surface_flush(surface)
            let status = cairo_surface_write_to_png_stream(surface, ByteSink.write, Unmanaged.passUnretained(sink).toOpaque())
            guard status == CAIRO_STATUS_SUCCESS else { throw DocumentError("Could not write the PNG (\(String(cString: cairo_status_to_string(status)))).") }
        case .svg, .pdf:
            cairo_show_page(context)
            cairo_surface_finish(surface)
            let status = cairo_surface_status(surface)
            guard status == CAIRO_STATUS_SUCCESS else { throw DocumentError("Could not finish the chart (\(String(cString: cairo_status_to_string(status)))).") }
        }
        return sink.bytes
    }
}

@available(*, unavailable)
extension ChartWriter: Sendable {}

extension ByteSink {
    /// cairo's write callback into the sink passed as its closure.
    static let write: cairo_write_func_t = { closure, data, length in
        guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
        Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue().bytes
            .append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
        return CAIRO_STATUS_SUCCESS
    }
}

/// Draws a sheet of bar charts on a cairo context: a grid of panels, two across, each
/// with its bars, their values, the months, a "?" outline for a month not known, and a
/// dashed line where mentoring started. Used by ``ChartWriter`` and by ``PDFWriter``'s
/// chart pages.
struct ChartDrawing {
    let context: OpaquePointer
    let layout: OpaquePointer

    func text(_ s: String, _ font: String, x: Double, y: Double, width: Double? = nil, centred: Bool = false) {
        let description = pango_font_description_from_string(font)
        defer { pango_font_description_free(description) }
        pango_layout_set_font_description(layout, description)
        pango_layout_set_attributes(layout, nil)
        pango_layout_set_width(layout, width.map { Int32($0 * Double(PANGO_SCALE)) } ?? -1)
        pango_layout_set_alignment(layout, centred ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT)
        pango_layout_set_text(layout, s, -1)
        cairo_move_to(context, x, y)
        pango_cairo_show_layout(context, layout)
    }

    func draw(_ sheet: ChartSheet, width: Double, height: Double) {
        cairo_set_source_rgb(context, 0, 0, 0)
        text(sheet.title, "DejaVu Sans Bold 22", x: 40, y: 24)
        text(sheet.subtitle, "DejaVu Sans 12", x: 40, y: 62)
        let columns = 2.0
        let rows = Double((sheet.charts.count + 1) / 2)
        let top = 100.0
        let panelWidth = (width - 80) / columns
        let panelHeight = rows > 0 ? (height - top - 20) / rows : 0
        for (i, chart) in sheet.charts.enumerated() {
            let x = 40 + Double(i % 2) * panelWidth
            let y = top + Double(i / 2) * panelHeight
            panel(chart, x: x, y: y, width: panelWidth - 30, height: panelHeight - 20)
        }
    }

    func panel(_ chart: BarChart, x: Double, y: Double, width: Double, height: Double) {
        cairo_set_source_rgb(context, 0, 0, 0)
        text(chart.title, "DejaVu Sans Bold 12", x: x, y: y)
        let plotTop = y + 24, plotBottom = y + height - 22
        let plotHeight = max(plotBottom - plotTop - 14, 1)
        let top = Double(max(chart.bars.compactMap(\.value).max() ?? 0, 1))
        let slot = width / Double(max(chart.bars.count, 1))
        // The axis.
        cairo_set_line_width(context, 1)
        cairo_move_to(context, x, plotBottom)
        cairo_line_to(context, x + width, plotBottom)
        cairo_stroke(context)
        for (i, bar) in chart.bars.enumerated() {
            let bx = x + Double(i) * slot + slot * 0.15, bw = slot * 0.7
            if let value = bar.value {
                let h = Double(value) / top * plotHeight
                cairo_set_source_rgb(context, 0.16, 0.42, 0.62)
                cairo_rectangle(context, bx, plotBottom - h, bw, h)
                cairo_fill(context)
                cairo_set_source_rgb(context, 0, 0, 0)
                text("\(value)", "DejaVu Sans 8", x: bx, y: plotBottom - h - 13, width: bw, centred: true)
            } else {
                cairo_set_source_rgb(context, 0.55, 0.55, 0.55)
                let dashes: [Double] = [3, 3]
                cairo_set_dash(context, dashes, 2, 0)
                cairo_rectangle(context, bx, plotBottom - plotHeight * 0.3, bw, plotHeight * 0.3)
                cairo_stroke(context)
                cairo_set_dash(context, nil, 0, 0)
                text("?", "DejaVu Sans Bold 9", x: bx, y: plotBottom - plotHeight * 0.3 - 14, width: bw, centred: true)
            }
            cairo_set_source_rgb(context, 0, 0, 0)
            text(bar.label, "DejaVu Sans 7", x: x + Double(i) * slot, y: plotBottom + 3, width: slot, centred: true)
        }
        if let mark = chart.markAt {
            let mx = x + Double(mark) * slot
            cairo_set_source_rgb(context, 0.75, 0.2, 0.15)
            let dashes: [Double] = [5, 3]
            cairo_set_dash(context, dashes, 2, 0)
            cairo_move_to(context, mx, plotTop)
            cairo_line_to(context, mx, plotBottom)
            cairo_stroke(context)
            cairo_set_dash(context, nil, 0, 0)
            text("mentoring started", "DejaVu Sans 7", x: mx + 2, y: plotTop - 2)
        }
    }
}
