import { readFileSync } from 'node:fs';

/**
 * Text widths from the shipped TrueType font's own advance widths. Without a canvas, ECharts guesses widths from
 * an Arial-like table; DejaVu Sans is wider, so legends and labels laid out on the guess overlap once drawn.
 * Reads only `head`, `hhea`, `hmtx` and the Unicode BMP `cmap` (format 4); kerning is ignored.
 */
export interface FontMetrics {
  /** Width in px of `text` at `fontSizePx`. */
  measure(text: string, fontSizePx: number): number;
}

function tableOffsets(buf: Buffer): Map<string, number> {
  const count = buf.readUInt16BE(4);
  const tables = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const rec = 12 + i * 16;
    tables.set(buf.toString('latin1', rec, rec + 4), buf.readUInt32BE(rec + 8));
  }
  return tables;
}

function need(tables: Map<string, number>, tag: string): number {
  const off = tables.get(tag);
  if (off === undefined) throw new Error(`font has no ${tag} table`);
  return off;
}

/** Code point → glyph id from the first Unicode format-4 subtable (platform 3/1 or 0/x). */
function readCmap4(buf: Buffer, cmap: number): (cp: number) => number {
  const n = buf.readUInt16BE(cmap + 2);
  let sub = -1;
  for (let i = 0; i < n && sub < 0; i++) {
    const rec = cmap + 4 + i * 8;
    const platform = buf.readUInt16BE(rec);
    const encoding = buf.readUInt16BE(rec + 2);
    const off = cmap + buf.readUInt32BE(rec + 4);
    const unicode = platform === 0 || (platform === 3 && encoding === 1);
    if (unicode && buf.readUInt16BE(off) === 4) sub = off;
  }
  if (sub < 0) throw new Error('font has no Unicode format-4 cmap');
  const segs = buf.readUInt16BE(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + segs * 2 + 2;
  const deltas = starts + segs * 2;
  const rangeOffsets = deltas + segs * 2;
  return (cp) => {
    if (cp > 0xffff) return 0;
    for (let i = 0; i < segs; i++) {
      if (cp > buf.readUInt16BE(ends + i * 2)) continue;
      const start = buf.readUInt16BE(starts + i * 2);
      if (cp < start) return 0;
      const delta = buf.readInt16BE(deltas + i * 2);
      const ro = buf.readUInt16BE(rangeOffsets + i * 2);
      if (ro === 0) return (cp + delta) & 0xffff;
      const glyph = buf.readUInt16BE(rangeOffsets + i * 2 + ro + (cp - start) * 2);
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}

/** Parses a TrueType font file's horizontal metrics; widths of characters are cached as they are asked for. */
export function loadFontMetrics(file: string): FontMetrics {
  const buf = readFileSync(file);
  const tables = tableOffsets(buf);
  const unitsPerEm = buf.readUInt16BE(need(tables, 'head') + 18);
  const hMetrics = buf.readUInt16BE(need(tables, 'hhea') + 34);
  const hmtx = need(tables, 'hmtx');
  const glyphOf = readCmap4(buf, need(tables, 'cmap'));
  const advance = (glyph: number) => buf.readUInt16BE(hmtx + Math.min(glyph, hMetrics - 1) * 4);
  const cache = new Map<number, number>();
  const em = (cp: number): number => {
    let w = cache.get(cp);
    if (w === undefined) {
      const glyph = glyphOf(cp);
      // A missing glyph counts as a full em, as a wide CJK character does; ECharts also derives line height
      // from the width of '国', which this font lacks.
      w = glyph === 0 ? 1 : advance(glyph) / unitsPerEm;
      cache.set(cp, w);
    }
    return w;
  };
  return {
    measure(text, fontSizePx) {
      let w = 0;
      for (const ch of text) w += em(ch.codePointAt(0) ?? 0);
      return w * fontSizePx;
    },
  };
}

/** The px size in a CSS font shorthand (`bold 16px "DejaVu Sans"`), 12 when absent as in ECharts. */
export function fontSizeOf(font: string | undefined): number {
  const m = /(\d+(?:\.\d+)?)px/.exec(font ?? '');
  return m ? Number(m[1]) : 12;
}
