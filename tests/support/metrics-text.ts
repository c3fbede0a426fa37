/** One scrape of GET /metrics, read: each sample by its name and labels. */
export interface Scrape {
  text: string;
  /** The sample's value; undefined when the scrape does not have it. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Every sample of the name, with its labels. */
  samples(name: string): { labels: Record<string, string>; value: number }[];
  /** The `# TYPE` the scrape declares for the name. */
  type(name: string): string | undefined;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Reads Prometheus' text format (0.0.4), as much of it as the tests ask about. */
export function readScrape(text: string): Scrape {
  const samples = new Map<string, { labels: Record<string, string>; value: number }[]>();
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    const sample = SAMPLE.exec(line);
    if (!sample || line.startsWith("#")) continue;
    const labels = Object.fromEntries([...(sample[2] ?? "").matchAll(LABEL)].map((match) => [match[1]!, match[2]!.replace(/\\(.)/g, "$1")]));
    const list = samples.get(sample[1]!) ?? [];
    list.push({ labels, value: Number(sample[3]) });
    samples.set(sample[1]!, list);
  }
  return {
    text,
    samples: (name) => samples.get(name) ?? [],
    type: (name) => types.get(name),
    value(name, labels = {}) {
      const found = (samples.get(name) ?? []).find(
        (sample) =>
          Object.entries(labels).every(([key, value]) => sample.labels[key] === value) &&
          Object.keys(sample.labels).length === Object.keys(labels).length,
      );
      return found?.value;
    },
  };
}

/** The sum of every sample of `name` whose labels include `labels` (0 when none). */
export function total(scrape: Scrape, name: string, labels: Record<string, string> = {}): number {
  return scrape
    .samples(name)
    .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}
