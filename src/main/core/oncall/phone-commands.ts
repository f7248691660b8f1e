import type { AuditLog } from '../audit/audit-log'
import { numberField, objectField, stringField } from '../channels/adapters/http-errors'
import type { Db } from '../db/open'
import { CoreError } from '../errors'
import type { Log } from '../health/log'
import type { PagingChannels } from './paging-channels'
import type { ApprovalOutcome, PhoneAlerts, PhoneApprovals } from './phone-approvals'
import { MAX_PIN_FAILURES, type PinStore } from './pins'
import type { RosterRepository } from './roster-repository'

/**
 * Decisions a person on call writes to the room's bot in their private chat: «STOP <n>
 * <PIN>» stops alert n while it is sending, as the room's Ferma would; «APPROVA <n> <PIN>»
 * approves draft n as it was shown on the phone (phone-approvals.ts). Only a person in a
 * shift's chain, writing from their own private chat, with their own PIN; the message is
 * taken once (by chat and message id, so a replay is refused) and withheld from the
 * citizens' inbox, since it carries the PIN, and deleted from the chat. Anything else they write stays a message for
 * the inbox. Wrong PINs count towards the lock (pins.ts); the PIN is never logged.
 */

export type { PhoneAlerts }

export type PhoneOutcome =
  | 'not_ours'
  | 'replay'
  | 'pin_missing'
  | 'no_pin'
  | 'locked'
  | 'wrong_pin'
  | 'not_on_chain'
  | 'unavailable'
  | 'refused'
  | 'stopped'
  | ApprovalOutcome

export interface PhoneResult {
  /** True when the update must not reach the citizens' inbox. */
  withhold: boolean
  outcome: PhoneOutcome
}

/** «STOP 12 73915», «stop n. 12 73915», or «STOP 12» (the bot asks for the PIN); a PIN is digits. */
const STOP = /^\s*stop\s+(?:n\.?\s*)?(\d{1,12})(?:\s+(\d{1,12}))?\s*$/i
/** «APPROVA 12 73915», the same shape as STOP. */
const APPROVE = /^\s*approva\s+(?:n\.?\s*)?(\d{1,12})(?:\s+(\d{1,12}))?\s*$/i

type Command = 'stop' | 'approve'
const VERB: Record<Command, { word: string; infinitive: string }> = {
  stop: { word: 'STOP', infinitive: 'fermare' },
  approve: { word: 'APPROVA', infinitive: 'approvare' },
}

