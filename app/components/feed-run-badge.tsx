import { RUN_STATUS } from "~/lib/feed-status";
import type { FeedRunJson } from "../../server/feeds/feed-json";

export function FeedRunBadge({ status }: { status: FeedRunJson["status"] }) {
  return <span className={`badge badge-${RUN_STATUS[status].badge}`}>{RUN_STATUS[status].label}</span>;
}
