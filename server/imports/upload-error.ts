/** An upload that ends without a queued import; `status` is the HTTP answer it deserves. */
export class UploadError extends Error {
  constructor(
    readonly status: 400 | 408 | 409 | 413 | 499 | 500,
    message: string,
    readonly importId: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
