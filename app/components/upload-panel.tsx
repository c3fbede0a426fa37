import { useNavigate } from "@remix-run/react";
import { useRef, useState, type FormEvent } from "react";
import { formatBytes } from "~/lib/format";

type UploadState =
  | { phase: "idle" }
  | { phase: "sending"; loaded: number; total: number; startedAt: number }
  | { phase: "staging"; total: number }
  | { phase: "error"; message: string };

/**
 * Sends the file with XMLHttpRequest because fetch cannot report upload progress. Without
 * JavaScript the same form posts to the API, which redirects to the import's page.
 */
export function UploadPanel({ maxUploadBytes }: { maxUploadBytes: number }) {
  const [state, setState] = useState<UploadState>({ phase: "idle" });
  const request = useRef<XMLHttpRequest | null>(null);
  const navigate = useNavigate();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const file = (form.elements.namedItem("file") as HTMLInputElement).files?.[0];
    if (!file) {
      setState({ phase: "error", message: "Choose a CSV file first." });
      return;
    }
    if (file.size > maxUploadBytes) {
      setState({ phase: "error", message: `The file is ${formatBytes(file.size)}; the limit is ${formatBytes(maxUploadBytes)}.` });
      return;
    }
    const xhr = new XMLHttpRequest();
    request.current = xhr;
    const startedAt = Date.now();
    setState({ phase: "sending", loaded: 0, total: file.size, startedAt });
    xhr.upload.onprogress = (progress) => setState({ phase: "sending", loaded: progress.loaded, total: progress.total || file.size, startedAt });
    xhr.upload.onload = () => setState({ phase: "staging", total: file.size });
    xhr.onload = () => {
      request.current = null;
      const body = safeJson(xhr.responseText);
      if (xhr.status === 202 && body?.id) {
        form.reset();
        navigate(`/imports/${body.id}`);
        return;
      }
      setState({ phase: "error", message: body?.error ?? `The upload failed (HTTP ${xhr.status}).` });
    };
    xhr.onerror = () => setState({ phase: "error", message: "The connection was lost during the upload. Try again." });
    xhr.onabort = () => setState({ phase: "idle" });
    const data = new FormData();
    data.append("file", file, file.name);
    xhr.open("POST", "/api/imports");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.send(data);
  }

  const busy = state.phase === "sending" || state.phase === "staging";
  const percent = state.phase === "sending" && state.total ? Math.floor((state.loaded / state.total) * 100) : 100;

  return (
    <form className="panel upload" method="post" action="/api/imports" encType="multipart/form-data" onSubmit={submit}>
      <h2>Import a CSV</h2>
      <p className="hint">
        Columns <code>sku</code> and <code>name</code> are required, <code>description</code> and <code>active</code> optional. A row replaces the
        product with the same SKU (in any letter case). Up to {formatBytes(maxUploadBytes)}.
      </p>
      <div className="upload-row">
        <label className="file-label">
          <span className="visually-hidden">CSV file</span>
          <input type="file" name="file" accept=".csv,text/csv" required disabled={busy} />
        </label>
        <button type="submit" className="button primary" disabled={busy}>
          Upload and import
        </button>
        {busy ? (
          <button type="button" className="button" onClick={() => request.current?.abort()}>
            Stop upload
          </button>
        ) : null}
      </div>
      <div className="upload-status" aria-live="polite">
        {state.phase === "sending" ? (
          <>
            <progress max={100} value={percent} aria-label="Upload progress" />
            <span>
              Uploading… {percent}% ({formatBytes(state.loaded)} of {formatBytes(state.total)})
            </span>
          </>
        ) : null}
        {state.phase === "staging" ? (
          <>
            <progress aria-label="Checking rows" />
            <span>Uploaded {formatBytes(state.total)}; checking the last rows…</span>
          </>
        ) : null}
        {state.phase === "error" ? (
          <p className="error" role="alert">
            {state.message}
          </p>
        ) : null}
      </div>
    </form>
  );
}

function safeJson(text: string): { id?: string; error?: string } | null {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
