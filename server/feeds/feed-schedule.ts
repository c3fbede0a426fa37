import cronParser from "cron-parser";
import { Refusal } from "../refusal.js";
import { SCHEDULE_PRESETS } from "./feed.schema.js";

const EXAMPLE = 'such as "0 6 * * *" (every day at 06:00 UTC), "*/30 * * * *", @hourly or @daily';

/** The cron expression a schedule stands for: five fields (minute hour day month weekday), UTC. */
function cronOf(schedule: string): string {
  const given = schedule.trim().toLowerCase();
  if (given.startsWith("@")) {
    const preset = SCHEDULE_PRESETS[given];
    if (!preset)
      throw scheduleRefused(`"${schedule}" is not a schedule this app knows; use ${Object.keys(SCHEDULE_PRESETS).join(", ")} or a cron expression`);
    return preset;
  }
  const fields = given.split(/\s+/);
  if (fields.length !== 5)
    throw scheduleRefused(`"${schedule}" has ${fields.length} fields; a schedule is 5 (minute hour day month weekday), ${EXAMPLE}`);
  return fields.join(" ");
}

function scheduleRefused(message: string): Refusal {
  return new Refusal("invalid", `Schedule: ${message}.`, { field: "schedule" });
}

/** Refuses a schedule that is not one (naming why); otherwise when it runs next after `after`. */
export function nextRunAfter(schedule: string, after: Date): Date {
  const cron = cronOf(schedule);
  try {
    return cronParser.parseExpression(cron, { currentDate: after, tz: "UTC" }).next().toDate();
  } catch (error) {
    throw scheduleRefused(`"${schedule}" cannot be read (${(error as Error).message}); ${EXAMPLE}`);
  }
}
