/** "1 s", "1.5 s", "30 s": a timeout as the messages that name it say it. */
export const formatDuration = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);
