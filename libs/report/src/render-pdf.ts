// The report as a PDF (pdf-lib): A4, the blocks of reportBlocks in Helvetica, with the saliency
// overlays of the impression (or the first finding) as pictures. pdf-lib's standard fonts encode
// WinAnsi only, so the few symbols outside it are spelled out.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { reportBlocks, type StructuredReport } from './structured-report';

export interface PdfImage {
  caption: string;
  png: Uint8Array;
}

const WIN_ANSI_REPLACEMENTS: [RegExp, string][] = [
  [/≥/g, '>='],
  [/≤/g, '<='],
  [/×/g, 'x'],
  [/→/g, '->'],
  [/’/g, "'"],
  [/…/g, '...'],
  [/\u202f|\u00a0/g, ' '],
];

export function toWinAnsi(text: string): string {
  let out = text;
  for (const [pattern, replacement] of WIN_ANSI_REPLACEMENTS) out = out.replace(pattern, replacement);
  // Anything else outside Latin-1 (and the en/em dashes WinAnsi has) becomes '?', never an exception.
  return out.replace(/[^\u0020-\u007e\u00a1-\u00ff\u2013\u2014\u2022]/g, '?');
}

const PAGE = { width: 595.28, height: 841.89, margin: 50 };

class Writer {
  page: PDFPage;
  y: number;
  constructor(
    private readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.page = doc.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - PAGE.margin;
  }

  private ensure(height: number): void {
    if (this.y - height < PAGE.margin) {
      this.page = this.doc.addPage([PAGE.width, PAGE.height]);
      this.y = PAGE.height - PAGE.margin;
    }
  }

  text(raw: string, options: { size?: number; bold?: boolean; indent?: number; gapAfter?: number; colour?: [number, number, number] } = {}): void {
    const size = options.size ?? 9.5;
    const font = options.bold ? this.bold : this.regular;
    const indent = options.indent ?? 0;
    const width = PAGE.width - 2 * PAGE.margin - indent;
    const words = toWinAnsi(raw).split(/\s+/);
    let line = '';
    const flush = () => {
      this.ensure(size * 1.35);
      this.page.drawText(line, { x: PAGE.margin + indent, y: this.y - size, size, font, color: rgb(...(options.colour ?? [0.1, 0.1, 0.1])) });
      this.y -= size * 1.35;
    };
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && font.widthOfTextAtSize(candidate, size) > width) {
        flush();
        line = word;
      } else line = candidate;
    }
    if (line) flush();
    this.y -= options.gapAfter ?? 0;
  }

  async images(images: readonly PdfImage[]): Promise<void> {
    if (images.length === 0) return;
    const side = Math.min(160, (PAGE.width - 2 * PAGE.margin - 10 * (images.length - 1)) / images.length);
    this.ensure(side + 24);
    for (const [i, image] of images.entries()) {
      const embedded = await this.doc.embedPng(image.png);
      const x = PAGE.margin + i * (side + 10);
      // Within a side × side cell, at the picture's own aspect (overlays keep the input's).
      const scale = side / Math.max(embedded.width, embedded.height);
      const [width, height] = [embedded.width * scale, embedded.height * scale];
      this.page.drawImage(embedded, { x, y: this.y - side + (side - height), width, height });
      this.page.drawText(toWinAnsi(image.caption), { x, y: this.y - side - 11, size: 8, font: this.regular, color: rgb(0.25, 0.25, 0.25) });
    }
    this.y -= side + 22;
  }
}

export async function renderPdf(report: StructuredReport, images: readonly PdfImage[] = []): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(toWinAnsi(`Structured report, case ${report.input.caseId}`));
  doc.setProducer('ovus');
  doc.setCreationDate(report.input.generatedAt);
  doc.setModificationDate(report.input.generatedAt);
  const writer = new Writer(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
  let imagesPlaced = false;
  for (const block of reportBlocks(report)) {
    if (block.kind === 'title') writer.text(block.text, { size: 15, bold: true, gapAfter: 6 });
    else if (block.kind === 'heading') {
      // The pictures go before the rules section, after the findings they illustrate.
      if (!imagesPlaced && block.text.startsWith('IOTA')) {
        await writer.images(images);
        imagesPlaced = true;
      }
      writer.y -= 6;
      writer.text(block.text, { size: 11.5, bold: true, gapAfter: 2, colour: [0.05, 0.2, 0.45] });
    } else if (block.kind === 'paragraph') writer.text(block.text, { gapAfter: 3 });
    else for (const item of block.items) writer.text(`•  ${item}`, { indent: 8, gapAfter: 1 });
  }
  if (!imagesPlaced) await writer.images(images);
  return doc.save({ useObjectStreams: false });
}
