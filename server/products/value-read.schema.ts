/**
 * What reading a typed value from text answers: the stored value, or what is wrong with the text,
 * worded to follow `<field> "<value>"` (`price "abc" is not a number`).
 */
export type Read<T> = { value: T } | { problem: string };
