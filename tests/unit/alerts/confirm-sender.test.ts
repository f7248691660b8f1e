import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Alert } from '../../../src/shared/alerts/types'
import type { CommandName, Envelope, JournalEntry } from '../../../src/shared/contract'
import { UNNAMED_OPERATOR } from '../../../src/shared/room/operator'
import { createDispatch } from '../../../src/main/transport/dispatch'
import { createTestCore, type TestCore } from '../../support/test-core'

// Through the host's own dispatcher, as a page calls it. The SMS account points at a closed
// loopback port and every send waits in a ten-minute cancel window: nothing leaves.
let t: TestCore
let dispatch: ReturnType<typeof createDispatch>
const as = (operator: string, name: CommandName, input: unknown): Promise<Envelope> =>
  dispatch(name, input, { operator })
async function ok<T>(envelope: Promise<Envelope>): Promise<T> {
  const answer = await envelope
  if (!answer.ok) throw new Error(answer.error.message)
  return answer.value as T
}
beforeEach(() => {
  t = createTestCore()
  dispatch = createDispatch(t.core.handlers)
})
afterEach(() => t.dispose())

async function draft(): Promise<Alert> {
  const account = await ok<{ id: number }>(
    as('Giulia Neri', 'channels:create', {
      kind: 'sms_gateway',
      name: 'SMS famiglie',
      settings: {
        baseUrl: 'http://127.0.0.1:9/API/v1.0/REST/',
        username: 'protciv',
        sender: 'ProtCiv',
        messageType: 'GP',
      },
      secrets: { password: 'non-reale' },
    }),
  )
  const csv = ['Nominativo;Cellulare;Comune', 'Giulia Rossi;347 123 4567;Empoli'].join('\r\n')
  await ok(
    as('Giulia Neri', 'contacts:import', {
      fileName: 'famiglie.csv',
      content: Buffer.from(csv, 'utf8').toString('base64'),
      dryRun: false,
      list: 'Famiglie',
    }),
  )
  const [list] = await ok<{ id: number }[]>(as('Giulia Neri', 'lists:list', {}))
  return ok<Alert>(
    as('Giulia Neri', 'alerts:createDraft', {
      draft: {
        kind: 'idraulico',
        level: 'arancione',
        comuni: [{ name: 'Empoli' }],
        validFrom: new Date(Date.now() - 60_000).toISOString(),
        validTo: new Date(Date.now() + 86_400_000).toISOString(),
        headline: 'Allerta arancione per rischio idraulico',
        texts: { sms: 'Allerta ARANCIONE idraulico su Empoli: evitate i sottopassi.' },
        targets: { accountIds: [account.id], listIds: [list!.id] },
      },
    }),
  )
}
const confirm = (operator: string, id: number, extra: object = {}) =>
  as(operator, 'alerts:confirm', {
    id,
    confirmation: 'INVIA',
    cancelWindowSeconds: 600,
    ...extra,
  })
const journal = async () =>
  (await ok<JournalEntry[]>(as('Giulia Neri', 'journal:list', { limit: 50 }))).filter(
    (e) => e.text === 'alerts.confirm',
  )

describe('confirming a send says who sends it', () => {
  it('is refused from a page where nobody said who they are, and nothing is queued', async () => {
    const alert = await draft()
    const answer = await confirm(UNNAMED_OPERATOR, alert.id)
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'operator', code: 'required' }] },
    })
    expect((await ok<Alert>(as('x', 'alerts:get', { id: alert.id }))).status).toBe('draft')
    expect(await ok<unknown[]>(as('x', 'alerts:rows', { id: alert.id }))).toEqual([])
    expect(await journal()).toEqual([])
  })

  it('is refused when the name sent with the confirmation is blank', async () => {
    const alert = await draft()
    const answer = await confirm('Giulia Neri', alert.id, { operator: '   ' })
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect((await ok<Alert>(as('x', 'alerts:get', { id: alert.id }))).status).toBe('draft')
  })

  it('records the name typed at confirmation in the audit and on the alert', async () => {
    const alert = await draft()
    const sent = await ok<{ alert: Alert; rows: number }>(
      confirm(UNNAMED_OPERATOR, alert.id, { operator: '  Mario Rossi ' }),
    )
    expect(sent.rows).toBe(1)
    expect(sent.alert.confirmedBy).toBe('Mario Rossi')
    const [entry] = await journal()
    expect(entry).toMatchObject({ actor: 'Mario Rossi', subject: `alert:${alert.id}` })
  })

  it('without a name in the confirmation, the connection’s operator is the sender', async () => {
    const alert = await draft()
    await ok(confirm('Giulia Neri', alert.id))
    expect((await journal())[0]?.actor).toBe('Giulia Neri')
  })
})
