import type {
  ImportContactJoin,
  ImportDisappeared,
  ImportMerge,
  ImportOptOutKept,
} from '../../../../shared/contacts/import-report'
import type { FieldChange, OptOutScope } from '../../../../shared/contacts/types'
import { SCALAR_FIELDS, type ContactFields } from '../contacts-repository'
import { overlayField, type ContactDraft } from '../draft'

/** A valid row, ready to be grouped. */
export interface RowDraft {
  row: number
  draft: ContactDraft
  doc: string | null
}

/** Rows that are one person, and the existing contacts they are. */
export interface ImportGroup {
  rows: RowDraft[]
  /** The rows folded into one draft (earlier rows' values win inside the file). */
  draft: ContactDraft
  /** Search document when the group is a single new row (the fast path). */
  doc: string | null
  /** Existing contacts matched, ascending: the first survives. */
  existingIds: number[]
}

/** What the planner reads from the workspace (no writes). */
export interface PlanLookups {
  idByPhone(e164: string): number | undefined
  idByEmail(email: string): number | undefined
  fields(id: number): ContactFields | null
  activeOptOuts(id: number): OptOutScope[]
  /** Contacts the sync source brought before and still lists (empty without sync). */
  sourceContacts: ReadonlyMap<number, { present: boolean }>
}

export interface ImportPlan {
  groups: ImportGroup[]
  merges: ImportMerge[]
  contactJoins: ImportContactJoin[]
  created: number
  updated: number
  optedOutPreserved: ImportOptOutKept[]
  disappeared: ImportDisappeared[]
}

/** One number or e-mail seen in the file: where first, how often, and whose it already is. */
interface KeyInfo {
  field: 'phone' | 'email'
  value: string
  firstRow: number
  rows: number
  owner: number | undefined
}

/**
 * Groups valid rows into people: rows sharing a number or an e-mail, directly
 * or through an existing contact, are one person (union-find over the keys).
 * Describes every merge so the report can show it; writes nothing.
 */
export function planImport(rows: readonly RowDraft[], lookups: PlanLookups): ImportPlan {
  const parent = rows.map((_, i) => i)
  const find = (i: number): number => {
    let root = i
    while (parent[root] !== root) root = parent[root] as number
    while (parent[i] !== root) {
      const next = parent[i] as number
      parent[i] = root
      i = next
    }
    return root
  }
  const union = (a: number, b: number): void => {
    const ra = find(a)
    const rb = find(b)
    // The earlier row stays the root: "merged into row N" names the first occurrence.
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb)
  }

  // E.164 numbers start with `+` and e-mails hold `@`: one map serves both without prefixes.
  const keys = new Map<string, KeyInfo>()
  const firstRowOfContact = new Map<number, number>()
  const touch = (field: KeyInfo['field'], value: string, i: number): KeyInfo => {
    let info = keys.get(value)
    if (info === undefined) {
      const owner = field === 'phone' ? lookups.idByPhone(value) : lookups.idByEmail(value)
      info = { field, value, firstRow: i, rows: 0, owner }
      keys.set(value, info)
    } else {
      union(i, info.firstRow)
    }
    info.rows++
    if (info.owner !== undefined) {
      const first = firstRowOfContact.get(info.owner)
      if (first === undefined) firstRowOfContact.set(info.owner, i)
      else union(i, first)
    }
    return info
  }
  const rowKeys = rows.map((r, i) => {
    const infos = r.draft.phones.map((p) => touch('phone', p.e164, i))
    if (r.draft.email) infos.push(touch('email', r.draft.email, i))
    return infos
  })

  const members = new Map<number, number[]>()
  rows.forEach((_, i) => {
    const root = find(i)
    const list = members.get(root)
    if (list) list.push(i)
    else members.set(root, [i])
  })

  const plan: ImportPlan = {
    groups: [],
    merges: [],
    contactJoins: [],
    created: 0,
    updated: 0,
    optedOutPreserved: [],
    disappeared: [],
  }
  const matched = new Set<number>()

  for (const indexes of members.values()) {
    const groupRows = indexes.map((i) => rows[i] as RowDraft)
    const head = groupRows[0] as RowDraft
    const existing = new Set<number>()
    for (const i of indexes) {
      for (const k of rowKeys[i] ?? []) if (k.owner !== undefined) existing.add(k.owner)
    }
    const existingIds = [...existing].sort((a, b) => a - b)
    existingIds.forEach((id) => matched.add(id))
    const draft = groupRows.length === 1 ? head.draft : combine(groupRows.map((r) => r.draft))
    plan.groups.push({
      rows: groupRows,
      draft,
      doc: groupRows.length === 1 && existingIds.length === 0 ? head.doc : null,
      existingIds,
    })
    if (groupRows.length === 1 && existingIds.length === 0) {
      plan.created++
      continue
    }

    const survivorId = existingIds[0]
    const survivor = survivorId === undefined ? null : lookups.fields(survivorId)
    let changesGiven = false
    for (const i of indexes) {
      const r = rows[i] as RowDraft
      const infos = rowKeys[i] ?? []
      const direct = infos.find((k) => k.owner !== undefined)
      const shared = infos.find((k) => k.rows > 1) ?? infos[0]
      if (survivorId !== undefined && survivor) {
        // A sync re-import of a contact the source brought is an update, not a duplicate.
        if (direct?.owner !== undefined && lookups.sourceContacts.has(direct.owner)) continue
        const by = direct ?? shared
        if (!by) continue
        plan.merges.push({
          row: r.row,
          into: { kind: 'contact', contactId: survivorId, name: survivor.name },
          by: by.field,
          value: by.value,
          changes: changesGiven ? [] : predictChanges(survivor, draft),
        })
        changesGiven = true
      } else if (r !== head && shared) {
        plan.merges.push({
          row: r.row,
          into: { kind: 'row', row: head.row },
          by: shared.field,
          value: shared.value,
          changes: overruled(r.draft, draft),
        })
      }
    }

    if (survivorId === undefined) {
      plan.created++
      continue
    }
    plan.updated++
    if (existingIds.length > 1) {
      plan.contactJoins.push({
        row: head.row,
        intoContactId: survivorId,
        mergedContactIds: existingIds.slice(1),
      })
    }
    const scopes = new Set(existingIds.flatMap((id) => lookups.activeOptOuts(id)))
    if (scopes.size > 0) {
      plan.optedOutPreserved.push({
        row: head.row,
        contactId: survivorId,
        name: survivor?.name ?? '',
        scopes: [...scopes].sort(),
      })
    }
  }

  for (const [contactId, link] of lookups.sourceContacts) {
    if (!link.present || matched.has(contactId)) continue
    plan.disappeared.push({ contactId, name: lookups.fields(contactId)?.name ?? '' })
  }
  plan.disappeared.sort((a, b) => a.name.localeCompare(b.name, 'it') || a.contactId - b.contactId)
  return plan
}

