import { startFakeSmsGateway, type FakeSmsGateway } from '../fakes/sms-gateway-fake'
import { connectHostApi, type HostApi } from './host-api'
import { removeDir, startHostProcess, type HostProcess } from './host-process'

/**
 * A host ready to send, for end-to-end tests: a loopback SMS gateway
 * configured as the account "SMS famiglie", and families imported from a CSV
 * into a list.
 */
export interface SendingRoom {
  host: HostProcess
  gateway: FakeSmsGateway
  api: HostApi
}

export async function startSendingRoom(options: {
  familiesCsv: string
  list: string
  settings?: Record<string, unknown>
}): Promise<SendingRoom> {
  const host = await startHostProcess()
  const gateway = await startFakeSmsGateway()
  const api = await connectHostApi(host.url)
  if (options.settings) await api.call('settings:update', options.settings)
  await api.call('channels:create', {
    kind: 'sms_gateway',
    name: 'SMS famiglie',
    settings: {
      baseUrl: gateway.baseUrl,
      username: gateway.username,
      sender: 'ProtCiv',
      messageType: 'GP',
      pricePerSegment: '0,05',
    },
    secrets: { password: gateway.password },
  })
  await api.call('contacts:import', {
    fileName: 'famiglie.csv',
    content: Buffer.from(options.familiesCsv, 'utf8').toString('base64'),
    dryRun: false,
    list: options.list,
  })
  return { host, gateway, api }
}

/** Closes what the room is made of now (a test may have restarted the host meanwhile). */
export async function stopSendingRoom({ host, gateway, api }: SendingRoom): Promise<void> {
  api.close()
  await host.stop()
  removeDir(host.dataDir)
  await gateway.close()
}
