/** Past this size a text file is compressed in the browser before it is sent. */
const COMPRESS_FROM_BYTES = 1024 * 1024;

/** Already packed (a workbook is a zip): compressing again gains nothing. */
const PACKED_NAME = /\.(gz|gzip|zip|xlsx|xlsm)$/i;

/**
 * A large CSV or TSV compressed with gzip as the page sends it (`CompressionStream`, streamed from
 * the file): a 60 MB catalog travels as a fifth of that, and the server unpacks it as it arrives
 * (server/files/packed-file.ts). Null when the file is small, packed already, or the browser has
 * no CompressionStream: it is then sent as it is.
 */
export async function gzippedForUpload(file: File): Promise<Blob | null> {
  if (file.size < COMPRESS_FROM_BYTES || PACKED_NAME.test(file.name) || typeof CompressionStream === "undefined") return null;
  return new Response(file.stream().pipeThrough(new CompressionStream("gzip"))).blob();
}
