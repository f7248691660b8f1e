import type { Alert } from '../../src/shared/alerts/types'
import type { CommandName } from '../../src/shared/contract'
import { createDispatch } from '../../src/main/transport/dispatch'
import type { TestCore } from './test-core'

/** The families of three comuni, one each, on an SMS account that reaches no one. */
const FAMILIES = [
  'Nominativo;Cellulare;Comune',
  'Giulia Rossi;347 123 4567;Empoli',
  'Marco Bianchi;348 765 4321;Vinci',
  'Sara Neri;339 123 4567;Certaldo',
].join('\r\n')

export interface SmsAlerts {
  call<T>(name: CommandName, input: unknown): Promise<T>
  /** A draft to the families on the SMS account. */
  draft(fields: {
    level: Alert['level']
    comuni: string[]
    headline: string
    sms: string
  }): Promise<Alert>
  /** Confirmed and held in a ten-minute cancel window: its rows wait, queued. */
  confirm(alert: Alert): Promise<Alert>
  /** An update or cessata of `previous` with its own level, comuni and SMS text. */
  followUp(
    previous: Alert,
    msgType: 'Update' | 'Cancel',
    fields: { level: Alert['level']; comuni: string[]; sms: string },
  ): Promise<Alert>
}

/**
 * Alerts through the real core, as `operator` at a page. The SMS account points at a closed
 * loopback port and the core's sending loop is not started: nothing leaves.
 */
export async function smsAlerts(t: TestCore, operator: string): Promise<SmsAlerts> {
  const dispatch = createDispatch(t.core.handlers)
  const call = async <T>(name: CommandName, input: unknown): Promise<T> => {
    const answer = await dispatch(name, input, { operator })
    if (!answer.ok) throw new Error(`${name}: ${answer.error.message}`)
    return answer.value as T
  }
  const account = await call<{ id: number }>('channels:create', {
    kind: 'sms_gateway',
    name: 'SMS famiglie',
    settings: {
      baseUrl: 'http://127.0.0.1:9/API/v1.0/REST/',
      username: 'protciv',
      sender: 'ProtCiv',
      messageType: 'GP',
    },
    secrets: { password: 'non-reale' },
  })
  await call('contacts:import', {
    fileName: 'famiglie.csv',
    content: Buffer.from(FAMILIES, 'utf8').toString('base64'),
    dryRun: false,
    list: 'Famiglie',
  })
  const [list] = await call<{ id: number }[]>('lists:list', {})
  const comuni = (names: string[]) => names.map((name) => ({ name }))
  return {
    call,
    draft: (f) =>
      call<Alert>('alerts:createDraft', {
        draft: {
          kind: 'idraulico',
          level: f.level,
          comuni: comuni(f.comuni),
          validFrom: new Date(Date.now() - 60_000).toISOString(),
          validTo: new Date(Date.now() + 86_400_000).toISOString(),
          headline: f.headline,
          texts: { sms: f.sms },
          targets: { accountIds: [account.id], listIds: [list!.id] },
        },
      }),
    confirm: async (alert) =>
      (
        await call<{ alert: Alert }>('alerts:confirm', {
          id: alert.id,
          confirmation: 'INVIA',
          cancelWindowSeconds: 600,
        })
      ).alert,
    followUp: async (previous, msgType, f) => {
      const next = await call<Alert>('alerts:followUp', { id: previous.id, msgType })
      return call<Alert>('alerts:updateDraft', {
        id: next.id,
        patch: { level: f.level, comuni: comuni(f.comuni), texts: { sms: f.sms } },
      })
    },
  }
}
