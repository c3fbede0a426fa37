/** "1 row was" / "12,408 rows were": a count and the words that agree with it, for messages in English. */
export const countWords = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
