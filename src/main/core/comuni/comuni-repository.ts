import { readFileSync } from 'node:fs'
import { z } from 'zod'
import type { Db } from '../db/open'
import type { Comune } from '../../../shared/contacts/types'
import { comuneInputSchema, type ComuneInput } from '../../../shared/contacts/schemas'
import { foldText } from '../../../shared/contacts/text'
import { InUseError, InputError, NotFoundError, parseInput } from '../contacts/errors'
import { createContactsRepository } from '../contacts/contacts-repository'

interface ComuneRow {
  id: number
  name: string
  istat_code: string | null
  province: string | null
  alert_zones: string
}

const toComune = (r: ComuneRow): Comune => ({
  id: r.id,
  name: r.name,
  istatCode: r.istat_code,
  province: r.province,
  alertZones: JSON.parse(r.alert_zones) as string[],
})

/** The shape of resources/comuni.json, which another union can replace with its own. */
export const comuniFileSchema = z.object({
  description: z.string().optional(),
  comuni: z.array(comuneInputSchema).min(1),
})
export type ComuniFile = z.infer<typeof comuniFileSchema>

/** Reads a comuni file (the resources/comuni.json shape) for {@link createComuniRepository}'s importFile. */
export function readComuniFile(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown
}

export interface ComuniImportResult {
  created: number
  updated: number
}

export type ComuniRepository = ReturnType<typeof createComuniRepository>

/** The municipalities of the union: seeded on a new workspace, editable afterwards. */
export function createComuniRepository(db: Db, now: () => Date = () => new Date()) {
  const contacts = createContactsRepository(db)
  const s = {
    all: db.prepare(
      'SELECT id, name, istat_code, province, alert_zones FROM comuni ORDER BY name_key',
    ),
    get: db.prepare('SELECT id, name, istat_code, province, alert_zones FROM comuni WHERE id = ?'),
    byKey: db.prepare('SELECT id FROM comuni WHERE name_key = ?').pluck(),
    byIstat: db.prepare('SELECT id FROM comuni WHERE istat_code = ?').pluck(),
    insert: db.prepare(`
      INSERT INTO comuni (name, name_key, istat_code, province, alert_zones, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`),
    update: db.prepare(
      'UPDATE comuni SET name = ?, name_key = ?, istat_code = ?, province = ?, alert_zones = ?, updated_at = ? WHERE id = ?',
    ),
    remove: db.prepare('DELETE FROM comuni WHERE id = ?'),
    residents: db.prepare('SELECT id FROM contacts WHERE comune_id = ?').pluck(),
  }

  /** Refuses a name or ISTAT code another comune already has. */
  const checkUnique = (key: string, istatCode: string | null, exceptId: number | null): void => {
    const sameName = s.byKey.get(key) as number | undefined
    if (sameName !== undefined && sameName !== exceptId) {
      throw new InputError([{ path: 'name', code: 'duplicate' }])
    }
    const sameCode =
      istatCode === null ? undefined : (s.byIstat.get(istatCode) as number | undefined)
    if (sameCode !== undefined && sameCode !== exceptId) {
      throw new InputError([{ path: 'istatCode', code: 'duplicate' }])
    }
  }

  const write = (id: number | null, input: ComuneInput): Comune => {
    const c = parseInput(comuneInputSchema, input)
    const key = foldText(c.name)
    const istat = c.istatCode ?? null
    const province = c.province ?? null
    checkUnique(key, istat, id)
    const at = now().toISOString()
    const held = id === null ? undefined : (s.get.get(id) as ComuneRow | undefined)
    const zones = c.alertZones
      ? [...new Set(c.alertZones.map((z) => z.trim()))]
      : held
        ? (JSON.parse(held.alert_zones) as string[])
        : []
    const zonesJson = JSON.stringify(zones)
    if (id === null) {
      const newId = Number(
        s.insert.run(c.name, key, istat, province, zonesJson, at, at).lastInsertRowid,
      )
      return { id: newId, name: c.name, istatCode: istat, province, alertZones: zones }
    }
    s.update.run(c.name, key, istat, province, zonesJson, at, id)
    // Search finds contacts by comune name: reindex them under the new one.
    for (const contactId of s.residents.all(id) as number[]) contacts.refreshSearch(contactId)
    return { id, name: c.name, istatCode: istat, province, alertZones: zones }
  }

  const repo = {
    list(): Comune[] {
      return (s.all.all() as ComuneRow[]).map(toComune)
    },

    get(id: number): Comune | null {
      const row = s.get.get(id) as ComuneRow | undefined
      return row ? toComune(row) : null
    },

    /** Maps folded names (`montelupo fiorentino`) to ids, for imports. */
    idsByKey(): Map<string, number> {
      return new Map((s.all.all() as ComuneRow[]).map((r) => [foldText(r.name), r.id]))
    },

    create(input: ComuneInput): Comune {
      return write(null, input)
    },

    update(id: number, input: ComuneInput): Comune {
      if (!s.get.get(id)) throw new NotFoundError('comune', id)
      return db.transaction(() => write(id, input))()
    },

    /** Deletes a comune nobody lives in; one with contacts is refused, so no one loses theirs. */
    remove(id: number): boolean {
      const residents = (s.residents.all(id) as number[]).length
      if (residents > 0) throw new InUseError('comune', id, residents)
      return s.remove.run(id).changes > 0
    },

    /**
     * Loads a union's comuni (the resources/comuni.json shape): a comune with the
     * same ISTAT code or name is updated, any other is added. Nothing is deleted.
     */
    importFile(file: unknown): ComuniImportResult {
      const parsed = parseInput(comuniFileSchema, file)
      return db.transaction(() => {
        let created = 0
        let updated = 0
        for (const c of parsed.comuni) {
          const existing =
            (c.istatCode ? (s.byIstat.get(c.istatCode) as number | undefined) : undefined) ??
            (s.byKey.get(foldText(c.name)) as number | undefined)
          write(existing ?? null, c)
          if (existing === undefined) created++
          else updated++
        }
        return { created, updated }
      })()
    },
  }
  return repo
}
