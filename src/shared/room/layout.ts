import { z } from 'zod'

/** The panels the room can show; each is a component in the renderer's panel registry. */
export const PANEL_KINDS = [
  'stato',
  'bollettini',
  'cittadini',
  'partner',
  'consegne',
  'diario',
] as const
export type PanelKind = (typeof PANEL_KINDS)[number]

export const PANEL_MIN_WIDTH = 260
export const PANEL_MAX_WIDTH = 1400

export const LAYOUT_PRESETS = ['allerta', 'pace', 'parete'] as const
export type LayoutPreset = (typeof LAYOUT_PRESETS)[number]

export const RoomLayout = z.object({
  preset: z.enum([...LAYOUT_PRESETS, 'custom']),
  /** A wall display: panels cannot be changed from the screen. */
  readOnly: z.boolean().default(false),
  panels: z
    .array(
      z.object({
        id: z.string().min(1).max(40),
        kind: z.enum(PANEL_KINDS),
        width: z.number().int().min(PANEL_MIN_WIDTH).max(PANEL_MAX_WIDTH),
      }),
    )
    .max(12),
})
export type RoomLayout = z.output<typeof RoomLayout>

const panel = (kind: PanelKind, width = 380) => ({ id: kind, kind, width })

/** Ready layouts: during an alert, in peacetime, and for the wall screen. */
export const PRESET_LAYOUTS: Record<LayoutPreset, RoomLayout> = {
  allerta: {
    preset: 'allerta',
    readOnly: false,
    panels: [
      panel('stato', 320),
      panel('bollettini'),
      panel('consegne', 420),
      panel('cittadini', 420),
      panel('partner', 320),
      panel('diario', 340),
    ],
  },
  pace: {
    preset: 'pace',
    readOnly: false,
    panels: [panel('stato', 360), panel('bollettini', 480), panel('diario', 420)],
  },
  parete: {
    preset: 'parete',
    readOnly: true,
    panels: [panel('stato', 520), panel('bollettini', 560), panel('consegne', 560)],
  },
}
