import { FILTER_CONDITION } from '../contacts/filter-sql'

/**
 * The members of one list as a CTE `m(id)`: a static list's rows, or the
 * contacts a dynamic list's filter matches now. Both branches are in one
 * statement; `@dynamic` switches one off (SQLite skips a constant-false loop).
 */
export const MEMBERS_CTE = `
  m(id) AS (
    SELECT contact_id FROM list_members WHERE @dynamic = 0 AND list_id = @listId
    UNION ALL
    SELECT c.id FROM contacts c WHERE @dynamic = 1 AND ${FILTER_CONDITION}
  )`

/**
 * True when an active opt-out of `@scope` (or of everything) covers contact `m.id`.
 * Voice and WhatsApp have no opt-out of their own: only "all" covers them.
 */
export const OPTED_OUT = (scope: 'sms' | 'email' | 'telegram' | 'voice' | 'whatsapp') => `EXISTS (
  SELECT 1 FROM opt_outs o
  WHERE o.contact_id = m.id AND o.lifted_at IS NULL AND o.scope IN ('${scope}', 'all'))`
