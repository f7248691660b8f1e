import type { Migration } from './types'
import { migration as m001 } from './001-channel-accounts'
import { migration as m002 } from './002-contacts'
import { migration as m003 } from './003-feeds'
import { migration as m004 } from './004-alerts-outbox'
import { migration as m005 } from './005-templates'
import { migration as m006 } from './006-room'
import { migration as m007 } from './007-channel-health'
import { migration as m008 } from './008-citizens'
import { migration as m009 } from './009-outbox-direct'
import { migration as m010 } from './010-outbox-priority'
import { migration as m011 } from './011-bulletin-alerts'
import { migration as m012 } from './012-dpc-sources-alert-zones'
import { migration as m013 } from './013-notices'
import { migration as m014 } from './014-oncall'
import { migration as m015 } from './015-oncall-pins'
import { migration as m016 } from './016-calls-whatsapp'
import { migration as m017 } from './017-feed-internal-network'
import { migration as m018 } from './018-oncall-distress'
import { migration as m019 } from './019-call-preference'
import { migration as m020 } from './020-calls-at-night'
import { migration as m021 } from './021-alert-recordings'
import { migration as m022 } from './022-outbox-warning'
import { migration as m023 } from './023-oncall-approvals'
import { migration as m024 } from './024-channel-check-codes'
import { migration as m026 } from './026-citizens-youtube'
import { migration as m027 } from './027-oncall-page-calls'

/** Every migration, in order. Add a file `NNN-name.ts` and list it here. */
export const MIGRATIONS: readonly Migration[] = [
  m001,
  m002,
  m003,
  m004,
  m005,
  m006,
  m007,
  m008,
  m009,
  m010,
  m011,
  m012,
  m013,
  m014,
  m015,
  m016,
  m017,
  m018,
  m019,
  m020,
  m021,
  m022,
  m023,
  m024,
  m026,
  m027,
]

export type { Migration }
