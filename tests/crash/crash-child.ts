/**
 * One run of the sending process for the crash test, killed with SIGKILL at
 * random moments by the parent: it confirms the alerts (the fan-out) if that
 * has not happened yet, then dispatches until every row is final. Bundled with
 * esbuild and run by plain node, so it must not import vitest.
 *
 * It prints `phase fanout`, `phase dispatch` and `done` so the parent can aim
 * its kills.
 */

import { createAlertsService } from '../../src/main/core/alerts/alerts-service'
import { createAuditLog } from '../../src/main/core/audit/audit-log'
import type { ChannelAdapter } from '../../src/main/core/channels/adapter'
import { createSmsGatewayAdapter } from '../../src/main/core/channels/adapters/sms-gateway'
import { createTwilioAdapter } from '../../src/main/core/channels/adapters/twilio'
import { openDatabase } from '../../src/main/core/db/open'
import { createDispatcher } from '../../src/main/core/outbox/dispatcher'
import { CONFIG_ENV, scenarioRecipients, type ChildConfig } from './scenario'

const config = JSON.parse(process.env[CONFIG_ENV] ?? '{}') as ChildConfig
const say = (line: string) => process.stdout.write(`${line}\n`)

const db = openDatabase(config.dbFile)
const audit = createAuditLog(db, () => new Date())
const alerts = createAlertsService({ db, audit, resolveRecipients: scenarioRecipients(config) })

say('phase fanout')
for (const alertId of [config.gateway.alertId, config.twilio.alertId]) {
  if (alerts.get(alertId).status === 'draft')
    alerts.confirm(alertId, 'crash-test', { cancelWindowSeconds: 0 })
}

const http = { timeoutMs: 1_000 }
const adapters = new Map<number, ChannelAdapter>([
  [
    config.gateway.accountId,
    createSmsGatewayAdapter(
      {
        accountId: config.gateway.accountId,
        name: 'Gateway',
        settings: {
          baseUrl: config.gateway.baseUrl,
          username: config.gateway.username,
          sender: 'ProtCivile',
          ratePerSecond: 1000,
        },
        secrets: { password: config.gateway.password },
      },
      http,
    ),
  ],
  [
    config.twilio.accountId,
    createTwilioAdapter(
      {
        accountId: config.twilio.accountId,
        name: 'Twilio',
        settings: {
          baseUrl: config.twilio.baseUrl,
          accountSid: config.twilio.accountSid,
          from: '+15005550006',
          ratePerSecond: 1000,
        },
        secrets: { authToken: config.twilio.authToken },
      },
      http,
    ),
  ],
])

const dispatcher = createDispatcher({
  db,
  adapterFor: (id) => {
    const adapter = adapters.get(id)
    if (!adapter) throw new Error(`no adapter for account ${id}`)
    return adapter
  },
  audit,
  leaseMs: config.leaseMs,
  recoveryIntervalMs: 100,
  pollIntervalMs: 20,
  maxAttempts: 50,
  backoff: { baseMs: 20, capMs: 200 },
  // Receipts are not what this test is about.
  receipts: { firstPollMs: 3_600_000 },
  onError: (err) => {
    process.stderr.write(`dispatcher error: ${String(err)}\n`)
  },
})

say('phase dispatch')
dispatcher.start()
const watch = setInterval(() => {
  const finished = [config.gateway.alertId, config.twilio.alertId].every(
    (id) => alerts.get(id).status === 'done',
  )
  if (!finished) return
  clearInterval(watch)
  void dispatcher.stop().then(() => {
    db.close()
    say('done')
    process.exit(0)
  })
}, 20)
