import { z } from 'zod'
import { command } from './define'

export const SystemInfo = z.object({
  version: z.string(),
  mode: z.enum(['real', 'drill']),
  /** How the UI is reached: the Electron window or the loopback host. */
  shell: z.enum(['electron', 'host']),
  workspaceName: z.string(),
})
export type SystemInfo = z.infer<typeof SystemInfo>

/** Something wrong with the room's own machinery (not a channel's provider): shown in Stato. */
export const HealthProblem = z.object({
  /** Which part: `dispatcher`, `receipts`, `inbound`, `events`… */
  source: z.string(),
  /** What the operator reads, in Italian, e.g. "invio fermo: disco pieno". */
  message: z.string(),
  /** ISO time the problem was first seen. */
  since: z.string(),
})
export type HealthProblem = z.infer<typeof HealthProblem>

export const systemCommands = {
  'system:info': command(z.strictObject({}), SystemInfo),
  /** The problems of the moment; an empty list when all is well. */
  'system:health': command(z.strictObject({}), z.array(HealthProblem)),
}

export const systemEvents = {
  /** The list of problems changed (a new one, an update, one cleared): the whole list. */
  'system:health': z.array(HealthProblem),
}
