import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useRef, useState } from "react";
import { FieldError, FormError, invalidProps } from "~/components/field-errors";
import type { FieldErrors } from "~/lib/field-errors";
import type { CustomField } from "~/lib/use-fields";
import { FIELD_TYPE_LABELS, FIELD_TYPES, type FieldType } from "../../server/products/custom-fields/field-values.schema";

type Answer = { field: CustomField; column: string } | { errors: FieldErrors; values: Record<string, string> };

/**
 * One column no field takes, with "New field from this column": a small form (label, type guessed
 * from the column's first values, options for a choice) that defines the field; the step then maps
 * the column to it.
 */
export function NewFieldFromColumn({
  column,
  suggestedType,
  onCreated,
}: {
  column: string;
  suggestedType: FieldType;
  onCreated: (field: CustomField) => void;
}) {
  const [open, setOpen] = useState(false);
  const [type, setType] = useState<FieldType>(suggestedType);
  const fetcher = useFetcher<Answer>();
  const id = useId();
  const labelInput = useRef<HTMLInputElement>(null);
  const group = useRef<HTMLDivElement>(null);
  /** Sends the group's inputs as the form they would be, with the column they come from. */
  const create = () => {
    const data = new FormData();
    data.set("column", column);
    for (const input of group.current?.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>("[name]") ?? []) {
      data.set(input.name, input.value);
    }
    fetcher.submit(data, { method: "post", action: "/fields/from-column" });
  };
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = answer && "errors" in answer ? answer.errors : undefined;
  const created = answer && "field" in answer && answer.column === column ? answer.field : null;
  useEffect(() => {
    if (created) {
      setOpen(false);
      onCreated(created);
    }
    // Once per answer: onCreated is a new function on every render.
  }, [created]);
  useEffect(() => {
    if (open) labelInput.current?.focus();
  }, [open]);
  return (
    <li className="unmapped-column">
      <span className="filename">{column}</span> <span className="hint">looks like {FIELD_TYPE_LABELS[suggestedType].toLowerCase()}</span>{" "}
      {open ? null : (
        <button type="button" className="button small" onClick={() => setOpen(true)}>
          New field from this column
        </button>
      )}
      {open ? (
        // Not a form: it sits inside the upload's form, and a form inside a form posts the whole page away.
        <div
          ref={group}
          role="group"
          className="new-field-form"
          aria-label={`New field from ${column}`}
          onKeyDown={(event) => {
            if (event.key === "Enter" && event.target instanceof HTMLInputElement) {
              event.preventDefault();
              create();
            }
          }}
        >
          <FormError errors={errors} />
          <label htmlFor={`${id}-label`}>Label</label>
          <input id={`${id}-label`} ref={labelInput} name="label" defaultValue={column} required {...invalidProps(errors, "label")} />
          <FieldError errors={errors} field="label" />
          <FieldError errors={errors} field="key" />
          <label htmlFor={`${id}-type`}>Type</label>
          <select id={`${id}-type`} name="type" value={type} onChange={(event) => setType(event.target.value as FieldType)}>
            {FIELD_TYPES.map((option) => (
              <option key={option} value={option}>
                {FIELD_TYPE_LABELS[option]}
              </option>
            ))}
          </select>
          {type === "choice" ? (
            <>
              <label htmlFor={`${id}-options`}>Options, one per line</label>
              <textarea id={`${id}-options`} name="options" rows={3} {...invalidProps(errors, "options")} />
              <FieldError errors={errors} field="options" />
            </>
          ) : null}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="button" className="button primary" disabled={fetcher.state !== "idle"} onClick={create}>
              Create field
            </button>
          </div>
        </div>
      ) : null}
    </li>
  );
}
