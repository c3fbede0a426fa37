import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** The parts of a V8 .cpuprofile this summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function's time belongs, by the file it is in: a sentence per phase in the README. */
const AREAS: [string, RegExp][] = [
  ["csv-parse (parsing)", /node_modules\/csv-parse\//],
  ["iconv-lite (decoding)", /node_modules\/iconv-lite\//],
  [
    "row mapping and validation",
    /server\/(imports\/rows\/(row-reader|validate-row|row-encoder|made-sku)|products\/product-rules|files\/formula-cells|mappings\/)/,
  ],
  ["COPY text", /db\/copy-row|server\/imports\/staging\//],
  ["line numbers and batches", /server\/files\/(csv-records|record-batches)/],
  ["worker messages", /server\/imports\/rows\/(parse-worker|worker-row-source)|node:internal\/worker/],
  ["pg and COPY stream", /node_modules\/(pg|pg-protocol|pg-copy-streams)\//],
  ["HTTP and multipart (busboy, express)", /node_modules\/(busboy|streamsearch|express|body-parser)\/|node:(_http|http|net)/],
  ["tRPC, Kysely, zod (API calls)", /node_modules\/(@trpc|kysely|zod)\//],
  ["Node streams", /node:internal\/streams/],
];

function areaOf(frame: CpuProfile["nodes"][number]["callFrame"]): string {
  if (frame.functionName === "(garbage collector)") return "garbage collection";
  if (frame.functionName === "(idle)") return "idle";
  if (frame.functionName === "(program)") return "V8 and native code";
  for (const [area, pattern] of AREAS) if (pattern.test(frame.url)) return area;
  return frame.url ? "other JavaScript" : "native";
}

/** Self time per area and the busiest functions of one thread's profile, in milliseconds. */
export function summarizeProfile(file: string) {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id)!.callFrame;
    const us = profile.timeDeltas[index] ?? 0;
    totalUs += us;
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + us);
    if (area !== "idle") {
      const name = `${frame.functionName || "(anonymous)"} ${frame.url.replace(/^.*\/(node_modules|server|bench)\//, "$1/")}:${frame.lineNumber + 1}`;
      functions.set(name, (functions.get(name) ?? 0) + us);
    }
  });
  const ms = (us: number) => us / 1000;
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: ms(us) }));
  return { file: path.basename(file), totalMs: ms(totalUs), areas: sorted(areas), functions: sorted(functions).slice(0, 12) };
}

/** Prints every thread's profile in `folder` (the server's main thread, and a parse worker per upload). */
export function printProfiles(folder: string): void {
  for (const name of readdirSync(folder).filter((file) => file.endsWith(".cpuprofile"))) {
    const summary = summarizeProfile(path.join(folder, name));
    const busy = summary.areas.filter((area) => area.name !== "idle").reduce((sum, area) => sum + area.ms, 0);
    console.log(`\n${summary.file}: ${(summary.totalMs / 1000).toFixed(1)} s profiled, ${(busy / 1000).toFixed(1)} s busy`);
    console.log("| where | busy ms | share of busy |\n| --- | --- | --- |");
    for (const area of summary.areas.filter((entry) => entry.name !== "idle")) {
      console.log(`| ${area.name} | ${area.ms.toFixed(0)} | ${((area.ms / busy) * 100).toFixed(1)}% |`);
    }
    console.log("busiest functions:");
    for (const entry of summary.functions) console.log(`  ${entry.ms.toFixed(0).padStart(6)} ms  ${entry.name}`);
  }
}
