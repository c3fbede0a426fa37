import { Transform, type Readable } from "node:stream";
import type { SourceVersion } from "../../../db/schema.js";

/** A source's file as it streams in, never whole in memory. */
export interface FetchedFile {
  body: Readable;
  filename: string;
  contentType?: string;
  version: SourceVersion;
  /** Bytes received from the source so far (before any Content-Encoding is undone). */
  bytesRead(): number;
}

/** What asking a source gave: its file, or that it is the one the catalog already has. */
export type SourceAnswer = { unchanged: true; version: SourceVersion } | { unchanged: false; file: FetchedFile };

/**
 * Why a source gave no usable file, in words for the feed's page: unreachable, an error answer, a
 * stall, a web page instead of a file. Worth another try.
 */
export class SourceFailed extends Error {}

/** A source this app will not call (a private address): another try cannot help. */
export class SourceRefused extends SourceFailed {}

/** Counts the bytes passing, and fails the stream when none pass for `timeoutMs`. */
export class WatchedBytes extends Transform {
  bytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly timeoutMs: number) {
    super();
    this.arm();
  }

  private arm() {
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => this.destroy(new SourceFailed(`The source stopped sending: nothing arrived for ${Math.round(this.timeoutMs / 100) / 10} s.`)),
      this.timeoutMs,
    );
    this.timer.unref();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void) {
    this.bytes += chunk.length;
    this.arm();
    done(null, chunk);
  }

  override _flush(done: () => void) {
    clearTimeout(this.timer);
    done();
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void) {
    clearTimeout(this.timer);
    done(error);
  }
}

/** Fails the stream when its first bytes are a web page: a login or error page answered instead of the file. */
export class NotAWebPage extends Transform {
  private checked = false;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void) {
    if (!this.checked) {
      this.checked = true;
      const start = chunk
        .subarray(0, 512)
        .toString("latin1")
        .replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, "")
        .trimStart()
        .toLowerCase();
      if (start.startsWith("<!doctype html") || start.startsWith("<html")) {
        done(new SourceFailed("The source answered with a web page (HTML), not a file: check the URL and the credentials (a login or error page?)."));
        return;
      }
    }
    done(null, chunk);
  }
}

/** The base name of a path, as a file name for the import (never used as a path). */
export function baseName(path: string, fallback: string): string {
  const last = path.split("/").pop() ?? "";
  let name = last;
  try {
    name = decodeURIComponent(last);
  } catch {
    // A stray % stays as written.
  }
  return (
    name
      .replace(/[\u0000-\u001f]/g, "")
      .trim()
      .slice(0, 255) || fallback
  );
}
