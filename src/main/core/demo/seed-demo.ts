import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { CommandInput, CommandName, CommandOutput } from '../../../shared/contract'
import { generateContacts, generatedContactsCsv } from '../contacts/generate'
import type { CommandHandlers } from '../handlers'

/**
 * A demo workspace: channel accounts of every kind, enabled (pointing at
 * example endpoints with placeholder credentials: open it in a drill, where
 * only simulated channels exist), generated contacts, the lists the shipped drill
 * scenarios name, the official sources Vedetta reads (the DPC's public repositories and
 * MeteoAlarm, left disabled: a demo reads nothing from the outside by itself), and one enabled
 * source reading the real DPC bulletin shipped in resources/samples/dpc-criticita.
 * Everything goes through the same handlers the UI uses.
 */
export async function seedDemoWorkspace(
  handlers: CommandHandlers,
  options: { contacts?: number; resourcesDir?: string } = {},
) {
  const ctx = { operator: 'demo' }
  const call = async <K extends CommandName>(
    name: K,
    input: CommandInput<K>,
  ): Promise<CommandOutput<K>> =>
    (handlers[name] as (i: unknown, c: typeof ctx) => Promise<CommandOutput<K>> | CommandOutput<K>)(
      input,
      ctx,
    )

  const accounts: CommandInput<'channels:create'>[] = [
    {
      kind: 'sms_gateway',
      name: 'SMS Circondario',
      settings: {
        baseUrl: 'https://sms.example.org/API/v1.0/REST/',
        username: 'demo',
        sender: 'ProtCivile',
        messageType: 'GP',
        pricePerSegment: 0.045,
      },
      secrets: { password: 'demo-non-reale' },
    },
    {
      kind: 'email_smtp',
      name: 'Email Protezione Civile',
      settings: {
        host: 'smtp.example.org',
        port: 587,
        security: 'starttls',
        username: 'allerte',
        fromAddress: 'allerte@example.org',
        fromName: 'Protezione civile',
      },
      secrets: { password: 'demo-non-reale' },
    },
    {
      kind: 'telegram',
      name: 'Telegram Allerte',
      settings: { baseUrl: 'https://api.telegram.org', chatId: '@allerte_demo' },
      secrets: { botToken: '000000000:AAdemo-non-reale-nessun-bot-esiste' },
    },
    {
      kind: 'facebook_page',
      name: 'Facebook Protezione Civile',
      settings: {
        baseUrl: 'https://graph.facebook.com',
        apiVersion: 'v23.0',
        pageId: '0000000000',
      },
      secrets: { pageAccessToken: 'demo-non-reale' },
    },
    {
      kind: 'x',
      name: 'X Protezione Civile',
      settings: { baseUrl: 'https://api.x.com', handle: 'protciv_demo' },
      secrets: { accessToken: 'demo-non-reale' },
    },
    {
      kind: 'mastodon',
      name: 'Mastodon Protezione Civile',
      settings: { baseUrl: 'https://mastodon.example.org', visibility: 'public' },
      secrets: { accessToken: 'demo-non-reale' },
    },
    {
      kind: 'bluesky',
      name: 'Bluesky Protezione Civile',
      settings: { baseUrl: 'https://bsky.social', handle: 'protciv-demo.bsky.social' },
      secrets: { appPassword: 'demo-non-reale' },
    },
  ]
  // Enabled, as the form creates them: these handlers get no schema defaults, and a drill
  // made from the demo must have channels to send on and to answer citizens through.
  for (const a of accounts) await call('channels:create', { ...a, enabled: true })

  const people = generateContacts(options.contacts ?? 2000, 7)
  const csv = generatedContactsCsv(people)
  await call('contacts:import', {
    fileName: 'demo.csv',
    content: Buffer.from(csv, 'utf8').toString('base64'),
    dryRun: false,
  })

  const comuni = await call('comuni:list', {})
  const roles = await call('roles:list', {})
  const comune = (name: string) => comuni.filter((c) => c.name === name).map((c) => c.id)
  const role = (name: string) => roles.filter((r) => r.name === name).map((r) => r.id)
  const dynamic = (name: string, filter: Record<string, unknown>) =>
    call('lists:create', { list: { kind: 'dynamic', name, filter } })
  await dynamic('Genitori — Istituto Checchi', { institutions: ['Istituto Checchi'] })
  await dynamic('Genitori — Istituto Enriques', { institutions: ['Istituto Enriques'] })
  await dynamic('Sindaci e tecnici comunali', {
    roleIds: [...role('sindaco'), ...role('tecnico comunale')],
  })
  await dynamic('Residenti zona rossa Arno — Fucecchio', { comuneIds: comune('Fucecchio') })
  await dynamic('Residenti zona rossa Arno — Empoli', { comuneIds: comune('Empoli') })
  await dynamic('Volontari', { roleIds: role('volontario') })

  const sources: CommandInput<'feeds:createSource'>[] = [
    {
      name: 'DPC — bollettino di criticità',
      kind: 'dpc_criticita',
      url: 'https://github.com/pcm-dpc/DPC-Bollettini-Criticita-Idrogeologica-Idraulica',
      intervalS: 900,
      enabled: false,
      zones: [],
    },
    {
      name: 'DPC — vigilanza meteorologica',
      kind: 'dpc_vigilanza',
      url: 'https://github.com/pcm-dpc/DPC-Bollettini-Vigilanza-Meteorologica',
      intervalS: 3600,
      enabled: false,
      zones: [],
    },
    {
      name: 'MeteoAlarm Italia',
      kind: 'atom_cap_index',
      url: 'https://feeds.meteoalarm.org/feeds/meteoalarm-legacy-atom-italy',
      intervalS: 300,
      enabled: false,
      zones: ['EMMA_ID:IT009'],
    },
  ]
  if (options.resourcesDir) {
    sources.push({
      name: 'DPC — esempio del 20 luglio 2026',
      kind: 'dpc_criticita',
      url: pathToFileURL(join(options.resourcesDir, 'samples', 'dpc-criticita')).href,
      intervalS: 3600,
      enabled: true,
      zones: [],
    })
  }
  for (const source of sources) await call('feeds:createSource', source)
  return { accounts: accounts.length, contacts: people.length }
}
