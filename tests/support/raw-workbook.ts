import { crc32, createDeflateRaw } from "node:zlib";

/** A zip entry's text, given in pieces so a part of gigabytes never exists whole in the test. */
type Pieces = string | Iterable<string>;

async function deflated(pieces: Pieces | Buffer): Promise<{ data: Buffer; crc: number; size: number }> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on("data", (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((resolve, reject) => deflate.on("end", resolve).on("error", reject));
  let crc = 0;
  let size = 0;
  for (const piece of typeof pieces === "string" || Buffer.isBuffer(pieces) ? [pieces] : pieces) {
    const bytes = Buffer.isBuffer(piece) ? piece : Buffer.from(piece, "utf8");
    crc = crc32(bytes, crc);
    size += bytes.length;
    if (!deflate.write(bytes)) await new Promise((resolve) => deflate.once("drain", resolve));
  }
  deflate.end();
  await ended;
  return { data: Buffer.concat(out), crc, size };
}

/**
 * A zip written by hand (deflate, zip64 left out: every size here fits 32 bits), its entries text
 * or bytes, so a test can make workbooks that no spreadsheet program writes: a part that inflates to gigabytes, a cell far past
 * the last column. Sizes over 4 GB are written modulo 2^32, as a hostile file might.
 */
export async function zipOf(entries: Record<string, Pieces | Buffer>): Promise<Buffer> {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, pieces] of Object.entries(entries)) {
    const { data, crc, size } = await deflated(pieces);
    const path = Buffer.from(name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size % 2 ** 32, 22);
    local.writeUInt16LE(path.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(crc >>> 0, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(size % 2 ** 32, 24);
    header.writeUInt16LE(path.length, 28);
    header.writeUInt32LE(offset, 42);
    locals.push(local, path, data);
    central.push(header, path);
    offset += local.length + path.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const WORKBOOK = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Products" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const RELATIONSHIPS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;

/** A one-sheet workbook from its sheet's `<sheetData>` content and, optionally, its shared strings' `<si>` elements. */
export function rawWorkbook(sheetData: Pieces, sharedStrings?: Pieces): Promise<Buffer> {
  const wrap = (open: string, inner: Pieces, close: string) =>
    (function* () {
      yield open;
      yield* typeof inner === "string" ? [inner] : inner;
      yield close;
    })();
  const main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  return zipOf({
    "xl/workbook.xml": WORKBOOK,
    "xl/_rels/workbook.xml.rels": RELATIONSHIPS,
    "xl/worksheets/sheet1.xml": wrap(`<?xml version="1.0" encoding="UTF-8"?><worksheet ${main}><sheetData>`, sheetData, "</sheetData></worksheet>"),
    ...(sharedStrings === undefined
      ? {}
      : { "xl/sharedStrings.xml": wrap(`<?xml version="1.0" encoding="UTF-8"?><sst ${main}>`, sharedStrings, "</sst>") }),
  });
}

/** `count` copies of `piece`, handed out a megabyte or so at a time. */
export function* repeated(piece: string, count: number): Generator<string> {
  const perChunk = Math.max(1, Math.floor((1 << 20) / piece.length));
  const chunk = piece.repeat(perChunk);
  for (let left = count; left > 0; left -= perChunk) yield left >= perChunk ? chunk : piece.repeat(left);
}

/** A row of inline-string cells: `cells` maps a reference (`A1`) to its text. */
export const inlineRow = (row: number | string, cells: Record<string, string>) =>
  `<row r="${row}">${Object.entries(cells)
    .map(([ref, text]) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`)
    .join("")}</row>`;
