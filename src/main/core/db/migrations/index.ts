import type { Migration } from './types'
import { migration as m001 } from './001-channel-accounts'

/** Every migration, in order. Add a file `NNN-name.ts` and list it here. */
export const MIGRATIONS: readonly Migration[] = [m001]

export type { Migration }
