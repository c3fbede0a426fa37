import { Form, Link, useFetcher, useNavigation, useSearchParams } from "@remix-run/react";
import { useId, type KeyboardEvent } from "react";
import { Pagination } from "~/components/pagination";
import { formatCount } from "~/lib/format";
import type { ImportJson } from "~/lib/import-status";

export interface RejectedGrid {
  columns: string[];
  items: {
    line: number;
    cells: Record<string, string>;
    errors: { column: string | null; message: string }[];
    fixed: boolean;
    edited: boolean;
    revision: number;
  }[];
  total: number;
  fixedCount: number;
  broughtInBy: { id: string; filename: string; status: string; rows: number }[];
  page: number;
  pageSize: number;
}

/** The form a grid row's inputs belong to (`form=` on each input: a form cannot wrap a table row). */
const rowForm = (line: number) => `fix-line-${line}`;

/**
 * Arrow keys move between the grid's cells (up and down by row, left and right at the ends of a
 * value), Enter saves the row, Escape puts the cell back as it was saved; Tab moves as anywhere.
 */
function moveInGrid(event: KeyboardEvent<HTMLInputElement>) {
  const input = event.currentTarget;
  const cell = input.closest("td");
  const row = cell?.closest("tr");
  if (!cell || !row) return;
  const column = [...row.children].indexOf(cell);
  const focusAt = (target: Element | null | undefined) => {
    const next = target?.querySelector<HTMLInputElement>("input[data-cell]");
    if (!next) return;
    event.preventDefault();
    next.focus();
    next.select();
  };
  const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
  const atEnd = input.selectionStart === input.value.length;
  if (event.key === "ArrowDown") focusAt(row.nextElementSibling?.children[column]);
  else if (event.key === "ArrowUp") focusAt(row.previousElementSibling?.children[column]);
  else if (event.key === "ArrowLeft" && atStart) focusAt(cell.previousElementSibling);
  else if (event.key === "ArrowRight" && atEnd) focusAt(cell.nextElementSibling);
  else if (event.key === "Escape") {
    event.preventDefault();
    input.value = input.defaultValue;
  } else if (event.key === "Enter") {
    event.preventDefault();
    input.form?.requestSubmit();
  }
}

/**
 * The rejected rows as a grid of the file's own columns (mapped ones first): the cell at fault
 * marked with its message, each cell editable, a row saved on Enter (or its Save button before
 * scripts load) and checked again by the server with the importer's rules. Above it: a filter by
 * problem, find and replace in one column, and "Import N fixed rows".
 */
