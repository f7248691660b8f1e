import type { Db } from '../db/open'
import type {
  Partner,
  PartnerAdmin,
  PartnerPage,
  PartnerPageKind,
  RelayMode,
} from '../../../shared/contacts/types'
import { partnerInputSchema, type PartnerInput } from '../../../shared/contacts/schemas'
import { InputError, NotFoundError, parseInput } from '../contacts/errors'
import type { FieldIssue } from '../../../shared/validation/issues'

interface PartnerRow {
  id: number
  name: string
  relay_mode: RelayMode
  notes: string | null
  created_at: string
  updated_at: string
}

interface AdminRow {
  contact_id: number
  name: string
  email: string | null
  telegram: string | null
  phones: string | null
}

export type PartnersRepository = ReturnType<typeof createPartnersRepository>

/**
 * Partner institutions that relay our alerts on their own pages: their pages,
 * their admins (contacts), how a relay is requested, and notes.
 */
export function createPartnersRepository(db: Db, now: () => Date = () => new Date()) {
  const s = {
    all: db.prepare('SELECT * FROM partners ORDER BY name COLLATE NOCASE'),
    get: db.prepare('SELECT * FROM partners WHERE id = ?'),
    byName: db.prepare('SELECT id FROM partners WHERE name = ? COLLATE NOCASE').pluck(),
    insert: db.prepare(`
      INSERT INTO partners (name, relay_mode, notes, created_at, updated_at)
      VALUES (@name, @relayMode, @notes, @now, @now)`),
    update: db.prepare(
      'UPDATE partners SET name = @name, relay_mode = @relayMode, notes = @notes, updated_at = @now WHERE id = @id',
    ),
    remove: db.prepare('DELETE FROM partners WHERE id = ?'),
    pages: db.prepare(
      'SELECT id, kind, url, channel_account_id FROM partner_pages WHERE partner_id = ? ORDER BY position',
    ),
    clearPages: db.prepare('DELETE FROM partner_pages WHERE partner_id = ?'),
    addPage: db.prepare(
      'INSERT INTO partner_pages (partner_id, kind, url, channel_account_id, position) VALUES (?, ?, ?, ?, ?)',
    ),
    admins: db.prepare(`
      SELECT a.contact_id, c.name, c.email, c.telegram,
        (SELECT group_concat(e164) FROM contact_phones p WHERE p.contact_id = c.id) AS phones
      FROM partner_admins a JOIN contacts c ON c.id = a.contact_id
      WHERE a.partner_id = ? ORDER BY a.position`),
    clearAdmins: db.prepare('DELETE FROM partner_admins WHERE partner_id = ?'),
    addAdmin: db.prepare(
      'INSERT OR IGNORE INTO partner_admins (partner_id, contact_id, position) VALUES (?, ?, ?)',
    ),
    contactExists: db.prepare('SELECT 1 FROM contacts WHERE id = ?').pluck(),
    accountExists: db.prepare('SELECT 1 FROM channel_accounts WHERE id = ?').pluck(),
  }

  const toPartner = (r: PartnerRow): Partner => ({
    id: r.id,
    name: r.name,
    relayMode: r.relay_mode,
    notes: r.notes,
    pages: (
      s.pages.all(r.id) as {
        id: number
        kind: PartnerPageKind
        url: string
        channel_account_id: number | null
      }[]
    ).map((p): PartnerPage => ({
      id: p.id,
      kind: p.kind,
      url: p.url,
      channelAccountId: p.channel_account_id,
    })),
    admins: (s.admins.all(r.id) as AdminRow[]).map((a): PartnerAdmin => ({
      contactId: a.contact_id,
      name: a.name,
      email: a.email,
      telegram: a.telegram,
      phones: a.phones ? a.phones.split(',') : [],
    })),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  })

  /** Pages and admins are replaced as a whole: the form edits them as lists. */
  const write = (id: number | null, input: PartnerInput): number => {
    const p = parseInput(partnerInputSchema, input)
    const issues: FieldIssue[] = []
    const sameName = s.byName.get(p.name) as number | undefined
    if (sameName !== undefined && sameName !== id) issues.push({ path: 'name', code: 'duplicate' })
    ;(p.pages ?? []).forEach((page, i) => {
      if (
        page.channelAccountId != null &&
        s.accountExists.get(page.channelAccountId) === undefined
      ) {
        issues.push({ path: `pages.${i}.channelAccountId`, code: 'choice' })
      }
    })
    ;(p.adminContactIds ?? []).forEach((contactId, i) => {
      if (s.contactExists.get(contactId) === undefined) {
        issues.push({ path: `adminContactIds.${i}`, code: 'choice' })
      }
    })
    if (issues.length > 0) throw new InputError(issues)
    const row = {
      name: p.name,
      relayMode: p.relayMode,
      notes: p.notes ?? null,
      now: now().toISOString(),
    }
    let partnerId: number
    if (id === null) {
      partnerId = Number(s.insert.run(row).lastInsertRowid)
    } else {
      partnerId = id
      s.update.run({ ...row, id })
      s.clearPages.run(id)
      s.clearAdmins.run(id)
    }
    ;(p.pages ?? []).forEach((page, i) =>
      s.addPage.run(partnerId, page.kind, page.url, page.channelAccountId ?? null, i),
    )
    ;(p.adminContactIds ?? []).forEach((contactId, i) => s.addAdmin.run(partnerId, contactId, i))
    return partnerId
  }

  const repo = {
    list(): Partner[] {
      return (s.all.all() as PartnerRow[]).map(toPartner)
    },

    get(id: number): Partner | null {
      const row = s.get.get(id) as PartnerRow | undefined
      return row ? toPartner(row) : null
    },

    create(input: PartnerInput): Partner {
      const id = db.transaction(() => write(null, input))()
      return repo.get(id) as Partner
    },

    update(id: number, input: PartnerInput): Partner {
      if (!s.get.get(id)) throw new NotFoundError('partner', id)
      db.transaction(() => write(id, input))()
      return repo.get(id) as Partner
    },

    /** Deletes the partner, its pages and admin seats; the admins stay contacts. */
    remove(id: number): boolean {
      return s.remove.run(id).changes > 0
    },
  }
  return repo
}