export function createPhoneCommands(deps: {
  db: Db
  roster: RosterRepository
  pins: PinStore
  channels: PagingChannels
  audit: AuditLog
  log: Log
  now(): Date
  /** The alerts area, when the room has one (none: STOP is answered that it cannot). */
  alerts?: () => PhoneAlerts | undefined
  /** Approvals of drafts (none: APPROVA is answered that it cannot). */
  approvals?: PhoneApprovals
  /** Network work after a decision (kept until settled, failures logged). */
  track(work: Promise<unknown>): void
}) {
  const remember = deps.db.prepare<[string, number, number, string, string, string]>(
    `INSERT OR IGNORE INTO oncall_phone_messages
       (chat_id, message_id, person_id, at, command, outcome) VALUES (?, ?, ?, ?, ?, ?)`,
  )
  const settle = deps.db.prepare<[string, string, number]>(
    'UPDATE oncall_phone_messages SET outcome = ? WHERE chat_id = ? AND message_id = ?',
  )

  function reply(chatId: string, text: string): void {
    const bot = deps.channels.bot()
    if ('error' in bot) {
      deps.log.warn('oncall', `risposta sul telefono non inviata: ${bot.error}`)
      return
    }
    deps.track(
      bot.bot.sendMessage(chatId, text).then((r) => {
        if (!r.ok) deps.log.warn('oncall', `risposta sul telefono non inviata: ${r.reason}`)
      }),
    )
  }

  /** The message carried a PIN: it does not stay on the phone's screen. */
  function forget(chatId: string, messageId: number): void {
    const bot = deps.channels.bot()
    if ('error' in bot) return
    deps.track(
      bot.bot.deleteMessage(chatId, messageId).then((r) => {
        if (!r.ok)
          deps.log.warn('oncall', `messaggio con il PIN non cancellato dalla chat: ${r.reason}`)
      }),
    )
  }

  const onChain = (personId: number) => deps.roster.shifts().some((s) => s.chain.includes(personId))

  function decide(
    command: Command,
    person: { id: number; name: string },
    chatKey: string,
    messageId: number,
    alertId: number,
    pin: string | undefined,
  ): PhoneResult {
    const at = deps.now().toISOString()
    const subject = `alert:${alertId}`
    const verb = VERB[command]
    if (remember.run(chatKey, messageId, person.id, at, command, 'received').changes === 0) {
      deps.log.warn('oncall', `messaggio ${verb.word} già ricevuto da ${person.name}: rifiutato`)
      return { withhold: true, outcome: 'replay' }
    }
    const done = (outcome: PhoneOutcome, text: string, detail?: Record<string, unknown>) => {
      settle.run(outcome, chatKey, messageId)
      if (detail)
        deps.audit.record(person.name, 'oncall.phoneRefused', subject, {
          command,
          reason: outcome,
          via: 'Telegram',
          ...detail,
        })
      if (text) reply(chatKey, text)
      return { withhold: true, outcome }
    }
    if (!onChain(person.id))
      return done(
        'not_on_chain',
        `Non sei nella catena di un turno di reperibilità: da qui non puoi ${verb.infinitive} allerte.`,
        {},
      )
    if (!pin)
      return done(
        'pin_missing',
        `Per ${verb.infinitive} l’allerta n. ${alertId} scrivi ${verb.word} ${alertId} seguito da uno spazio e dal tuo PIN.`,
      )
    forget(chatKey, messageId)
    const check = deps.pins.check(person.id, pin, at)
    if (!check.ok) {
      if (check.reason === 'no_pin')
        return done(
          'no_pin',
          'Non hai ancora un PIN: la sala lo imposta in Configurazione → Reperibilità.',
          {},
        )
      if (check.reason === 'locked')
        return done(
          'locked',
          `Il tuo PIN è bloccato dopo ${MAX_PIN_FAILURES} tentativi sbagliati: la sala deve impostarne uno nuovo.`,
          {},
        )
      if (check.locked) deps.log.warn('oncall', `PIN di ${person.name} bloccato: troppi errori`)
      return done(
        'wrong_pin',
        check.locked
          ? `PIN sbagliato. Dopo ${MAX_PIN_FAILURES} tentativi il PIN è bloccato: la sala deve impostarne uno nuovo.`
          : `PIN sbagliato: restano ${check.left} tentativi prima del blocco.`,
        { left: check.left, locked: check.locked },
      )
    }
    if (command === 'approve') {
      if (!deps.approvals)
        return done('unavailable', 'Da qui ora non posso approvare: chiama la sala.', {})
      const r = deps.approvals.approve(person, alertId)
      if (r.outcome === 'approved' || r.outcome === 'pending') {
        settle.run(r.outcome, chatKey, messageId)
        reply(chatKey, r.text)
        return { withhold: true, outcome: r.outcome }
      }
      return done(r.outcome, r.text, r.detail ?? {})
    }
    const alerts = deps.alerts?.()
    if (!alerts) {
      deps.log.error('oncall', new Error('STOP dal telefono: il servizio delle allerte manca'))
      return done('unavailable', 'Da qui ora non posso fermare allerte: chiama la sala.', {})
    }
    try {
      const r = alerts.stop(alertId, `${person.name} (da Telegram)`)
      settle.run('stopped', chatKey, messageId)
      deps.audit.record(person.name, 'oncall.phoneStop', subject, {
        via: 'Telegram',
        cancelledRows: r.cancelledRows,
      })
      reply(
        chatKey,
        `Allerta n. ${alertId} fermata: ${r.cancelledRows} messaggi non ancora partiti annullati. I messaggi già in uscita finiscono.`,
      )
      return { withhold: true, outcome: 'stopped' }
    } catch (err) {
      if (!(err instanceof CoreError)) throw err
      const why =
        err.code === 'not_found'
          ? `non c’è un’allerta n. ${alertId}`
          : `l’allerta n. ${alertId} non è in invio`
      return done('refused', `Non fermata: ${why}.`, { error: err.code })
    }
  }

  return {
    /** One getUpdates update; decided synchronously, the bot's reply goes on in the background. */
    handleUpdate(update: unknown): PhoneResult {
      const msg = objectField(update, 'message')
      const chat = objectField(msg, 'chat')
      const chatId = numberField(chat, 'id')
      const fromId = numberField(objectField(msg, 'from'), 'id')
      const messageId = numberField(msg, 'message_id')
      const text = stringField(msg, 'text')
      const stop = STOP.exec(text ?? '')
      const approve = stop ? null : APPROVE.exec(text ?? '')
      const m = stop ?? approve
      if (
        !m ||
        chatId === undefined ||
        messageId === undefined ||
        stringField(chat, 'type') !== 'private' ||
        fromId !== chatId
      )
        return { withhold: false, outcome: 'not_ours' }
      const chatKey = String(chatId)
      const person = deps.roster.personByChat(chatKey)
      // A stranger's «STOP»: a citizen's message like any other, for the inbox.
      if (!person) return { withhold: false, outcome: 'not_ours' }
      try {
        return decide(stop ? 'stop' : 'approve', person, chatKey, messageId, Number(m[1]), m[2])
      } catch (err) {
        // Never to the inbox: the message may carry the PIN.
        deps.log.error('oncall', err)
        reply(chatKey, 'Non sono riuscito a eseguire il comando: chiama la sala.')
        return { withhold: true, outcome: 'unavailable' }
      }
    },
  }
}

export type PhoneCommands = ReturnType<typeof createPhoneCommands>
