import { TEMPLATE_VARIANTS, type Template } from '../../../shared/templates'
import type { Db } from '../db/open'

export interface StoredTemplate extends Template {
  id: string
  builtin: boolean
  createdAt: string
  updatedAt: string
}

interface Raw {
  id: string
  name: string
  kind: string
  level: string
  variants: string
  builtin: number
  created_at: string
  updated_at: string
}

const toTemplate = (r: Raw): StoredTemplate => ({
  id: r.id,
  name: r.name,
  kind: r.kind as Template['kind'],
  level: r.level as Template['level'],
  // Every variant present: a template saved before a variant existed (website_en) has it empty.
  variants: {
    ...(Object.fromEntries(TEMPLATE_VARIANTS.map((v) => [v, ''])) as Template['variants']),
    ...(JSON.parse(r.variants) as Partial<Template['variants']>),
  },
  builtin: r.builtin === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

export function createTemplatesRepository(db: Db) {
  const list = db.prepare<[], Raw>(
    "SELECT * FROM templates ORDER BY kind, CASE level WHEN 'verde' THEN 0 WHEN 'giallo' THEN 1 WHEN 'arancione' THEN 2 ELSE 3 END, name",
  )
  const get = db.prepare<[string], Raw>('SELECT * FROM templates WHERE id = ?')
  const byName = db.prepare<[string], { id: string }>('SELECT id FROM templates WHERE name = ?')
  const insert = db.prepare<[string, string, string, string, string, number, string, string]>(
    'INSERT INTO templates (id, name, kind, level, variants, builtin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  )
  const update = db.prepare<[string, string, string, string, string, string]>(
    'UPDATE templates SET name = ?, kind = ?, level = ?, variants = ?, updated_at = ? WHERE id = ?',
  )
  const remove = db.prepare<[string]>('DELETE FROM templates WHERE id = ?')
  // Not updated_at: a shipped text brought up to date is still one nobody edited.
  const refresh = db.prepare<[string, string, string, string, string]>(
    'UPDATE templates SET name = ?, kind = ?, level = ?, variants = ? WHERE id = ? AND builtin = 1 AND updated_at = created_at',
  )
  // Not updated_at either: adding the English twin does not make a template the office's.
  const setVariants = db.prepare<[string, string]>(
    'UPDATE templates SET variants = ? WHERE id = ? AND builtin = 1',
  )
  const getMeta = db.prepare<[string], { value: string }>(
    'SELECT value FROM workspace_meta WHERE key = ?',
  )
  const setMeta = db.prepare<[string, string]>(
    'INSERT INTO workspace_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  )

  return {
    list: (): StoredTemplate[] => list.all().map(toTemplate),
    get: (id: string): StoredTemplate | undefined => {
      const r = get.get(id)
      return r && toTemplate(r)
    },
    idByName: (name: string): string | undefined => byName.get(name)?.id,
    insert(t: Template & { id: string }, builtin: boolean, now: string): void {
      insert.run(
        t.id,
        t.name,
        t.kind,
        t.level,
        JSON.stringify(t.variants),
        builtin ? 1 : 0,
        now,
        now,
      )
    },
    update(t: Template & { id: string }, now: string): void {
      update.run(t.name, t.kind, t.level, JSON.stringify(t.variants), now, t.id)
    },
    delete: (id: string): boolean => remove.run(id).changes > 0,
    /** Seeds the defaults once per workspace: an ICT office that deletes one does not get it back. */
    seedOnce: db.transaction((key: string, templates: Template[], now: string): number => {
      if (getMeta.get(key)) return 0
      let n = 0
      for (const t of templates) {
        if (!t.id || get.get(t.id) || byName.get(t.name)) continue
        insert.run(t.id, t.name, t.kind, t.level, JSON.stringify(t.variants), 1, now, now)
        n++
      }
      setMeta.run(key, now)
      return n
    }),
    /**
     * Once per key, brings the shipped templates nobody has edited (never saved
     * since they were seeded) to the texts shipped now; edited ones are left alone.
     */
    refreshBuiltins: db.transaction((key: string, templates: Template[], now: string): number => {
      if (getMeta.get(key)) return 0
      let n = 0
      for (const t of templates) {
        if (!t.id) continue
        const current = get.get(t.id)
        if (!current || current.variants === JSON.stringify(t.variants)) continue
        n += refresh.run(t.name, t.kind, t.level, JSON.stringify(t.variants), t.id).changes
      }
      setMeta.run(key, now)
      return n
    }),
    /**
     * Once per key, gives the shipped templates of an older workspace their
     * English website text (`website_en`) where they have none and their Italian
     * website text is still the shipped one, edited elsewhere or not: the twin
     * says what that text says. A website text the office rewrote gets no twin
     * (it would say something else); the office writes its own.
     */
    addEnglishTwins: db.transaction((key: string, templates: Template[], now: string): number => {
      if (getMeta.get(key)) return 0
      let n = 0
      for (const t of templates) {
        const raw = t.id ? get.get(t.id) : undefined
        if (!raw || raw.builtin !== 1 || t.variants.website_en.trim() === '') continue
        const stored = toTemplate(raw).variants
        if (stored.website_en.trim() !== '' || stored.website !== t.variants.website) continue
        n += setVariants.run(
          JSON.stringify({ ...stored, website_en: t.variants.website_en }),
          raw.id,
        ).changes
      }
      setMeta.run(key, now)
      return n
    }),
  }
}

export type TemplatesRepository = ReturnType<typeof createTemplatesRepository>
