import { PassThrough, Transform, type Readable } from "node:stream";
import { constants as zlibConstants, createGunzip, inflateRawSync } from "node:zlib";
import unzipper from "unzipper";
import { formatBytes } from "../format-bytes.js";
import { MAX_UNPACKED_BYTES } from "./file-limits.js";
import { XLSX_CONTENT_TYPE } from "./file-format.js";
import { unusableFile } from "./unusable-file.js";

/**
 * A file sent packed: gzip (a `.gz`, or a body sent with `Content-Encoding: gzip`) or a zip archive
 * holding one CSV, TSV or workbook. Told by its first bytes, never by its name alone; an `.xlsx`
 * workbook is a zip too, told apart by its name or its first entry (Excel's `[Content_Types].xml`,
 * or a part of its own).
 */
export type Packing = "gzip" | "zip";

const GZIP = [0x1f, 0x8b];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((byte, at) => bytes[at] === byte);

/** The parts a workbook's zip starts with, whichever program wrote it. */
const WORKBOOK_PARTS = /^(\[Content_Types\]\.xml$|_rels\/|docProps\/|customXml\/|xl\/)/;

/** Entries a zip program adds beside the file: a Mac's resource forks and folder settings. */
const BESIDE_THE_FILE = /(^|\/)(__MACOSX\/|\.DS_Store$)/;

/** The name of a zip's first entry, from its local header (30 bytes, then the name). */
function firstEntryName(bytes: Uint8Array): string | null {
  if (bytes.length < 30) return null;
  const length = bytes[26]! | (bytes[27]! << 8);
  if (bytes.length < 30 + length) return null;
  return Buffer.from(bytes.subarray(30, 30 + length)).toString("utf8");
}

/** Named or sent as a workbook: a zip of that name is read as one, and refused as one if it is not. */
const namedWorkbook = (file: { filename: string; contentType?: string }) =>
  /\.xls[xm]$/i.test(file.filename) || Boolean(file.contentType?.toLowerCase().startsWith(XLSX_CONTENT_TYPE));

/** Whether the file is packed, and how; a workbook is not (it is read as one). */
export function packingOf(sample: Uint8Array, file: { filename: string; contentType?: string }): Packing | null {
  if (startsWith(sample, GZIP)) return "gzip";
  if (!startsWith(sample, ZIP) || namedWorkbook(file)) return null;
  const first = firstEntryName(sample);
  return first !== null && WORKBOOK_PARTS.test(first) ? null : "zip";
}

/** The name the packed file's content goes by: `products.csv.gz` holds `products.csv`. */
export const unpackedName = (filename: string) => filename.replace(/\.(gz|gzip)$/i, "") || "upload.csv";

/** Passes bytes on until the unpacked file is larger than any file may be (a small archive may unpack to terabytes). */
class UnpackedLimit extends Transform {
  private bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void) {
    this.bytes += chunk.length;
    if (this.bytes > MAX_UNPACKED_BYTES) {
      done(unusableFile(`The packed file unpacks to more than ${formatBytes(MAX_UNPACKED_BYTES)}, more than any catalog file may hold.`));
      return;
    }
    done(null, chunk);
  }
}

/** Forwards a source's failure to `to`, as the refusal it is (a packed stream's own errors say what broke). */
function failOnError(from: NodeJS.EventEmitter, to: PassThrough | Transform, refusal: (error: Error) => Error) {
  from.on("error", (error: Error) => to.destroy(refusal(error)));
}

/**
 * How the packed bytes are read: whole (an upload), or only their beginning (`prefix`: a sample to
 * look into before uploading), whose end is no fault: the content read so far ends there.
 */
export interface PackedReading {
  prefix?: boolean;
}

/** Why gzip data (`subject`: a file, or a body's encoding) could not be unpacked: cut off, or damaged. */
export function gzipFailure(error: NodeJS.ErrnoException, subject: string): Error {
  return unusableFile(
    error.code === "Z_BUF_ERROR"
      ? `${subject} is cut off: it ends before its compressed data does. Send it whole.`
      : `${subject} is damaged (${error.message}). Compress it again, or send it unpacked.`,
  );
}

