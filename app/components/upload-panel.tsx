import { useFetcher, useNavigate } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApplyOptions, useReviewPreference } from "~/components/apply-options";
import { MappingStep, type ReadingChoice } from "~/components/mapping-step";
import { formatBytes } from "~/lib/format";
import { gzippedForUpload } from "~/lib/packed-upload";
import { SAMPLE_BYTES } from "../../server/files/dialect.schema";
import { UPLOAD_OPTIONS, type UploadOptionsText } from "../../server/imports/import.schema";
import type { Inspection } from "../../server/imports/upload/inspect-file";
import { PLATFORM_NAMES, type ColumnMapping } from "../../server/mappings/mapping.schema";

type UploadState =
  | { phase: "idle" }
  | { phase: "compressing"; total: number }
  | { phase: "sending"; loaded: number; total: number }
  | { phase: "staging"; total: number }
  | { phase: "error"; message: string };

const platformNames = Object.values(PLATFORM_NAMES);
/** "Shopify, WooCommerce, … or BigCommerce": the exports read as their platform writes them. */
const PLATFORMS = `${platformNames.slice(0, -1).join(", ")} or ${platformNames.at(-1)}`;

const NO_CHOICE: ReadingChoice = { encoding: "auto", delimiter: "auto", profile: "", sheet: "" };

