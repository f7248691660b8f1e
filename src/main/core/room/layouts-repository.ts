import { RoomLayout } from '../../../shared/room/layout'
import type { Db } from '../db/open'

/** One saved layout per operator name. */
export function createLayoutsRepository(db: Db) {
  const get = db.prepare<[string], { layout: string }>(
    'SELECT layout FROM room_layouts WHERE operator = ?',
  )
  const put = db.prepare<[string, string, string]>(
    'INSERT INTO room_layouts (operator, layout, updated_at) VALUES (?, ?, ?) ON CONFLICT (operator) DO UPDATE SET layout = excluded.layout, updated_at = excluded.updated_at',
  )
  return {
    /** A stored layout that no longer fits the schema (an older version) counts as none. */
    get(operator: string): RoomLayout | null {
      const row = get.get(operator)
      if (!row) return null
      const parsed = RoomLayout.safeParse(JSON.parse(row.layout))
      return parsed.success ? parsed.data : null
    },
    put(operator: string, layout: RoomLayout, now: string): void {
      put.run(operator, JSON.stringify(layout), now)
    },
  }
}
