import { Link, useLocation } from "@remix-run/react";

export function pageFromUrl(url: string, param = "page"): number {
  const value = Number(new URL(url).searchParams.get(param));
  return Number.isInteger(value) && value > 0 ? value : 1;
}

/** Previous / next links that keep every other query parameter. */
export function Pagination({ total, page, pageSize, param = "page" }: { total: number; page: number; pageSize: number; param?: string }) {
  const location = useLocation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const hrefFor = (target: number) => {
    const params = new URLSearchParams(location.search);
    params.set(param, String(target));
    return `${location.pathname}?${params}`;
  };
  return (
    <nav className="pagination" aria-label="Pages">
      {page > 1 ? <Link to={hrefFor(page - 1)}>← Previous</Link> : <span aria-hidden="true">← Previous</span>}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? <Link to={hrefFor(page + 1)}>Next →</Link> : <span aria-hidden="true">Next →</span>}
    </nav>
  );
}
