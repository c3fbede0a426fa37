import { useId } from "react";
import { DELIMITER_LABELS, DELIMITERS, ENCODING_LABELS, ENCODINGS } from "../../server/files/dialect.schema";
import {
  FIELD_LABELS,
  PLATFORM_NAMES,
  PROFILE_IDS,
  TARGET_FIELDS,
  type ColumnMapping,
  type MappingTarget,
} from "../../server/mappings/mapping.schema";
import type { Inspection } from "../../server/imports/upload/inspect-file";
import { attributeTarget } from "../../server/products/custom-fields/attribute-target.schema";
import { useFields } from "~/lib/use-fields";
import { NewFieldFromColumn } from "~/components/new-field-from-column";

/** Platform names, looked up by the profile an inspection names (text, as stored). */
const PROFILE_LABELS: Record<string, string> = PLATFORM_NAMES;
/** Where a saved mapping offered for this file was saved (server/mappings/saved-mapping.ts). */
const SAVED_FOR: Record<NonNullable<Inspection["savedFor"]>, string> = {
  header: "this header",
  platform: "another export of this platform",
  near: "a file with a column more or less",
};

export interface ReadingChoice {
  encoding: string;
  delimiter: string;
  profile: string;
  sheet: string;
}

/**
 * What the file will be read as, before it is uploaded: the detected dialect (changeable), the
 * column each field comes from (one select per field), and the first rows as they would be
 * imported, each with the reason when it would be rejected.
 */
export function MappingStep({
  inspection,
  mapping,
  reading,
  busy,
  onMapping,
  onReading,
}: {
  inspection: Inspection;
  mapping: ColumnMapping;
  reading: ReadingChoice;
  busy: boolean;
  onMapping: (mapping: ColumnMapping) => void;
  onReading: (reading: ReadingChoice) => void;
}) {
  const csv = inspection.format === "csv";
  const id = useId();
  const fields = useFields();
  return (
    <div className="mapping-step" aria-busy={busy}>
      <p className="read-as" aria-live="polite">
        Read as {inspection.readAs}
        {inspection.profile ? ` · looks like a ${PROFILE_LABELS[inspection.profile] ?? inspection.profile} export` : ""}
        {inspection.mappingSource === "saved" ? ` · using the mapping saved for ${SAVED_FOR[inspection.savedFor ?? "header"]}` : ""}
      </p>
      <div className="reading-choices">
        {csv ? (
          <>
            <label>
              Encoding
              <select value={reading.encoding} onChange={(event) => onReading({ ...reading, encoding: event.target.value })}>
                <option value="auto">
                  Detect ({inspection.encoding ? ENCODING_LABELS[inspection.encoding as keyof typeof ENCODING_LABELS] : "—"})
                </option>
                {ENCODINGS.map((encoding) => (
                  <option key={encoding} value={encoding}>
                    {ENCODING_LABELS[encoding]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Separator
              <select value={reading.delimiter} onChange={(event) => onReading({ ...reading, delimiter: event.target.value })}>
                <option value="auto">
                  Detect ({inspection.delimiter ? DELIMITER_LABELS[inspection.delimiter as keyof typeof DELIMITER_LABELS] : "—"})
                </option>
                {DELIMITERS.map((delimiter) => (
                  <option key={delimiter} value={delimiter}>
                    {DELIMITER_LABELS[delimiter]}
                  </option>
                ))}
              </select>
            </label>
          </>
        ) : (
          <label>
            Sheet
            <input
              value={reading.sheet}
              placeholder={inspection.sheet ?? "the first"}
              onChange={(event) => onReading({ ...reading, sheet: event.target.value })}
            />
          </label>
        )}
        <label>
          Export of
          <select value={reading.profile} onChange={(event) => onReading({ ...reading, profile: event.target.value })}>
            <option value="">
              {inspection.profile && !reading.profile ? `Detect (${PROFILE_LABELS[inspection.profile]})` : "No platform (plain columns)"}
            </option>
            {PROFILE_IDS.map((profile) => (
              <option key={profile} value={profile}>
                {PROFILE_LABELS[profile]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {inspection.header.length ? (
        <fieldset className="field-columns">
          <legend>Columns</legend>
          {[
            ...TARGET_FIELDS.map((field) => ({
              target: field as MappingTarget,
              label: FIELD_LABELS[field],
              required: field === "sku" || field === "name" ? "required" : null,
            })),
            ...fields.map((field) => ({
              target: attributeTarget(field.key) as MappingTarget,
              label: field.label,
              required: field.required ? "required for new products" : null,
            })),
          ].map(({ target, label, required }) => (
            <div key={target} className="field-column">
              {/* A label of its own (not around the select), so its name is the field's, not every option's. */}
              <label htmlFor={`${id}-${target}`}>
                {label}
                {required ? <span className="required"> ({required})</span> : null}
              </label>
              <select
                id={`${id}-${target}`}
                value={mapping[target] ?? ""}
                onChange={(event) => onMapping({ ...mapping, [target]: event.target.value || undefined })}
              >
                <option value="">— none —</option>
                {inspection.header.map((column, i) => (
                  <option key={`${column}-${i}`} value={column}>
                    {column}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </fieldset>
      ) : null}
      {inspection.unmapped.length ? (
        <section className="unmapped-columns" aria-label="Columns no field takes">
          <h3>Columns no field takes</h3>
          <p className="hint">They are not imported. Make a field of your own from one to keep its values.</p>
          <ul>
            {inspection.unmapped.map(({ column, suggestedType }) => (
              <NewFieldFromColumn
                key={column}
                column={column}
                suggestedType={suggestedType}
                onCreated={(field) => onMapping({ ...mapping, [attributeTarget(field.key)]: column })}
              />
            ))}
          </ul>
        </section>
      ) : null}
      {inspection.problem ? (
        <p className="error" aria-live="polite">
          {inspection.problem}
        </p>
      ) : null}
      {inspection.preview.length ? <PreviewTable inspection={inspection} /> : null}
    </div>
  );
}

function PreviewTable({ inspection }: { inspection: Inspection }) {
  return (
    <div className="table-scroll preview">
      <table>
        <caption>The first rows as they will be imported</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              Line
            </th>
            <th scope="col">SKU</th>
            <th scope="col">Name</th>
            <th scope="col">Description</th>
            <th scope="col">Active</th>
          </tr>
        </thead>
        <tbody>
          {inspection.preview.map((row) =>
            row.problem ? (
              <tr key={row.line} className="rejected">
                <td className="num">{row.line}</td>
                <td colSpan={4}>Rejected: {row.problem}</td>
              </tr>
            ) : row.skipped ? (
              <tr key={row.line} className="skipped">
                <td className="num">{row.line}</td>
                <td colSpan={4}>Skipped: {row.skipped}</td>
              </tr>
            ) : (
              <tr key={row.line}>
                <td className="num">{row.line}</td>
                <td className="sku">
                  {row.sku}
                  {row.madeSku ? <span className="hint"> (made from its handle)</span> : null}
                </td>
                <td>{row.name}</td>
                <td className="description">{row.descriptionText.length > 80 ? `${row.descriptionText.slice(0, 80)}…` : row.descriptionText}</td>
                <td>{row.active === null ? "unchanged" : row.active ? "yes" : "no"}</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
