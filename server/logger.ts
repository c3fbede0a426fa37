import pino from "pino";

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "product-importer" }, timestamp: pino.stdTimeFunctions.isoTime });
}
