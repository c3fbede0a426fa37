import { Form, Link, useFetcher, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { FieldError, FormError, invalidProps } from "~/components/field-errors";
import { MappingStep, type ReadingChoice } from "~/components/mapping-step";
import type { FieldErrors } from "~/lib/field-errors";
import { DECIMAL_LABELS, EMPTY_CELL_LABELS, EMPTY_DESCRIPTION_LABELS, MODE_LABELS, SYNC_ACTION_LABELS } from "~/lib/import-status";
import { ChoiceSelect } from "~/components/choice-select";
import { headersFromText } from "~/lib/feed-form-data";
import { GUARD_KEYS, GUARD_LIMITS } from "../../server/feeds/feed.schema";
import type { FeedJson } from "../../server/feeds/feed-json";
import { DECIMAL_SEPARATORS, EMPTY_CELL_RULES, EMPTY_DESCRIPTION_RULES, IMPORT_MODES, SYNC_ACTIONS } from "../../server/imports/import.schema";
import type { Inspection } from "../../server/imports/upload/inspect-file";
import type { ColumnMapping } from "../../server/mappings/mapping.schema";

type Values = Record<string, string>;

/** A value as the form shows it: what was posted (a refused form), else the feed's, else the default. */
const valueOf = (values: Values | undefined, name: string, stored: unknown, fallback = "") =>
  values?.[name] ?? (stored === undefined || stored === null ? fallback : String(stored));

/**
 * A feed: its source and how to log in, its schedule, how its file is read and applied (an
 * upload's options; the columns chosen from a sample of the source's file), and its guard. A plain
 * form: it posts without JavaScript (the columns are then matched by name, as an upload's are).
 */
export function FeedForm({ feed, errors, values, cancelHref }: { feed?: FeedJson; errors?: FieldErrors; values?: Values; cancelHref: string }) {
  const busy = useNavigation().state === "submitting";
  const formRef = useRef<HTMLFormElement>(null);
  const inspect = useFetcher<Inspection | { error: string }>();
  const inspection = inspect.data && "header" in inspect.data ? inspect.data : null;
  const stored = feed?.options ?? {};
  const [reading, setReading] = useState<ReadingChoice>({
    encoding: valueOf(values, "encoding", stored.encoding, "auto"),
    delimiter: valueOf(values, "delimiter", stored.delimiter, "auto"),
    profile: valueOf(values, "profile", stored.profile),
    sheet: valueOf(values, "sheet", stored.sheet),
  });
  const initialMapping = values?.mapping ? (JSON.parse(values.mapping) as ColumnMapping) : ((stored.mapping as ColumnMapping | undefined) ?? null);
  const [mapping, setMapping] = useState<ColumnMapping | null>(initialMapping);
  const [mappingChosen, setMappingChosen] = useState(initialMapping !== null);
  const [mode, setMode] = useState(valueOf(values, "mode", stored.mode, "upsert"));

  useEffect(() => {
    if (inspection && !mappingChosen) setMapping(inspection.mapping as ColumnMapping);
  }, [inspection, mappingChosen]);

  /** Asks the source for its first 64 KB with what the form holds now (a saved feed's secrets fill in blanks). */
  function readColumns(choice: ReadingChoice, columns: ColumnMapping | null) {
    const form = formRef.current;
    if (!form) return;
    const data = new FormData(form);
    const headers = headersFromText(String(data.get("headers") ?? ""));
    const given = (name: string) => (data.get(name) ? { [name]: String(data.get(name)) } : {});
    inspect.submit(
      {
        ...(feed ? { id: feed.id } : {}),
        url: String(data.get("url") ?? ""),
        ...("headers" in headers && Object.keys(headers.headers).length ? { headers: headers.headers } : {}),
        ...given("username"),
        ...given("password"),
        ...given("privateKey"),
        options: {
          ...(choice.encoding !== "auto" ? { encoding: choice.encoding } : {}),
          ...(choice.delimiter !== "auto" ? { delimiter: choice.delimiter } : {}),
          ...(choice.profile ? { profile: choice.profile } : {}),
          ...(choice.sheet ? { sheet: choice.sheet } : {}),
          ...(columns ? { mapping: JSON.stringify(columns) } : {}),
        },
      },
      { method: "post", action: "/feeds/inspect", encType: "application/json" },
    );
  }

  const inspectError = inspect.data && "error" in inspect.data ? inspect.data.error : null;
  const guard = feed?.guard;
  return (
    <Form method="post" className="feed-form" replace ref={formRef}>
      <FormError errors={errors} />
      <fieldset>
        <legend>Source</legend>
        <label>
          Feed title
          <input
            name="name"
            defaultValue={valueOf(values, "name", feed?.name)}
            required
            maxLength={120}
            autoComplete="off"
            {...invalidProps(errors, "name")}
          />
        </label>
        <FieldError errors={errors} field="name" />
        <label>
          File URL
          <input
            name="url"
            type="text"
            inputMode="url"
            placeholder="https://supplier.example.com/export/catalog.csv or sftp://files.example.com/out/catalog.csv"
            defaultValue={valueOf(values, "url", feed?.url)}
            required
            maxLength={2000}
            autoComplete="off"
            {...invalidProps(errors, "url")}
          />
        </label>
        <FieldError errors={errors} field="url" />
        <p className="hint field-hint">http, https or sftp. A gzip file (.gz) or a zip holding one CSV, TSV or workbook is unpacked as it streams.</p>
        <div className="form-columns">
          <label>
            User
            <input
              name="username"
              defaultValue={valueOf(values, "username", feed?.username)}
              maxLength={255}
              autoComplete="off"
              {...invalidProps(errors, "username")}
            />
          </label>
          <label>
            Password
            <input
              name="password"
              type="password"
              autoComplete="new-password"
              placeholder={feed?.hasPassword ? "stored (leave blank to keep it)" : ""}
              {...invalidProps(errors, "password")}
            />
          </label>
        </div>
        <FieldError errors={errors} field="username" />
        <FieldError errors={errors} field="password" />
        <label>
          Private key (SFTP)
          <textarea
            name="privateKey"
            rows={3}
            spellCheck={false}
            autoComplete="off"
            placeholder={feed?.hasPrivateKey ? "stored (leave blank to keep it)" : "-----BEGIN OPENSSH PRIVATE KEY-----"}
            {...invalidProps(errors, "privateKey")}
          />
        </label>
        <FieldError errors={errors} field="privateKey" />
        <label>
          Request headers (http and https)
          <textarea
            name="headers"
            rows={2}
            spellCheck={false}
            autoComplete="off"
            defaultValue=""
            placeholder={
              feed?.headerNames.length ? `stored: ${feed.headerNames.join(", ")} (leave blank to keep them)` : "Authorization: Bearer abc123"
            }
            {...invalidProps(errors, "headers")}
          />
        </label>
        {feed?.headerNames.length ? (
          <label className="checkbox">
            <input type="checkbox" name="clearHeaders" value="1" />
            Remove the stored headers
          </label>
        ) : null}
        <FieldError errors={errors} field="headers" />
        <p className="hint field-hint">Passwords, keys and header values are stored for the runs and never shown again.</p>
      </fieldset>

      <fieldset>
        <legend>Schedule</legend>
        <div className="form-columns">
          <label>
            Runs at (UTC)
            <input
              name="schedule"
              list="schedule-presets"
              defaultValue={valueOf(values, "schedule", feed?.schedule, "0 6 * * *")}
              required
              maxLength={100}
              autoComplete="off"
              spellCheck={false}
              {...invalidProps(errors, "schedule")}
              aria-describedby={errors?.schedule ? "schedule-error schedule-hint" : "schedule-hint"}
            />
            <datalist id="schedule-presets">
              <option value="0 6 * * *">every day at 06:00</option>
              <option value="@hourly">every hour</option>
              <option value="@daily">every day at midnight</option>
              <option value="*/30 * * * *">every 30 minutes</option>
            </datalist>
          </label>
          <label className="checkbox">
            <input type="checkbox" name="enabled" value="1" defaultChecked={values ? values.enabled === "1" : (feed?.enabled ?? true)} />
            On (runs on its schedule)
          </label>
        </div>
        <FieldError errors={errors} field="schedule" />
        <p className="hint field-hint" id="schedule-hint">
          A cron expression in UTC (minute hour day month weekday: <code>0 6 * * *</code> is every day at 06:00), or @hourly, @daily.
        </p>
      </fieldset>

      <fieldset>
        <legend>File and columns</legend>
        <input type="hidden" name="encoding" value={reading.encoding} />
        <input type="hidden" name="delimiter" value={reading.delimiter} />
        <input type="hidden" name="profile" value={reading.profile} />
        <input type="hidden" name="sheet" value={reading.sheet} />
        <input type="hidden" name="mapping" value={mappingChosen && mapping ? JSON.stringify(mapping) : ""} />
        <p className="hint">
          {mappingChosen && mapping
            ? "The columns chosen below are used for every run."
            : "Unless you choose them, each run matches the columns by their names (and a platform's export by its header), as an upload does."}
        </p>
        <button
          type="button"
          className="button"
          onClick={() => readColumns(reading, mappingChosen ? mapping : null)}
          disabled={inspect.state !== "idle"}
        >
          {inspect.state !== "idle" ? "Reading the source…" : "Read the columns from the source"}
        </button>
        {inspectError ? (
          <p className="error" role="alert">
            {inspectError}
          </p>
        ) : null}
        <FieldError errors={errors} field="options.mapping" />
        {inspection && mapping ? (
          <MappingStep
            inspection={inspection}
            mapping={mapping}
            reading={reading}
            busy={inspect.state !== "idle"}
            onMapping={(next) => {
              setMapping(next);
              setMappingChosen(true);
              readColumns(reading, next);
            }}
            onReading={(next) => {
              setReading(next);
              readColumns(next, mappingChosen ? mapping : null);
            }}
          />
        ) : null}
      </fieldset>

      <fieldset>
        <legend>How it applies</legend>
        <label>
          Mode
          <ChoiceSelect
            name="mode"
            choices={IMPORT_MODES}
            labels={MODE_LABELS}
            value={mode}
            onChange={(event) => setMode(event.currentTarget.value)}
          />
        </label>
        <FieldError errors={errors} field="options.mode" />
        <div className="form-columns">
          <label>
            Products not in the file (sync)
            <ChoiceSelect
              name="syncAction"
              choices={SYNC_ACTIONS}
              labels={SYNC_ACTION_LABELS}
              defaultValue={valueOf(values, "syncAction", stored.syncAction, "deactivate")}
              disabled={mode !== "sync"}
            />
          </label>
          <label>
            An empty description cell
            <ChoiceSelect
              name="emptyDescription"
              choices={EMPTY_DESCRIPTION_RULES}
              labels={EMPTY_DESCRIPTION_LABELS}
              defaultValue={valueOf(values, "emptyDescription", stored.emptyDescription, "clear")}
            />
          </label>
          <label>
            An empty price, stock or other typed cell
            <ChoiceSelect
              name="emptyCells"
              choices={EMPTY_CELL_RULES}
              labels={EMPTY_CELL_LABELS}
              defaultValue={valueOf(values, "emptyCells", stored.emptyCells, "clear")}
            />
          </label>
          <label>
            Decimal separator
            <ChoiceSelect
              name="decimalSeparator"
              choices={DECIMAL_SEPARATORS}
              labels={DECIMAL_LABELS}
              defaultValue={valueOf(values, "decimalSeparator", stored.decimalSeparator, "auto")}
            />
          </label>
        </div>
        <label>
          Base URL of relative image paths
          <input
            type="url"
            name="imageBaseUrl"
            inputMode="url"
            autoComplete="off"
            placeholder="https://shop.example.com/media/catalog/product/"
            defaultValue={valueOf(values, "imageBaseUrl", stored.imageBaseUrl)}
            {...invalidProps(errors, "options.imageBaseUrl")}
          />
        </label>
        <FieldError errors={errors} field="options.imageBaseUrl" />
        <FieldError errors={errors} field="options" />
      </fieldset>

      <fieldset className="guard-limits">
        <legend>Guard: applied by itself only within these limits</legend>
        <p className="hint">
          A changed file is staged for review first. Within every limit it is applied; past one it waits for a person, with the reason.
        </p>
        <div className="form-columns">
          {GUARD_KEYS.map((key) => (
            <label key={key}>
              {`${GUARD_LIMITS[key].label} (% of the ${GUARD_LIMITS[key].of === "file" ? "file's rows" : "catalog"})`}
              <input
                name={key}
                type="number"
                inputMode="decimal"
                min={0}
                max={100}
                step="any"
                defaultValue={valueOf(values, key, guard?.[key], String(GUARD_LIMITS[key].default))}
                {...invalidProps(errors, "guard")}
              />
            </label>
          ))}
        </div>
        <FieldError errors={errors} field="guard" />
      </fieldset>

      <div className="dialog-actions">
        <Link to={cancelHref} className="button">
          Cancel
        </Link>
        <button type="submit" className="button primary" disabled={busy}>
          {feed ? "Save feed" : "Add feed"}
        </button>
      </div>
    </Form>
  );
}
