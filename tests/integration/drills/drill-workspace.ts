import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createCore, type Core, type CoreOptions } from '../../../src/main/core/app'
import type { CommandHandlers } from '../../../src/main/core/handlers'
import { CoreError } from '../../../src/main/core/errors'
import { createDispatch } from '../../../src/main/transport/dispatch'
import type { CommandInput, CommandName, CommandOutput } from '../../../src/shared/contract'
import { createKeyFileCipher } from '../../../src/main/core/secrets/key-file-cipher'
import type { DrillTime } from '../../../src/main/core/drills/drill-time'
import {
  createDrillRooms,
  createWorkspaceNames,
  drillsHandlers,
  type DrillRooms,
} from '../../../src/main/core/drill-runtime'

export const RESOURCES = resolve(__dirname, '../../../resources')

/**
 * A real workspace with what the snow scenario names: the lists (with a few
 * families), the partners (seeded), and channel accounts of every family the
 * checkpoints count on, configured for real providers on the Internet — in a
 * drill only their simulated twins may ever be built.
 */
export interface DrillWorkspace {
  dataDir: string
  core: Core
  /** The real room's handlers with the drill commands, as app.ts composes them. */
  real: CommandHandlers
  rooms: DrillRooms
  baseOptions: CoreOptions
  call<K extends CommandName>(
    handlers: CommandHandlers,
    name: K,
    input: CommandInput<K>,
    operator?: string,
  ): Promise<CommandOutput<K>>
  /** Closes the workspace and its drills, keeping the files (for a CLI run on them). */
  close(): Promise<void>
  dispose(): Promise<void>
}

const csv = (rows: string[]) => Buffer.from(rows.join('\r\n'), 'utf8').toString('base64')

export const REAL_ACCOUNTS = [
  {
    kind: 'sms_gateway',
    name: 'SMS Circondario',
    settings: {
      baseUrl: 'https://api.skebby.it/API/v1.0/REST/',
      username: 'protciv',
      sender: 'ProtCiv',
      messageType: 'GP',
    },
    secrets: { password: 'segreto-sms' },
  },
  {
    kind: 'sms_twilio',
    name: 'SMS Twilio',
    settings: {
      baseUrl: 'https://api.twilio.com',
      accountSid: 'AC11111111111111111111111111111111',
      from: '+390571000000',
    },
    secrets: { authToken: 'segreto-twilio' },
  },
  {
    kind: 'email_smtp',
    name: 'Email Protezione Civile',
    settings: {
      host: 'smtp.example.org',
      port: 587,
      security: 'starttls',
      fromAddress: 'allerte@example.org',
    },
    secrets: { password: 'segreto-smtp' },
  },
  {
    kind: 'facebook_page',
    name: 'Facebook Protezione Civile',
    settings: { baseUrl: 'https://graph.facebook.com', apiVersion: 'v23.0', pageId: '123' },
    secrets: { pageAccessToken: 'segreto-fb' },
  },
  {
    kind: 'telegram',
    name: 'Telegram Allerte',
    settings: { baseUrl: 'https://api.telegram.org', chatId: '@allerte' },
    secrets: { botToken: '123456789:AAFakeTokenForTestsOnly_abcdefghijk' },
  },
  {
    kind: 'x',
    name: 'X Protezione Civile',
    settings: { baseUrl: 'https://api.x.com', handle: 'protciv' },
    secrets: { accessToken: 'segreto-x' },
  },
] as const

export async function createDrillWorkspace(
  options: { time?: DrillTime; cancelWindowSeconds?: number } = {},
): Promise<DrillWorkspace> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vedetta-drill-'))
  const baseOptions: CoreOptions = {
    dataDir,
    cipher: createKeyFileCipher(dataDir),
    shell: 'host',
    version: 'test',
    resourcesDir: RESOURCES,
    ...(options.time ? { now: () => new Date(options.time!.now()) } : {}),
  }
  const core = createCore(baseOptions)
  const dispatchers = new WeakMap<CommandHandlers, ReturnType<typeof createDispatch>>()
  /** As a client calls: validated by the one dispatcher, errors thrown typed. */
  const call: DrillWorkspace['call'] = async (handlers, name, input, operator = 'Formatore') => {
    let dispatch = dispatchers.get(handlers)
    if (!dispatch) {
      dispatch = createDispatch(handlers, { onInternalError: (_c, err) => console.error(err) })
      dispatchers.set(handlers, dispatch)
    }
    const envelope = await dispatch(name, input, { operator })
    if (!envelope.ok) {
      const { code, message, issues } = envelope.error
      throw new CoreError(
        code === 'internal' || code === 'unknown_command' ? 'unavailable' : code,
        message,
        issues,
      )
    }
    return envelope.value as CommandOutput<typeof name>
  }
  await call(core.handlers, 'settings:update', {
    cancelWindowSeconds: options.cancelWindowSeconds ?? 0,
    link: 'https://www.empolese-valdelsa.it/allerta',
  })
  for (const a of REAL_ACCOUNTS) await call(core.handlers, 'channels:create', a as never)
  const imports: [string, string[]][] = [
    [
      'Genitori — Istituto Checchi',
      [
        'Nominativo;Cellulare;Comune',
        'Giulia Rossi;347 123 4567;Fucecchio',
        'Marco Bianchi;348 765 4321;Fucecchio',
      ],
    ],
    [
      'Genitori — Istituto Enriques',
      ['Nominativo;Cellulare;Comune', 'Sara Neri;339 123 4567;Castelfiorentino'],
    ],
    [
      'Sindaci e tecnici comunali',
      [
        'Nominativo;Email;Comune',
        'Sindaco di Empoli;sindaco@comune.empoli.example;Empoli',
        'Tecnico di Vinci;tecnico@comune.vinci.example;Vinci',
      ],
    ],
  ]
  for (const [list, rows] of imports) {
    await call(core.handlers, 'contacts:import', {
      fileName: 'lista.csv',
      content: csv(rows),
      dryRun: false,
      list,
    })
  }
  // Composed as app.ts composes them: each core answers the drill commands for its mode.
  const rooms = createDrillRooms({
    dataDir,
    events: core.events,
    openCore: (o) => {
      const drill = createCore({ ...baseOptions, ...o, mode: 'drill' })
      Object.assign(
        drill.handlers,
        drillsHandlers({
          db: drill.db,
          mode: 'drill',
          dataDir,
          resourcesDir: RESOURCES,
          names: createWorkspaceNames(drill.scenario),
        }),
      )
      return drill
    },
    ...(options.time ? { time: options.time } : {}),
  })
  Object.assign(
    core.handlers,
    drillsHandlers({
      db: core.db,
      mode: 'real',
      dataDir,
      resourcesDir: RESOURCES,
      names: createWorkspaceNames(core.scenario),
      rooms,
      events: core.events,
    }),
  )
  const real = core.handlers
  async function close() {
    await rooms.closeAll()
    core.close()
  }
  return {
    dataDir,
    core,
    real,
    rooms,
    baseOptions,
    call,
    close,
    async dispose() {
      await close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
