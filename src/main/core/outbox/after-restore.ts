import { createAuditLog } from '../audit/audit-log'
import type { Db } from '../db/open'

export const RESTORED_SENDING_REASON =
  'Copia di sicurezza ripristinata mentre il messaggio era in invio: non si sa se sia partito. ' +
  'Verifica e scegli «Reinvia» o «Segna come inviato».'

export const RESTORED_QUEUED_REASON =
  'Annullato al ripristino della copia di sicurezza: nulla riparte da solo, decide l’operatore.'

export interface FrozenSends {
  /** Alerts that were scheduled or sending, now stopped. */
  stoppedAlerts: number[]
  cancelledRows: number
  uncertainRows: number
}

/**
 * A restored workspace never resends on its own: the backup may be hours old
 * and its queue long since sent (or meant no more). Every open alert is
 * stopped, queued rows (alerts, replies, relays) are cancelled, rows that were
 * in flight become uncertain, and the journal says so. One transaction, on
 * the staged copy, before it replaces the workspace.
 */
export function freezeRestoredSends(db: Db, now: Date, backupName: string): FrozenSends {
  const at = now.toISOString()
  const ms = now.getTime()
  return db.transaction((): FrozenSends => {
    const stoppedAlerts = db
      .prepare<[string, string], { id: number }>(
        `UPDATE alerts SET status = 'stopped', finished_at = ?, updated_at = ?
         WHERE status IN ('scheduled', 'sending') RETURNING id`,
      )
      .all(at, at)
      .map((r) => r.id)
    const cancelledRows = db
      .prepare<[string, number]>(
        `UPDATE outbox SET state = 'cancelled', last_error_code = 'restored', last_error = ?,
           updated_at = ? WHERE state = 'queued'`,
      )
      .run(RESTORED_QUEUED_REASON, ms).changes
    const uncertainRows = db
      .prepare<[string, number]>(
        `UPDATE outbox SET state = 'uncertain', lease_until = NULL, last_error_code = 'restored',
           last_error = ?, updated_at = ? WHERE state = 'sending'`,
      )
      .run(RESTORED_SENDING_REASON, ms).changes
    const frozen = { stoppedAlerts, cancelledRows, uncertainRows }
    createAuditLog(db, () => now).record('vedetta', 'workspace.restore', null, {
      backup: backupName,
      ...frozen,
    })
    return frozen
  })()
}
