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

export const systemCommands = {
  'system:info': command(z.strictObject({}), SystemInfo),
}

export const systemEvents = {}
