/**
 * Which template a follow-up of an alert starts from. A template is for a
 * first alert, for an update ("aggiornamento") or for the end of an alert
 * ("cessata"): the shipped ones say it by their id (`aggiornamento-neve`,
 * `cessata-neve`), the office's own by their name ("Neve - aggiornamento").
 * Every template of kind `cessata_allerta` closes an alert.
 */

import type { AlertKind } from './alert-kinds'
import type { Template } from './template-schema'

export type TemplateRole = 'alert' | 'update' | 'cancel'

type Named = Pick<Template, 'kind' | 'name'> & { id?: string | undefined }

const kindSlug = (kind: AlertKind) => kind.replaceAll('_', '-')

/** The role of a template, read from its kind, id and name. */
export function templateRole(t: Named): TemplateRole {
  if (t.kind === 'cessata_allerta') return 'cancel'
  const words = `${t.id ?? ''} ${t.name}`.toLocaleLowerCase('it')
  if (/cessat/.test(words)) return 'cancel'
  if (/aggiornament/.test(words)) return 'update'
  return 'alert'
}

/** The id of the shipped template for a follow-up of `kind`. */
export function builtinFollowUpId(kind: AlertKind, msgType: 'Update' | 'Cancel'): string {
  return `${msgType === 'Update' ? 'aggiornamento' : 'cessata'}-${kindSlug(kind)}`
}

/**
 * The template an update or a cessata of an alert of `kind` is prefilled from:
 * the shipped one of the kind when present, else the office's own of the kind
 * (first by name), else for a cessata the generic "Cessata allerta". None for
 * an update of a kind without one: the draft keeps the texts in force.
 */
export function pickFollowUpTemplate<T extends Named>(
  templates: readonly T[],
  kind: AlertKind,
  msgType: 'Update' | 'Cancel',
): T | undefined {
  const role: TemplateRole = msgType === 'Update' ? 'update' : 'cancel'
  const builtin = templates.find((t) => t.id === builtinFollowUpId(kind, msgType))
  if (builtin) return builtin
  const own = templates
    .filter((t) => t.kind === kind && templateRole(t) === role)
    .sort((a, b) => a.name.localeCompare(b.name, 'it'))
  if (own[0]) return own[0]
  if (role === 'cancel') {
    return (
      templates.find((t) => t.id === 'cessata-allerta') ??
      templates.find((t) => t.kind === 'cessata_allerta')
    )
  }
  return undefined
}
