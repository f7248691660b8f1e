import { z } from 'zod'
import { command } from './define'

const text = (max: number) => z.string().trim().max(max, { error: 'too_long' })

/** One or more hashtags separated by spaces, as social posts end with them: `#allertameteoTOS`. */
const HASHTAGS = /^#[\p{L}\p{N}_]+(?:\s+#[\p{L}\p{N}_]+)*$/u

/** Workspace-wide values the alerts use: who speaks, where to read more, how long to cancel. */
export const WorkspaceSettings = z.strictObject({
  ente: text(120).min(1, { error: 'required' }),
  link: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'url' })]),
  numeroEmergenza: text(40),
  /** What social posts end with (`{{hashtag}}`); empty: none. */
  hashtag: text(80).refine((v) => v === '' || HASHTAGS.test(v), { error: 'hashtag' }),
  cancelWindowSeconds: z
    .number({ error: 'number' })
    .int({ error: 'number' })
    .min(0, { error: 'range' })
    .max(600, { error: 'range' }),
  /** What every drill message starts with. */
  drillMarker: text(60).min(1, { error: 'required' }),
  /** A channel whose send would last longer (minutes) is flagged in the preview. */
  sendTimeLimitMinutes: z
    .number({ error: 'number' })
    .int({ error: 'number' })
    .refine((n) => n >= 1 && n <= 1440, { error: 'range', params: { min: 1, max: 1440 } }),
})
export type WorkspaceSettings = z.output<typeof WorkspaceSettings>

export const DEFAULT_SETTINGS: WorkspaceSettings = {
  ente: 'Protezione civile Empolese Valdelsa',
  link: '',
  numeroEmergenza: '112',
  hashtag: '#allertameteoTOS',
  cancelWindowSeconds: 10,
  drillMarker: 'ESERCITAZIONE - ',
  sendTimeLimitMinutes: 10,
}

export const settingsCommands = {
  'settings:get': command(z.strictObject({}), WorkspaceSettings),
  'settings:update': command(WorkspaceSettings.partial(), WorkspaceSettings),
}

export const settingsEvents = {
  'settings:changed': WorkspaceSettings,
}
