import { unusableFile } from "./unusable-file.js";

export const FILE_FORMATS = ["csv", "xlsx"] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** An OLE2 compound file: an old .xls workbook, or an .xlsx encrypted with a password (Excel wraps those alike). */
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((byte, i) => bytes[i] === byte);

/**
 * What the upload is, from its first bytes first (a workbook named `.csv` is still a workbook),
 * then its name and type. Old `.xls` files and password-protected workbooks are refused by name.
 */
export function formatOf(firstBytes: Uint8Array, file: { filename: string; contentType?: string }): FileFormat {
  if (startsWith(firstBytes, OLE2)) {
    throw unusableFile(
      "This is a password-protected workbook or an old .xls file, which cannot be read. Remove the password and save it as .xlsx (Excel Workbook), or as CSV.",
    );
  }
  if (startsWith(firstBytes, ZIP)) return "xlsx";
  const named = file.filename.toLowerCase();
  if (named.endsWith(".xlsx") || file.contentType?.toLowerCase().startsWith(XLSX_CONTENT_TYPE)) {
    throw unusableFile(
      firstBytes.length ? "The file is named as an .xlsx workbook but is not one (a workbook is a zip archive)." : "The workbook is empty.",
    );
  }
  if (/\.(xls|xlsb|xlsm|ods|numbers)$/.test(named)) {
    throw unusableFile(`A ${named.slice(named.lastIndexOf("."))} file cannot be read; save it as .xlsx (Excel Workbook) or as CSV.`);
  }
  return "csv";
}