/** The file's first bytes as base64 (what imports.inspect reads). */
async function sampleOf(file: File): Promise<{ sample: string; wholeFile: boolean }> {
  const bytes = new Uint8Array(await file.slice(0, SAMPLE_BYTES).arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { sample: btoa(binary), wholeFile: file.size <= SAMPLE_BYTES };
}

/**
 * Choose a file, see how it will be read (app/routes/imports.inspect.tsx reads its first 64 KB:
 * nothing is uploaded twice), change the columns if needed, then send it with XMLHttpRequest, which
 * reports upload progress. Without JavaScript the same form posts to the API, which reads the file
 * with the mapping it would suggest and redirects to the import's page.
 */
export function UploadPanel({ maxUploadBytes }: { maxUploadBytes: number }) {
  const [state, setState] = useState<UploadState>({ phase: "idle" });
  const [review, setReview] = useReviewPreference();
  const [file, setFile] = useState<File | null>(null);
  const [reading, setReading] = useState<ReadingChoice>(NO_CHOICE);
  const [mapping, setMapping] = useState<ColumnMapping | null>(null);
  /** Whether the person changed a column: only then is the mapping sent (and remembered). */
  const [mappingChosen, setMappingChosen] = useState(false);
  /** A workbook's header the server named when it could not match its columns (too large to inspect first). */
  const [refusedHeader, setRefusedHeader] = useState<string[] | null>(null);
  const inspect = useFetcher<Inspection | { error: string }>();
  const request = useRef<XMLHttpRequest | null>(null);
  const navigate = useNavigate();
  const inspection = inspect.data && "header" in inspect.data ? inspect.data : null;

  const askInspect = async (chosen: File, choice: ReadingChoice, columns: ColumnMapping | null) => {
    const { sample, wholeFile } = await sampleOf(chosen);
    inspect.submit(
      { sample, wholeFile, filename: chosen.name, ...choice, ...(columns ? { mapping: JSON.stringify(columns) } : {}) },
      { method: "post", action: "/imports/inspect", encType: "application/json" },
    );
  };

  useEffect(() => {
    // A fresh inspection suggests the columns, unless the person already chose them.
    if (inspection && !mappingChosen) setMapping(inspection.mapping as ColumnMapping);
  }, [inspection, mappingChosen]);

  function choose(chosen: File | null) {
    setFile(chosen);
    setState({ phase: "idle" });
    setReading(NO_CHOICE);
    setMapping(null);
    setMappingChosen(false);
    setRefusedHeader(null);
    if (chosen) void askInspect(chosen, NO_CHOICE, null);
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    if (!file) {
      setState({ phase: "error", message: "Choose a file first." });
      return;
    }
    if (file.size > maxUploadBytes) {
      setState({ phase: "error", message: `The file is ${formatBytes(file.size)}; the limit is ${formatBytes(maxUploadBytes)}.` });
      return;
    }
    const options = uploadOptionsOf(form);
    void send(form, file, options);
  }

  /** Compressed first when large (gzip, in the browser), then sent; progress counts the file's own bytes either way. */
  async function send(form: HTMLFormElement, file: File, options: UploadOptionsText) {
    setState({ phase: "compressing", total: file.size });
    const packed = await gzippedForUpload(file).catch(() => null);
    const body = packed ?? file;
    const xhr = new XMLHttpRequest();
    request.current = xhr;
    setState({ phase: "sending", loaded: 0, total: file.size });
    // The bytes sent, as the share of the file they carry.
    const ofFile = (sent: number) => Math.min(file.size, Math.round((sent / body.size) * file.size));
    xhr.upload.onprogress = (progress) => setState({ phase: "sending", loaded: ofFile(progress.loaded), total: file.size });
    xhr.upload.onload = () => setState({ phase: "staging", total: file.size });
    xhr.onload = () => {
      request.current = null;
      const answer = safeJson(xhr.responseText);
      if (xhr.status === 202 && answer?.id) {
        form.reset();
        navigate(`/imports/${answer.id}`);
        return;
      }
      if (answer?.suggestedMapping && answer.header) {
        // A workbook too large to look into first: choose its columns now and send it again.
        setMapping(answer.suggestedMapping);
        setMappingChosen(true);
        setRefusedHeader(answer.header);
      }
      setState({ phase: "error", message: answer?.error ?? `The upload failed (HTTP ${xhr.status}).` });
    };
    xhr.onerror = () => setState({ phase: "error", message: "The connection was lost during the upload. Try again." });
    xhr.onabort = () => setState({ phase: "idle" });
    // Options go before the file: the server reads them before the file streams in. A compressed
    // file keeps its own name: the server tells gzip by its first bytes.
    const data = new FormData();
    for (const [name, value] of Object.entries(options)) if (value !== undefined) data.append(name, value);
    data.append("file", body, file.name);
    xhr.open("POST", "/api/imports");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.send(data);
  }

  /** The upload's options (import.schema.ts reads them): the form's apply choices, then how to read the file and its columns. */
  function uploadOptionsOf(form: HTMLFormElement): UploadOptionsText {
    const fields = new FormData(form);
    const options: UploadOptionsText = {};
    for (const name of UPLOAD_OPTIONS) {
      const value = fields.get(name);
      if (typeof value === "string") options[name] = value;
    }
    if (reading.encoding !== "auto") options.encoding = reading.encoding;
    if (reading.delimiter !== "auto") options.delimiter = reading.delimiter;
    if (reading.sheet) options.sheet = reading.sheet;
    const profile = reading.profile || (mappingChosen ? inspection?.profile : "") || "";
    if (profile) options.profile = profile;
    if (mappingChosen && mapping) options.mapping = JSON.stringify(mapping);
    return options;
  }

  const busy = state.phase === "compressing" || state.phase === "sending" || state.phase === "staging";
  const percent = state.phase === "sending" && state.total ? Math.floor((state.loaded / state.total) * 100) : 100;
  const inspectError = inspect.data && "error" in inspect.data ? inspect.data.error : null;

  return (
    <form className="panel upload" method="post" action="/api/imports" encType="multipart/form-data" onSubmit={submit}>
      <h2>Import a file</h2>
      <p className="hint">
        A CSV (any separator, UTF-8, UTF-16 or Windows-1252) or an Excel workbook (.xlsx): a product export from {PLATFORMS}, or your own columns for
        SKU, name, description and active. A row replaces the product with the same SKU (in any letter case). Up to {formatBytes(maxUploadBytes)}.
      </p>
      <ApplyOptions disabled={busy} review={review} onReview={setReview} />
      <div className="upload-row">
        <label className="file-label">
          <span className="visually-hidden">CSV file or Excel workbook</span>
          <input
            type="file"
            name="file"
            accept=".csv,.tsv,.txt,.xlsx,text/csv,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            required
            disabled={busy}
            onChange={(event) => choose(event.currentTarget.files?.[0] ?? null)}
          />
        </label>
        <button type="submit" className="button primary" disabled={busy || inspect.state !== "idle"}>
          {review ? "Upload and review" : "Upload and import"}
        </button>
        {busy ? (
          <button type="button" className="button" onClick={() => request.current?.abort()}>
            Stop upload
          </button>
        ) : null}
      </div>
      {file && inspection && mapping ? (
        <MappingStep
          inspection={refusedHeader && !inspection.header.length ? { ...inspection, header: refusedHeader } : inspection}
          mapping={mapping}
          reading={reading}
          busy={inspect.state !== "idle"}
          onMapping={(next) => {
            setMapping(next);
            setMappingChosen(true);
            if (!refusedHeader) void askInspect(file, reading, next);
          }}
          onReading={(next) => {
            setReading(next);
            void askInspect(file, next, mappingChosen ? mapping : null);
          }}
        />
      ) : null}
      {inspectError ? (
        <p className="error" role="alert">
          {inspectError}
        </p>
      ) : null}
      <div className="upload-status" aria-live="polite">
        {state.phase === "compressing" ? (
          <>
            <progress aria-label="Compressing" />
            <span>Compressing {formatBytes(state.total)} before sending…</span>
          </>
        ) : null}
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

function safeJson(text: string): { id?: string; error?: string; suggestedMapping?: ColumnMapping; header?: string[] } | null {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
