import type { SelectHTMLAttributes } from "react";

/** A select of fixed choices, each shown by its label (the import's mode, a sync's action, an empty cell's rule). */
export function ChoiceSelect<Choice extends string>({
  choices,
  labels,
  ...select
}: { choices: readonly Choice[]; labels: Record<Choice, string> } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <select {...select}>
      {choices.map((value) => (
        <option key={value} value={value}>
          {labels[value]}
        </option>
      ))}
    </select>
  );
}
