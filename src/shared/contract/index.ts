/**
 * The contract between the UI and the core: every command (`domain:verb`,
 * request → response) and every event (core → UI), with runtime schemas.
 *
 * Electron IPC (preload + main) and the loopback WebSocket host are both built
 * from these two maps, and the renderer's `api` is typed from them: add an
 * operation here and every transport has it.
 */
import type { z } from 'zod'
import { channelsCommands, channelsEvents } from './channels'
import { alertsCommands, alertsEvents } from './alerts'
import { citizensCommands, citizensEvents } from './citizens'
import { contactsCommands, contactsEvents } from './contacts'
import { drillsCommands, drillsEvents } from './drills'
import { settingsCommands, settingsEvents } from './settings'
import { feedsCommands, feedsEvents } from './feeds'
import { mapsCommands } from './maps'
import { noticesCommands, noticesEvents } from './notices'
import { oncallCommands, oncallEvents } from './oncall'
import { roomCommands, roomEvents } from './room'
import { sessionCommands } from './session'
import { systemCommands, systemEvents } from './system'
import { templatesCommands, templatesEvents } from './templates'

export const commands = {
  ...systemCommands,
  ...sessionCommands,
  ...channelsCommands,
  ...templatesCommands,
  ...roomCommands,
  ...feedsCommands,
  ...contactsCommands,
  ...alertsCommands,
  ...settingsCommands,
  ...citizensCommands,
  ...drillsCommands,
  ...noticesCommands,
  ...oncallCommands,
  ...mapsCommands,
}

export const events = {
  ...systemEvents,
  ...channelsEvents,
  ...templatesEvents,
  ...roomEvents,
  ...feedsEvents,
  ...contactsEvents,
  ...alertsEvents,
  ...settingsEvents,
  ...citizensEvents,
  ...drillsEvents,
  ...noticesEvents,
  ...oncallEvents,
}

export type Commands = typeof commands
export type CommandName = keyof Commands
export type CommandInput<K extends CommandName> = z.input<Commands[K]['input']>
/** The input after validation and defaults, as handlers receive it. */
export type CommandParsed<K extends CommandName> = z.output<Commands[K]['input']>
export type CommandOutput<K extends CommandName> = z.output<Commands[K]['output']>

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>

export const commandNames = Object.keys(commands) as CommandName[]

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commands, name)
}

/** What the renderer calls: one function per command, plus event subscription. */
export type VedettaApi = {
  [K in CommandName]: (input: CommandInput<K>) => Promise<CommandOutput<K>>
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/**
 * What a transport exposes: the same functions, answering with envelopes.
 * (Errors cannot cross Electron's context bridge as typed objects, so the
 * renderer turns envelopes into values or `ApiError`s on its side.)
 */
export type VedettaBridge = {
  [K in CommandName]: (input: CommandInput<K>) => Promise<Envelope<CommandOutput<K>>>
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** Where each command's function lives on the bridge object: `channels:list` → `channels:list`. */
export const IPC_INVOKE_CHANNEL = 'vedetta:invoke'
export const IPC_EVENT_CHANNEL = 'vedetta:event'

import type { Envelope } from './errors'
export * from './errors'
export type { ChannelAccountView, CreateChannelAccount, UpdateChannelAccount } from './channels'
export type { HealthProblem, SystemInfo } from './system'
export type { TemplateView } from './templates'
export type { JournalEntry } from './room'
export type { BulletinAlertView } from './feeds'
export type { ListView } from './contacts'
export type { RelayView } from './alerts'
export { CONFIRM_WORD } from './alerts'
export type { WorkspaceSettings } from './settings'
