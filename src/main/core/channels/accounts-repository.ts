import type { Db } from '../db/open'
import type { ChannelKind } from '../../../shared/channels/kinds'

export interface ChannelAccountRow {
  id: number
  kind: ChannelKind
  name: string
  enabled: boolean
  settings: Record<string, unknown>
  secretNames: string[]
  createdAt: string
  updatedAt: string
}

interface RawRow {
  id: number
  kind: string
  name: string
  enabled: number
  settings: string
  secret_names: string | null
  created_at: string
  updated_at: string
}

const SELECT = `
  SELECT a.id, a.kind, a.name, a.enabled, a.settings, a.created_at, a.updated_at,
         (SELECT group_concat(s.name) FROM channel_secrets s WHERE s.account_id = a.id) AS secret_names
  FROM channel_accounts a`

function toRow(r: RawRow): ChannelAccountRow {
  return {
    id: r.id,
    kind: r.kind as ChannelKind,
    name: r.name,
    enabled: r.enabled === 1,
    settings: JSON.parse(r.settings) as Record<string, unknown>,
    secretNames: r.secret_names ? r.secret_names.split(',').sort() : [],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

/** Channel accounts and their sealed secrets. Secrets are only read back for sending. */
export function createChannelAccountsRepository(db: Db) {
  const list = db.prepare<[], RawRow>(`${SELECT} ORDER BY a.name COLLATE NOCASE`)
  const get = db.prepare<[number], RawRow>(`${SELECT} WHERE a.id = ?`)
  const byName = db.prepare<[string], { id: number }>(
    'SELECT id FROM channel_accounts WHERE name = ?',
  )
  const insert = db.prepare<[string, string, number, string, string, string]>(
    'INSERT INTO channel_accounts (kind, name, enabled, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const update = db.prepare<[string, number, string, string, number]>(
    'UPDATE channel_accounts SET name = ?, enabled = ?, settings = ?, updated_at = ? WHERE id = ?',
  )
  const remove = db.prepare<[number]>('DELETE FROM channel_accounts WHERE id = ?')
  const putSecret = db.prepare<[number, string, Buffer]>(
    'INSERT INTO channel_secrets (account_id, name, ciphertext) VALUES (?, ?, ?) ON CONFLICT (account_id, name) DO UPDATE SET ciphertext = excluded.ciphertext',
  )
  const dropSecret = db.prepare<[number, string]>(
    'DELETE FROM channel_secrets WHERE account_id = ? AND name = ?',
  )
  const readSecrets = db.prepare<[number], { name: string; ciphertext: Buffer }>(
    'SELECT name, ciphertext FROM channel_secrets WHERE account_id = ?',
  )

  type SecretChanges = Record<string, Buffer | null>
  const applySecrets = (id: number, secrets: SecretChanges) => {
    for (const [name, sealed] of Object.entries(secrets)) {
      if (sealed === null) dropSecret.run(id, name)
      else putSecret.run(id, name, sealed)
    }
  }

  return {
    list: (): ChannelAccountRow[] => list.all().map(toRow),
    get: (id: number): ChannelAccountRow | undefined => {
      const r = get.get(id)
      return r && toRow(r)
    },
    idByName: (name: string): number | undefined => byName.get(name)?.id,
    create: db.transaction(
      (a: {
        kind: ChannelKind
        name: string
        enabled: boolean
        settings: Record<string, unknown>
        secrets: SecretChanges
        now: string
      }) => {
        const id = Number(
          insert.run(a.kind, a.name, a.enabled ? 1 : 0, JSON.stringify(a.settings), a.now, a.now)
            .lastInsertRowid,
        )
        applySecrets(id, a.secrets)
        return id
      },
    ),
    update: db.transaction(
      (a: {
        id: number
        name: string
        enabled: boolean
        settings: Record<string, unknown>
        secrets: SecretChanges
        now: string
      }) => {
        update.run(a.name, a.enabled ? 1 : 0, JSON.stringify(a.settings), a.now, a.id)
        applySecrets(a.id, a.secrets)
      },
    ),
    delete: (id: number): boolean => remove.run(id).changes > 0,
    /** Sealed secrets of one account, for building its adapter. */
    sealedSecrets: (id: number): Record<string, Buffer> =>
      Object.fromEntries(readSecrets.all(id).map((s) => [s.name, s.ciphertext])),
  }
}

export type ChannelAccountsRepository = ReturnType<typeof createChannelAccountsRepository>
