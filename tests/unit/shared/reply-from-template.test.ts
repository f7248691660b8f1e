import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { replyFromTemplate } from '../../../src/shared/citizens/reply-from-template'
import { templateFileSchema } from '../../../src/shared/templates'
import type { Alert } from '../../../src/shared/alerts/types'

const defaults = templateFileSchema.parse(
  JSON.parse(
    readFileSync(join(__dirname, '../../../resources/templates/default-templates.json'), 'utf8'),
  ),
).templates
const neve = defaults.find((t) => t.id === 'neve-arancione')!
const workspace = {
  ente: 'Protezione civile Empolese Valdelsa',
  link: 'https://example.org/allerta',
  numeroEmergenza: '112',
}
const alert = {
  comuni: [{ name: 'Empoli' }, { name: 'Vinci' }],
  validFrom: '2026-02-07T13:00:00.000Z',
  validTo: '2026-02-08T22:59:00.000Z',
  headline: 'Neve',
  description: '',
  instruction: '',
} as unknown as Alert

describe('a quick reply from a template', () => {
  it('fills the channel’s text with the alert in force and the workspace', () => {
    const r = replyFromTemplate(neve, 'telegram', alert, workspace)
    expect(r.missing).toEqual([])
    expect(r.text).toContain('Empoli e Vinci')
    expect(r.text).toContain('14:00')
    expect(r.text).not.toContain('{{')
  })

  it('leaves what it cannot know visible for the operator', () => {
    const r = replyFromTemplate(neve, 'sms', undefined, workspace)
    expect(r.missing).toContain('comuni')
    expect(r.text).toContain('{{comuni}}')
  })
})
