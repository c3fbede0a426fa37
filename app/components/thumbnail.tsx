/**
 * A product's image, small: loaded only when scrolled to, without telling the image's host which
 * page asked (no referrer), in a box of fixed size so nothing moves when it arrives. The list's
 * rows, a group's line and the dialog's gallery show them alike.
 */
export function Thumbnail({ url }: { url: string | undefined }) {
  if (!url) return null;
  return <img className="thumb" src={url} alt="" width={32} height={32} loading="lazy" decoding="async" referrerPolicy="no-referrer" />;
}
