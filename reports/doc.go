// Package reports writes what the program prints and exports: PDF
// catalogues and labels, Excel workbooks. It imports no UI code; reports are
// encoders that take plain values and an io.Writer (WriteFile wraps one
// for a path: temp file, then rename, nothing left behind on error).
//
// Fonts: OpenFonts(path, face) loads the Chinese font chosen in settings
// ("" discovers one; ListCJKFonts lists candidates). gofpdf embeds only
// TrueType outlines: a .ttc face is rewritten as a stand-alone font, CFF
// .otf files are refused with a message. Each run of text is set in the
// first font that has its glyphs (the Chinese font, then the Go font for
// Latin letters and digits the Chinese font lacks), so no page shows a box
// glyph: a character no font has makes the document fail with a
// *MissingGlyphError naming it, before anything is written. Characters above
// U+FFFF, which gofpdf can't print, are printed as 〓 and listed in
// Result.Replaced.
//
// Documents (all A4 unless said, fixed creation date DocDate):
//   - WriteCatalogue: 归档文件目录, landscape or portrait, 14/11/N rows a page,
//     covers per volume; CataloguePages counts pages beforehand.
//   - WriteSpines: 盒脊 strips at real spine width on A3 (310 mm) or A4
//     (shortened), Code 128 barcode, cut marks; SpinePages.
//   - WriteBoxCovers (A3 real size or A4 reduced), WriteBoxNotes (备考表).
//   - WriteStickers: 归档章 45 × 16 mm on label sheets, with a start offset;
//     StickerPages.
//   - WriteCustomerCard, WriteLoanSlip, WriteDestructionList: forms; write
//     to io.Discard to count their pages.
//
// Spines, covers and stickers must be printed at 100%: show PrintScaleNote.
package reports