export function RejectedRowsGrid({ item, grid }: { item: ImportJson; grid: RejectedGrid }) {
  const [params] = useSearchParams();
  const problem = params.get("problem") ?? "";
  const busy = useNavigation().state !== "idle";
  const base = `/imports/${item.id}/rejected`;
  if (!grid.total && !grid.fixedCount && !problem && !item.errorCount) return null;
  return (
    <section className="panel rejected-grid" aria-labelledby="rejected-heading">
      <div className="panel-head">
        <h2 id="rejected-heading">
          Rejected rows ({formatCount(grid.total)}
          {grid.fixedCount ? `, ${formatCount(grid.fixedCount)} fixed` : ""})
        </h2>
        <div className="head-actions">
          <a className="button" href={`/api/imports/${item.id}/errors.csv`} download>
            Download errors.csv
          </a>
          {grid.fixedCount ? (
            <Form method="post" action={base}>
              <input type="hidden" name="intent" value="importFixed" />
              <button type="submit" className="button primary" disabled={busy}>
                {`Import ${formatCount(grid.fixedCount)} fixed ${grid.fixedCount === 1 ? "row" : "rows"}`}
              </button>
            </Form>
          ) : null}
        </div>
      </div>
      <p className="hint">
        Fix a cell and press Enter (or Save): the row is checked again with the importer&apos;s rules. Arrow keys move between cells, Escape puts a
        cell back.{" "}
        {item.status === "review" ? "Fixed rows join this review." : "Fixed rows become an import of their own, with this one's columns and mode."}
      </p>
      {grid.broughtInBy.length ? (
        <p className="hint brought-in">
          {"Fixed rows brought in by "}
          {grid.broughtInBy.map((followUp, at) => (
            <span key={followUp.id}>
              {at ? ", " : ""}
              <Link to={`/imports/${followUp.id}`}>import {followUp.id}</Link>
              {` (${formatCount(followUp.rows)} ${followUp.rows === 1 ? "row" : "rows"}, ${followUp.status})`}
            </span>
          ))}
          .
        </p>
      ) : null}
      <div className="grid-tools">
        <Form method="get" className="inline-form problem-filter" preventScrollReset>
          <label>
            Only rows whose problem mentions
            <input type="search" name="problem" defaultValue={problem} placeholder="price" maxLength={500} />
          </label>
          <button type="submit" className="button">
            Show
          </button>
        </Form>
        {problem && grid.total ? (
          <Form method="post" action={base} className="inline-form" preventScrollReset>
            <input type="hidden" name="intent" value="dropMatching" />
            <input type="hidden" name="message" value={problem} />
            <button type="submit" className="button danger" disabled={busy}>
              {grid.total === 1 ? "Leave out this row" : `Leave out these ${formatCount(grid.total)} rows`}
            </button>
          </Form>
        ) : null}
        <ReplaceForm
          action={base}
          columns={grid.columns}
          initial={grid.items.flatMap((row) => row.errors.map((error) => error.column)).find(Boolean) ?? grid.columns[0]}
        />
      </div>
      {grid.items.length ? (
        <div className="table-scroll">
          <table className="rejected-rows stack-on-phone">
            <thead>
              <tr>
                <th scope="col" className="num">
                  Line
                </th>
                <th scope="col">Problem</th>
                {grid.columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
                <th scope="col">
                  <span className="visually-hidden">Save or leave out</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {grid.items.map((row) => (
                <GridRow key={`${row.line}-${row.revision}`} row={row} columns={grid.columns} action={base} />
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="empty">
          {problem ? `No rows to fix have a problem mentioning "${problem}".` : "Every rejected row is fixed, left out or brought in."}
        </p>
      )}
      <Pagination total={grid.total} page={grid.page} pageSize={grid.pageSize} param="errorsPage" />
    </section>
  );
}

function GridRow({ row, columns, action }: { row: RejectedGrid["items"][number]; columns: string[]; action: string }) {
  const save = useFetcher();
  const drop = useFetcher();
  const messageId = useId();
  const atFault = new Set(row.errors.map((error) => error.column));
  const saving = save.state !== "idle";
  return (
    <tr className={row.fixed ? "fixed" : undefined} aria-busy={saving}>
      <td className="num" data-label="Line">
        {row.line}
        <save.Form id={rowForm(row.line)} method="post" action={action} preventScrollReset>
          <input type="hidden" name="intent" value="fix" />
          <input type="hidden" name="line" value={row.line} />
          <input type="hidden" name="revision" value={row.revision} />
        </save.Form>
      </td>
      <td className="wide problem" data-label="Problem" id={messageId}>
        {row.fixed ? <span className="fixed-mark">Fixed ✓</span> : row.errors.map((error) => error.message).join("; ")}
      </td>
      {columns.map((column) => (
        <td key={column} data-label={column} className={atFault.has(column) ? "at-fault" : undefined}>
          <input
            data-cell
            form={rowForm(row.line)}
            name={`cell:${column}`}
            defaultValue={row.cells[column] ?? ""}
            aria-label={`${column}, line ${row.line}`}
            aria-invalid={atFault.has(column) || undefined}
            aria-describedby={atFault.has(column) ? messageId : undefined}
            onKeyDown={moveInGrid}
            autoComplete="off"
            spellCheck={false}
          />
        </td>
      ))}
      <td className="wide">
        <div className="row-buttons">
          <button type="submit" form={rowForm(row.line)} className="button" disabled={saving}>
            {saving ? "Saving…" : "Save"}
          </button>
          <drop.Form method="post" action={action} preventScrollReset>
            <input type="hidden" name="intent" value="drop" />
            <input type="hidden" name="line" value={row.line} />
            <button type="submit" className="button-link" disabled={drop.state !== "idle"}>
              Leave out
            </button>
          </drop.Form>
        </div>
      </td>
    </tr>
  );
}

/** Find and replace, its column first the one the first row at fault is wrong in. */
function ReplaceForm({ action, columns, initial }: { action: string; columns: string[]; initial: string | null | undefined }) {
  const busy = useNavigation().state !== "idle";
  return (
    <Form method="post" action={action} className="replace-form" preventScrollReset>
      <fieldset>
        <legend>Find and replace in one column</legend>
        <label>
          Column
          <select name="column" defaultValue={initial ?? undefined}>
            {columns.map((column) => (
              <option key={column} value={column}>
                {column}
              </option>
            ))}
          </select>
        </label>
        <label>
          Find
          <input name="find" required maxLength={1000} autoComplete="off" spellCheck={false} />
        </label>
        <label>
          Replace with
          <input name="replace" maxLength={10000} autoComplete="off" spellCheck={false} />
        </label>
        <label className="checkbox">
          <input type="checkbox" name="regex" value="1" />
          Regular expression ($1 for a group)
        </label>
        <div className="replace-buttons">
          <button type="submit" name="intent" value="preview" className="button" disabled={busy}>
            Preview
          </button>
          <button type="submit" name="intent" value="replace" className="button" disabled={busy}>
            Replace in every row
          </button>
        </div>
      </fieldset>
    </Form>
  );
}
