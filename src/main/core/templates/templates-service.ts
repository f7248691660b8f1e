import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  templateFileSchema,
  templateSchema,
  validateTemplate,
  type Template,
} from '../../../shared/templates'
import { templateRole } from '../../../shared/templates/follow-up'
import { toFieldIssues } from '../../../shared/validation/issues'
import type { AuditLog } from '../audit/audit-log'
import { invalid, notFound } from '../errors'
import type { EventBus } from '../events'
import type { StoredTemplate, TemplatesRepository } from './templates-repository'

export const DEFAULT_TEMPLATES_FILE = join('templates', 'default-templates.json')

/** Reads and checks the shipped templates: a broken file is a build defect, reported loudly. */
export function loadDefaultTemplates(resourcesDir: string): Template[] {
  const file = join(resourcesDir, DEFAULT_TEMPLATES_FILE)
  const parsed = templateFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')))
  if (!parsed.success)
    throw new Error(`${file} is not a valid template file: ${parsed.error.message}`)
  return parsed.data.templates
}

export function createTemplatesService(deps: {
  repo: TemplatesRepository
  events: EventBus
  audit: AuditLog
  now: () => Date
}) {
  const { repo, events, audit } = deps

  /** Schema first, then the variables: an unknown or broken variable is refused at save time. */
  function check(input: unknown, selfId?: string): Template {
    const parsed = templateSchema.safeParse(input, { reportInput: true })
    if (!parsed.success) throw invalid(toFieldIssues(parsed.error))
    const issues = validateTemplate(parsed.data)
    const other = repo.idByName(parsed.data.name)
    if (other !== undefined && other !== selfId) issues.push({ path: 'name', code: 'duplicate' })
    if (issues.length) throw invalid(issues)
    return parsed.data
  }

  return {
    list: (): StoredTemplate[] => repo.list(),
    get(id: string): StoredTemplate {
      const t = repo.get(id)
      if (!t) throw notFound(`template ${id}`)
      return t
    },
    save(input: { id?: string } & Record<string, unknown>, actor: string): StoredTemplate {
      const now = deps.now().toISOString()
      if (input.id && repo.get(input.id)) {
        const t = check(input, input.id)
        repo.update({ ...t, id: input.id }, now)
        audit.record(actor, 'templates.update', `template:${input.id}`, { name: t.name })
        events.emit('templates:changed', { id: input.id, change: 'updated' })
        return repo.get(input.id)!
      }
      const t = check(input)
      const id = `t-${randomBytes(6).toString('hex')}`
      repo.insert({ ...t, id }, false, now)
      audit.record(actor, 'templates.create', `template:${id}`, { name: t.name })
      events.emit('templates:changed', { id, change: 'created' })
      return repo.get(id)!
    },
    delete(id: string, actor: string): { id: string } {
      const t = repo.get(id)
      if (!t) throw notFound(`template ${id}`)
      repo.delete(id)
      audit.record(actor, 'templates.delete', `template:${id}`, { name: t.name })
      events.emit('templates:changed', { id, change: 'deleted' })
      return { id }
    },
    /**
     * Seeds the shipped templates into a new workspace, and brings the unedited
     * ones of an older workspace to the current texts (v2: the ente's hashtag, X,
     * Bluesky and Mastodon texts that fit with every comune; v3: the texts for
     * voice calls; v4: posts that open with what to do, the ente's link in the
     * all-clears). The aggiornamento and cessata templates of each kind came
     * later: a workspace seeded before gets them once, and only them (a default
     * the office deleted does not come back). The English website texts came
     * later still: a shipped template gets its twin where its Italian website
     * text is still the shipped one.
     */
    seedDefaults(templates: Template[]): number {
      const now = deps.now().toISOString()
      const seeded = repo.seedOnce('seeded:templates:v1', templates, now)
      const followUps = templates.filter(
        (t) => templateRole(t) !== 'alert' && t.kind !== 'cessata_allerta',
      )
      return (
        seeded +
        repo.seedOnce('seeded:templates:follow-ups:v1', followUps, now) +
        repo.refreshBuiltins('refreshed:templates:v4', templates, now) +
        repo.addEnglishTwins('seeded:templates:english:v1', templates, now)
      )
    },
  }
}

export type TemplatesService = ReturnType<typeof createTemplatesService>