/** Folds the rows of one person: earlier rows' values win, lists are united. */
function combine(drafts: readonly ContactDraft[]): ContactDraft {
  const [first, ...rest] = drafts as [ContactDraft, ...ContactDraft[]]
  const out: ContactDraft = {
    ...first,
    phones: [...first.phones],
    roleIds: [...first.roleIds],
    tags: [...first.tags],
    optOuts: [...first.optOuts],
  }
  for (const d of rest) {
    for (const field of SCALAR_FIELDS) {
      if (out[field] === null && d[field] !== null)
        (out as unknown as Record<string, unknown>)[field] = d[field]
    }
    for (const p of d.phones) if (!out.phones.some((q) => q.e164 === p.e164)) out.phones.push(p)
    for (const id of d.roleIds) if (!out.roleIds.includes(id)) out.roleIds.push(id)
    for (const t of d.tags) if (!out.tags.includes(t)) out.tags.push(t)
    for (const o of d.optOuts)
      if (!out.optOuts.some((q) => q.scope === o.scope)) out.optOuts.push(o)
    if (d.notes && out.notes && !out.notes.includes(d.notes)) out.notes = `${out.notes}\n${d.notes}`
    out.consent ??= d.consent
    out.whatsappWithdrawn ||= d.whatsappWithdrawn && out.whatsappOptInOn === null
  }
  return out
}

/** Values of a merged row that an earlier row's won over: shown, never dropped unseen. */
function overruled(row: ContactDraft, combined: ContactDraft): FieldChange[] {
  const changes: FieldChange[] = []
  for (const field of SCALAR_FIELDS) {
    const mine = row[field]
    const kept = combined[field]
    if (mine === null || mine === kept) continue
    changes.push({ field, from: String(mine), to: kept === null ? null : String(kept) })
  }
  return changes
}

/** What saving the draft over the contact would change (the writer's overlay rule). */
function predictChanges(current: ContactFields, draft: ContactDraft): FieldChange[] {
  const changes: FieldChange[] = []
  for (const field of SCALAR_FIELDS) {
    const given = overlayField(draft, field, current)
    if (given === undefined) continue
    changes.push({
      field,
      from: current[field] === null ? null : String(current[field]),
      to: given === null ? null : String(given),
    })
  }
  return changes
}
