import type { Database } from 'better-sqlite3'
import type { WarningLevel } from './types'

/** A banner raised by a bulletin for our zones, as stored until the operator acknowledges it. */
export interface RaisedAlert {
  itemId: number
  change: 'new' | 'update' | 'revised'
  level: WarningLevel | null
  previousLevel: WarningLevel | null
  escalated: boolean
  raisedAt: string
}

interface Row {
  item_id: number
  change: RaisedAlert['change']
  level: WarningLevel | null
  previous_level: WarningLevel | null
  escalated: number
  raised_at: string
}

/** The banners still to acknowledge (table `bulletin_alerts`, migration 011). */
export function createRaisedAlerts(db: Database, clock: () => Date) {
  const s = {
    raise: db.prepare(
      `INSERT INTO bulletin_alerts (item_id, change, level, previous_level, escalated, raised_at)
       VALUES (@item_id, @change, @level, @previous_level, @escalated, @raised_at)
       ON CONFLICT (item_id) DO UPDATE SET change = excluded.change, level = excluded.level,
         previous_level = excluded.previous_level, escalated = excluded.escalated,
         raised_at = excluded.raised_at, acknowledged_at = NULL, acknowledged_by = NULL`,
    ),
    // A banner whose bulletin was replaced by an update that raised its own is not shown again.
    pending: db.prepare<[number], Row>(
      `SELECT * FROM bulletin_alerts a WHERE a.acknowledged_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM feed_items f JOIN bulletin_alerts b ON b.item_id = f.id
                         WHERE f.supersedes_id = a.item_id)
       ORDER BY a.raised_at DESC, a.item_id DESC LIMIT ?`,
    ),
    acknowledge: db.prepare<[string, string, number]>(
      `UPDATE bulletin_alerts SET acknowledged_at = ?, acknowledged_by = ?
       WHERE item_id = ? AND acknowledged_at IS NULL`,
    ),
  }
  return {
    /** Raising a bulletin again (an update, an upgrade) shows its banner again. */
    raise(a: Omit<RaisedAlert, 'raisedAt'>): void {
      s.raise.run({
        item_id: a.itemId,
        change: a.change,
        level: a.level,
        previous_level: a.previousLevel,
        escalated: a.escalated ? 1 : 0,
        raised_at: clock().toISOString(),
      })
    },
    /** Newest first. */
    pending(limit = 20): RaisedAlert[] {
      return s.pending.all(limit).map((r) => ({
        itemId: r.item_id,
        change: r.change,
        level: r.level,
        previousLevel: r.previous_level,
        escalated: r.escalated === 1,
        raisedAt: r.raised_at,
      }))
    },
    /** True when the banner was still up. */
    acknowledge(itemId: number, by: string): boolean {
      return s.acknowledge.run(clock().toISOString(), by, itemId).changes > 0
    },
  }
}

export type RaisedAlerts = ReturnType<typeof createRaisedAlerts>
