import { z } from 'zod'
import { ALERT_LEVELS } from '../templates/alert-kinds'
import { command } from './define'

const id = z.number().int().positive()

/**
 * The map of the Circondario's comuni, drawn by the core from the ISTAT
 * boundaries (the same drawing as the posts' map card): the SVG as text, to
 * show as an image, and its alt text.
 */
export const MapView = z.object({
  /** A complete SVG document, drawn by Vedetta from its own data, every text escaped. */
  svg: z.string(),
  width: z.number(),
  height: z.number(),
  /** Italian, as the posts carry it. */
  alt: z.string(),
  /** `card`: the post's card (map, title, validity, legend, ente); `compact`: the map alone. */
  variant: z.enum(['card', 'compact']),
  /** The Circondario's comuni as drawn, with their level. */
  comuni: z.array(z.object({ name: z.string(), istat: z.string(), level: z.enum(ALERT_LEVELS) })),
  /** Comuni named (by the alert or the workspace) that the map cannot place: another union's. */
  unmapped: z.array(z.string()),
})
export type MapView = z.infer<typeof MapView>

const variant = z.enum(['card', 'compact'])

export const mapsCommands = {
  /** The levels in force now in each comune (as Stato shows them), on the map. */
  'maps:levels': command(z.strictObject({ variant: variant.default('compact') }), MapView),
  /** An alert's map (draft or any version): its comuni at its level, its kind and validity. */
  'maps:alert': command(z.strictObject({ id, variant: variant.default('card') }), MapView),
}
