import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CommandHandlers } from '../../../src/main/core/handlers'
import { CoreError } from '../../../src/main/core/errors'
import { createDispatch } from '../../../src/main/transport/dispatch'
import type { CommandInput, CommandName, CommandOutput } from '../../../src/shared/contract'
import { createTestCore, type TestCore } from '../../support/test-core'

/**
 * The composer's preview over a real core: a contact who prefers a call gets the alert's
 * call instead of its SMS, and a calls-only list gives its members calls and nothing else.
 */

let t: TestCore
beforeEach(() => {
  t = createTestCore()
})
afterEach(() => t.dispose())

const call = async <K extends CommandName>(
  handlers: CommandHandlers,
  name: K,
  input: CommandInput<K>,
): Promise<CommandOutput<K>> => {
  const envelope = await createDispatch(handlers)(name, input, { operator: 'Giulia' })
  if (!envelope.ok)
    throw new CoreError('invalid_input', `${name}: ${JSON.stringify(envelope.error)}`)
  return envelope.value as CommandOutput<K>
}

async function accounts(h: CommandHandlers) {
  const sms = await call(h, 'channels:create', {
    kind: 'sms_gateway',
    name: 'SMS',
    settings: { baseUrl: 'http://127.0.0.1:9/', username: 'u', sender: 'PC', messageType: 'GP' },
    secrets: { password: 'secret-password' },
  })
  const voice = await call(h, 'channels:create', {
    kind: 'voice_twilio',
    name: 'Chiamate',
    settings: {
      baseUrl: 'http://127.0.0.1:9/',
      accountSid: `AC${'0123456789abcdef'.repeat(2)}`,
      from: '+390571000001',
      language: 'it-IT',
    },
    secrets: { authToken: 'secret-token' },
  })
  return { sms: sms.id, voice: voice.id }
}

const draft = (accountIds: number[], listIds: number[]) => ({
  draft: {
    kind: 'idraulico' as const,
    level: 'arancione' as const,
    comuni: [{ name: 'Empoli' }],
    validFrom: '2026-12-04T14:00:00+01:00',
    validTo: '2026-12-05T08:00:00+01:00',
    headline: 'Allerta arancione per rischio idraulico',
    texts: { sms: 'Allerta arancione: evita i sottopassi.', voice: 'Allerta arancione.' },
    targets: { accountIds, listIds, partnerIds: [] },
  },
})

describe('the preview of an alert that texts and calls', () => {
  it('calls whoever prefers a call instead of texting them, and texts them when it does not call', async () => {
    const h = t.core.handlers
    const { sms, voice } = await accounts(h)
    await call(h, 'contacts:create', {
      contact: { name: 'Nonna Pina', phones: ['347 000 0101'], prefersCall: true },
    })
    await call(h, 'contacts:create', { contact: { name: 'Gino', phones: ['347 000 0102'] } })
    const list = await call(h, 'lists:create', {
      list: { kind: 'dynamic', name: 'Tutti', filter: {} },
    })

    const both = await call(h, 'alerts:createDraft', draft([sms, voice], [list.id]))
    const preview = await call(h, 'alerts:preview', { id: both.id })
    const bySms = preview.accounts.find((a) => a.accountId === sms)!
    const byVoice = preview.accounts.find((a) => a.accountId === voice)!
    expect(bySms.messages).toBe(1)
    expect(bySms.skipped).toEqual([{ reason: 'prefers_call', count: 1 }])
    expect(byVoice.messages).toBe(2)

    const smsOnly = await call(h, 'alerts:createDraft', draft([sms], [list.id]))
    const texted = await call(h, 'alerts:preview', { id: smsOnly.id })
    expect(texted.accounts[0]).toMatchObject({ messages: 2, skipped: [] })
  })
})
