#ifndef SATCHEL_CCAIRO_SHIM_H
#define SATCHEL_CCAIRO_SHIM_H
// cairo draws the pages into a PDF stream, and charts into PNG, SVG or PDF; pango lays out the text (fonts through
// fontconfig). Nothing here is variadic, so the headers are all Swift needs.
#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>
#include <cairo/cairo-svg.h>
#include <pango/pangocairo.h>
#endif
