import { runFaultsBench } from './faults'

/** Delivery under faults: timeouts, Stop, restore, outage, priority, stalls (issue goals in faults.ts). */
export async function run(): Promise<Record<string, number>> {
  return { ...(await runFaultsBench((line) => process.stdout.write(`  ${line}\n`))) }
}
