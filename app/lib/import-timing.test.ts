import { describe, expect, it } from "vitest";
import { describeImportTiming, importWorkDuration } from "./import-timing";

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, 0) + seconds * 1000).toISOString();

describe("how long an import took, the waits apart", () => {
  const reviewed = { createdAt: at(0), uploadedAt: at(1.2), reviewedAt: at(241.2), startedAt: at(241.3), finishedAt: at(241.383) };

  it("names the wait in review apart from reading and applying", () => {
    expect(describeImportTiming(reviewed)).toBe("Read in 1.2 s · waited 4 min 0 s in review · applied in 83 ms");
    expect(importWorkDuration(reviewed)).toBe("1.3 s");
  });

  it("for an import applied straight away: read and applied, a short queue wait left unsaid", () => {
    const straight = { createdAt: at(0), uploadedAt: at(2), reviewedAt: null, startedAt: at(2.05), finishedAt: at(3) };
    expect(describeImportTiming(straight)).toBe("Read in 2.0 s · applied in 950 ms");
    expect(importWorkDuration(straight)).toBe("3.0 s");
  });

  it("says a long wait behind other imports", () => {
    const queued = { createdAt: at(0), uploadedAt: at(1), reviewedAt: null, startedAt: at(31), finishedAt: at(32) };
    expect(describeImportTiming(queued)).toBe("Read in 1.0 s · waited 30 s in the queue · applied in 1.0 s");
    expect(importWorkDuration(queued)).toBe("2.0 s");
  });

  it("an upload that failed while it was read took its reading time; an unfinished import has no duration yet", () => {
    const failed = { createdAt: at(0), uploadedAt: null, reviewedAt: null, startedAt: null, finishedAt: at(4) };
    expect(importWorkDuration(failed)).toBe("4.0 s");
    expect(importWorkDuration({ ...reviewed, finishedAt: null })).toBe("—");
  });
});
