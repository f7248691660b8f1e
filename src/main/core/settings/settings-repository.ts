import { DEFAULT_SETTINGS, WorkspaceSettings } from '../../../shared/contract/settings'
import type { Db } from '../db/open'

const KEY = 'settings'

/** Workspace settings, one JSON value in workspace_meta; missing keys take the defaults. */
export function createSettingsRepository(db: Db) {
  const get = db.prepare<[string], { value: string }>(
    'SELECT value FROM workspace_meta WHERE key = ?',
  )
  const put = db.prepare<[string, string]>(
    'INSERT INTO workspace_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  )
  return {
    get(): WorkspaceSettings {
      const row = get.get(KEY)
      const stored = row ? (JSON.parse(row.value) as Partial<WorkspaceSettings>) : {}
      const merged = WorkspaceSettings.safeParse({ ...DEFAULT_SETTINGS, ...stored })
      return merged.success ? merged.data : DEFAULT_SETTINGS
    },
    put(settings: WorkspaceSettings): void {
      put.run(KEY, JSON.stringify(settings))
    },
  }
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>
