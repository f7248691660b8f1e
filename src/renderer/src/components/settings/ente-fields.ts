import type { WorkspaceSettings } from '@shared/contract'
import type { WorkspaceVariable } from '@shared/templates/variables'

/** The ente's values every shipped template takes (`{{ente}}`, `{{link}}`, …), in the order asked. */
export type EnteField = 'ente' | 'link' | 'numeroEmergenza' | 'hashtag'

export const ENTE_FIELDS: {
  key: EnteField
  variable: WorkspaceVariable
  type: string
  max: number
  inputmode?: 'tel' | 'url'
}[] = [
  { key: 'ente', variable: 'ente', type: 'text', max: 120 },
  { key: 'link', variable: 'link', type: 'url', max: 500, inputmode: 'url' },
  { key: 'numeroEmergenza', variable: 'numero_emergenza', type: 'text', max: 40, inputmode: 'tel' },
  { key: 'hashtag', variable: 'hashtag', type: 'text', max: 80 },
]

/** The ente's values out of the workspace settings. */
export const pickEnte = (s: Pick<WorkspaceSettings, EnteField>): Record<EnteField, string> =>
  Object.fromEntries(ENTE_FIELDS.map((f) => [f.key, s[f.key]])) as Record<EnteField, string>

/** The ente's values before the workspace has been read: all empty. */
export const emptyEnte = (): Record<EnteField, string> =>
  Object.fromEntries(ENTE_FIELDS.map((f) => [f.key, ''])) as Record<EnteField, string>
