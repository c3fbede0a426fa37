import { Form, Link, useLocation, useResolvedPath } from "@remix-run/react";
import { formatCount } from "~/lib/format";

export function pageFromUrl(url: string, param = "page"): number {
  const value = Number(new URL(url).searchParams.get(param));
  return Number.isInteger(value) && value > 0 ? value : 1;
}

export interface PaginationProps {
  total: number;
  page: number;
  pageSize: number;
  /** False for a bounded total: there may be pages after the last one it accounts for. */
  totalExact?: boolean;
  /** Whether this page came back full (with a bounded total, whether a next page may exist). */
  fullPage?: boolean;
  /** The query parameter holding the page number. */
  param?: string;
  /** Offers these page sizes (the `size` parameter) when given. */
  pageSizes?: readonly number[];
  /**
   * The page (path and query) the links lead to. Without it, the path of the route rendering the
   * list (not of a dialog open over it, `/imports/5/undo`) with the current query.
   */
  base?: string;
}

/** Previous / next links (and the page size, when offered) that keep every other query parameter. */
export function Pagination({ total, page, pageSize, totalExact = true, fullPage = false, param = "page", pageSizes, base }: PaginationProps) {
  const location = useLocation();
  // "." is the route this list belongs to: a dialog open over it (a child route) is not paged.
  const listPath = useResolvedPath(".").pathname;
  const { pathname, search } = base ? new URL(base, "http://list") : { pathname: listPath, search: location.search };
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const hasNext = totalExact ? page < pages : fullPage;
  if (!pageSizes && page <= 1 && !hasNext) return null;
  const hrefFor = (target: number) => {
    const params = new URLSearchParams(search);
    params.set(param, String(target));
    return `${pathname}?${params}`;
  };
  return (
    <nav className="pagination" aria-label="Pages">
      {pageSizes ? <PageSize sizes={pageSizes} current={pageSize} param={param} action={pathname} search={search} /> : null}
      {page > 1 ? <Link to={hrefFor(page - 1)}>← Previous</Link> : <span aria-hidden="true">← Previous</span>}
      <span>
        Page {formatCount(page)}
        {totalExact ? ` of ${formatCount(pages)}` : ""}
      </span>
      {hasNext ? <Link to={hrefFor(page + 1)}>Next →</Link> : <span aria-hidden="true">Next →</span>}
    </nav>
  );
}

function PageSize({
  sizes,
  current,
  param,
  action,
  search,
}: {
  sizes: readonly number[];
  current: number;
  param: string;
  action: string;
  search: string;
}) {
  const kept = [...new URLSearchParams(search)].filter(([key]) => key !== "size" && key !== param);
  return (
    <Form method="get" action={action} className="page-size">
      {kept.map(([key, value]) => (
        <input key={key} type="hidden" name={key} value={value} />
      ))}
      <label>
        Per page{" "}
        <select name="size" defaultValue={current} onChange={(event) => event.currentTarget.form?.requestSubmit()}>
          {sizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
      <noscript>
        <button type="submit" className="button">
          Show
        </button>
      </noscript>
    </Form>
  );
}
