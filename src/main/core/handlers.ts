import type { CommandName, CommandOutput, CommandParsed } from '../../shared/contract'

/**
 * Who is calling: the operator's name goes into the audit log. One object per
 * connection (window or socket), so `session:identify` can set it for later calls.
 */
export interface CallContext {
  operator: string
}

export type CommandHandlers = {
  [K in CommandName]: (
    input: CommandParsed<K>,
    ctx: CallContext,
  ) => CommandOutput<K> | Promise<CommandOutput<K>>
}

/** A domain's slice of the handlers, composed in one place (app.ts). */
export type HandlersFor<Prefix extends string> = {
  [K in CommandName as K extends `${Prefix}:${string}` ? K : never]: CommandHandlers[K]
}