/** A gzip stream's content, with a clear refusal when it is cut off or damaged. */
export function gunzipped(bytes: Readable, reading: PackedReading = {}): Readable {
  const gunzip = createGunzip({ finishFlush: reading.prefix ? zlibConstants.Z_SYNC_FLUSH : zlibConstants.Z_FINISH });
  const limited = new UnpackedLimit();
  // Its failure reaches whoever reads it; before a reader is there, it must not end the process.
  limited.on("error", () => {});
  failOnError(bytes, limited, (error) => error);
  failOnError(gunzip, limited, (error) => gzipFailure(error, "The gzip file"));
  return bytes.pipe(gunzip).pipe(limited);
}

/**
 * The first file of a zip's beginning (a sample, cut anywhere): read from its local headers, its
 * deflated data inflated as far as it goes. unzipper waits for an entry's whole data, which a
 * sample does not hold. Null when the sample holds no file's data.
 */
export function zipSampleEntry(sample: Buffer): { name: string; content: Buffer } | null {
  for (let at = 0; at + 30 <= sample.length && sample.readUInt32LE(at) === 0x04034b50;) {
    const [flags, method, size] = [sample.readUInt16LE(at + 6), sample.readUInt16LE(at + 8), sample.readUInt32LE(at + 18)];
    const nameLength = sample.readUInt16LE(at + 26);
    const start = at + 30 + nameLength + sample.readUInt16LE(at + 28);
    const name = sample.subarray(at + 30, at + 30 + nameLength).toString("utf8");
    const known = (flags & 0x08) === 0;
    const data = sample.subarray(start, known ? start + size : sample.length);
    if (!name.endsWith("/") && !BESIDE_THE_FILE.test(name)) {
      const content = method === 0 ? data : method === 8 ? inflateRawSync(data, { finishFlush: zlibConstants.Z_SYNC_FLUSH }) : null;
      return content ? { name: name.split("/").pop() || "upload.csv", content } : null;
    }
    if (!known) return null;
    at = start + size;
  }
  return null;
}

/** An entry a zip program adds beside the file (a folder's own entry is one too). */
const beside = (entry: unzipper.Entry) => entry.type === "Directory" || BESIDE_THE_FILE.test(entry.path);

/**
 * A zip's one file, streamed from its local headers as it arrives: its name and content. A zip
 * holding no file is refused; one holding a second file fails the import when the second begins
 * (nothing is applied), since a zip is read in order and the first may already be read.
 */
export function onlyZipEntry(bytes: Readable): Promise<{ name: string; content: Readable }> {
  const parse = unzipper.Parse({ forceStream: true });
  const content = new UnpackedLimit();
  // Its failure reaches whoever reads it (a stream's reader listens for errors); before a reader
  // is there, it must not end the process.
  content.on("error", () => {});
  let first: string | null = null;
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => (first === null ? reject(error) : content.destroy(error));
    bytes.on("error", fail);
    parse.on("error", (error: Error) => fail(unusableFile(`The zip file is damaged or cut off (${error.message}).`)));
    parse.on("data", (entry: unzipper.Entry) => {
      if (beside(entry)) {
        entry.autodrain();
        return;
      }
      if (first !== null) {
        entry.autodrain();
        fail(unusableFile(`The zip holds more than one file ("${first}", "${entry.path}"); zip one CSV, TSV or workbook.`));
        return;
      }
      first = entry.path;
      entry.on("error", (error: Error) => fail(unusableFile(`The zip file is damaged or cut off (${error.message}).`)));
      entry.pipe(content, { end: false });
      // The content ends with the archive, not its entry: a second file after it still fails the import.
      entry.on("end", () => (parsed ? content.end() : (entryRead = true)));
      resolve({ name: first.split("/").pop() || "upload.csv", content });
    });
    let [parsed, entryRead] = [false, false];
    parse.on("end", () => {
      parsed = true;
      if (first === null) reject(unusableFile("The zip holds no file; zip one CSV, TSV or workbook."));
      else if (entryRead) content.end();
    });
    bytes.pipe(parse);
  });
}
