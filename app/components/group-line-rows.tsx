import { Link, useLocation } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { LastChange } from "~/components/last-change";
import { Thumbnail } from "~/components/thumbnail";
import { formatCount, formatPrice } from "~/lib/format";
import { optionsSummary, type ListedLine, type ListedProduct, type ProductColumn } from "~/lib/product-columns";
import { productsHref } from "~/lib/product-filters";
import type { RowSelection } from "~/lib/use-row-selection";

/** The URL parameter naming the groups shown open, so a link (or the page before scripts) keeps them. */
export const OPEN_PARAM = "open";

/** Where a variant's row stands: hidden while its group is closed; the first one's id is what the toggle controls. */
export interface VariantPlace {
  hidden: boolean;
  id?: string;
}

export interface GroupLineRowsProps {
  line: ListedLine;
  /** Open when the page was asked for (the URL's `open`), or filtered (its matching variants are what was looked for). */
  open: boolean;
  /** A variant's row, as the table draws every product's; hidden while the group is closed (still in the page, so its box still submits). */
  variantRow: (product: ListedProduct, variant: VariantPlace) => ReactNode;
  selection: RowSelection;
  /** The chosen columns before the description, and after the active switch. */
  middle: readonly ProductColumn[];
  last: readonly ProductColumn[];
  currency: string | undefined;
  filenames: Record<string, string>;
  /** The list's query (filters, sort, page, columns): the group's own list keeps the columns. */
  search: string;
}

/**
 * A group's line in the grouped list: its handle, its first image and its first variant's name, how many
 * variants and which options, each chosen column summed up over them (a price range, the stock
 * together, one value or "Varies"). It opens to the variants' own rows below it, hidden until then,
 * so ticking the whole page takes them too. Before scripts load the toggle is a link that opens it.
 */
export function GroupLineRows({ line, open: openAtFirst, variantRow, selection, middle, last, currency, filenames, search }: GroupLineRowsProps) {
  const [open, setOpen] = useState(openAtFirst);
  const location = useLocation();
  const first = line.variants[0]!;
  const group = line.group!;
  // The group's picture: the first variant's main image, or the first variant's that has one.
  const image = line.variants.find((variant) => variant.images.length > 0)?.images[0];
  const ids = line.variants.map((variant) => variant.id);
  const ticked = ids.filter((id) => selection.selected.has(id)).length;
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (box.current) box.current.indeterminate = ticked > 0 && ticked < ids.length;
  }, [ticked, ids.length]);
  const rowsId = `variants-${first.id}`;
  const counted =
    line.variants.length === line.variantCount
      ? `${formatCount(line.variantCount)} variants`
      : `${formatCount(line.variants.length)} of ${formatCount(line.variantCount)} variants`;
  const options = optionsSummary(line.variants);
  const active = line.variants.filter((variant) => variant.active).length;
  const summaryCells = (columns: readonly ProductColumn[]) =>
    columns.map(({ key, cell, numeric, label, value }) => (
      // As a product's row has them: the last change says what it is without a label.
      <td key={key} className={`${cell}${numeric ? " num" : ""}`} data-label={value === "lastChange" ? undefined : label}>
        {value === "lastChange" ? <LatestChange variants={line.variants} filenames={filenames} /> : summed(key, value, line.variants, currency)}
      </td>
    ));
  return (
    <>
      <tr className="group-line">
        <td className="select">
          <input
            ref={box}
            type="checkbox"
            checked={ticked === ids.length}
            onChange={(event) => selection.setMany(ids, event.currentTarget.checked)}
            aria-label={`Select the variants of ${group}`}
          />
        </td>
        <td className="sku">
          <span className="group-key">{group}</span>
        </td>
        <td className="name">
          <Thumbnail url={image} />
          {first.name}
          <span className="variant-count">
            <Link
              to={`${location.pathname}${toggledOpen(location.search, group)}`}
              preventScrollReset
              role="button"
              className="group-toggle"
              aria-expanded={open}
              aria-controls={rowsId}
              onClick={(event) => {
                event.preventDefault();
                setOpen((was) => !was);
              }}
              onKeyDown={(event) => {
                // A button's key as well as a link's (Enter).
                if (event.key !== " ") return;
                event.preventDefault();
                setOpen((was) => !was);
              }}
            >
              <span aria-hidden="true" className="group-mark">
                {open ? "▾" : "▸"}
              </span>
              {counted}
            </Link>
            {options ? ` · ${options}` : ""}
          </span>
        </td>
        {summaryCells(middle)}
        <td className="description">{first.descriptionText.length > 120 ? `${first.descriptionText.slice(0, 120)}…` : first.descriptionText}</td>
        <td className="active">
          <span className="group-active">
            {active === line.variants.length ? "All active" : `${formatCount(active)} of ${formatCount(line.variants.length)} active`}
          </span>
        </td>
        {summaryCells(last)}
        <td className="row-menu">
          <div className="row-actions">
            <Link to={productsHref(groupQuery(search, group))} aria-label={`Only the variants of ${group}`}>
              Only these
            </Link>
          </div>
        </td>
      </tr>
      {line.variants.map((variant) => variantRow(variant, { hidden: !open, id: variant.id === first.id ? rowsId : undefined }))}
    </>
  );
}

/** The list's query with this group opened or closed (`open=classic-tee`). */
function toggledOpen(search: string, group: string): string {
  const params = new URLSearchParams(search);
  const open = params.getAll(OPEN_PARAM);
  params.delete(OPEN_PARAM);
  for (const each of open.includes(group) ? open.filter((name) => name !== group) : [...open, group]) params.append(OPEN_PARAM, each);
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** The group's own variants, one to a row: its filter, the columns kept, paging and opening dropped. */
function groupQuery(search: string, group: string): string {
  const params = new URLSearchParams(search);
  for (const key of ["page", OPEN_PARAM]) params.delete(key);
  params.set("group", group);
  return `?${params}`;
}

/** One value for the group: the variants' own when they agree; else prices as a range, stock added up, or "Varies". */
function summed(key: string, value: Exclude<ProductColumn["value"], "lastChange">, variants: ListedProduct[], currency: string | undefined) {
  const values = [...new Set(variants.map((variant) => value(variant, currency)))];
  if (values.length === 1) return values[0];
  if (key === "price") {
    const prices = variants.flatMap((variant) => (variant.price === null ? [] : [variant.price])).sort((a, b) => Number(a) - Number(b));
    if (prices.length > 0) return `${formatPrice(prices[0]!, currency)} – ${formatPrice(prices.at(-1)!, currency)}`;
  }
  if (key === "stock" && variants.every((variant) => variant.stock !== null)) {
    return formatCount(variants.reduce((sum, variant) => sum + variant.stock!, 0));
  }
  return <span className="muted">Varies</span>;
}

function LatestChange({ variants, filenames }: { variants: ListedProduct[]; filenames: Record<string, string> }) {
  const latest = variants.reduce((newest, variant) => (variant.lastChange.at > newest.lastChange.at ? variant : newest));
  return <LastChange change={latest.lastChange} filename={filenames[latest.lastChange.importId ?? ""]} />;
}
