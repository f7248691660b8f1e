/**
 * Notices when a voice account's call states cannot be read. A single failed
 * poll is asked again (call-receipts.ts); but while the provider cannot be read,
 * nobody knows whether the calls in progress were answered, and after 30 minutes
 * they end as "esito sconosciuto". The operator must hear of it long before:
 * after CALL_STATUS_BLIND_MS of polls that all failed, `onBlind` tells the reason
 * once; the first poll that reads a state again clears it.
 */

/** How long every poll of an account may fail before the room is told. */
export const CALL_STATUS_BLIND_MS = 2 * 60_000

export interface CallStatusWatch {
  /** A poll of this account's call failed (threw, or answered nothing readable). */
  failed(accountId: number, reason: string): void
  /** A poll of this account's call read a state. */
  read(accountId: number): void
}

export function createCallStatusWatch(options: {
  now: () => number
  /** `reason` when the account has been unreadable too long; null when it reads again. */
  onBlind: (accountId: number, reason: string | null) => void
  blindAfterMs?: number
}): CallStatusWatch {
  const after = options.blindAfterMs ?? CALL_STATUS_BLIND_MS
  const blind = new Map<number, { since: number; told: boolean }>()
  return {
    failed(accountId, reason) {
      const t = options.now()
      const state = blind.get(accountId) ?? { since: t, told: false }
      blind.set(accountId, state)
      if (state.told || t - state.since < after) return
      state.told = true
      const minutes = Math.round((t - state.since) / 60_000)
      options.onBlind(
        accountId,
        `lo stato delle chiamate non si legge da ${minutes} minuti (${reason}). ` +
          'Le chiamate in corso restano aperte e nessuno viene richiamato due volte; ' +
          'dopo 30 minuti senza notizie una chiamata diventa «esito sconosciuto»',
      )
    },
    read(accountId) {
      const state = blind.get(accountId)
      if (!state) return
      blind.delete(accountId)
      if (state.told) options.onBlind(accountId, null)
    },
  }
}
