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
