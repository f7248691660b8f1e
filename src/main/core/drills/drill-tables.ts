/**
 * What a drill keeps of the real workspace. Every table of the schema is named
 * here on purpose (a test fails when a migration adds one that is not), so
 * nobody has to guess whether new data belongs in a drill.
 */

/** Configuration: copied as it is, so the room looks and behaves as on a real day. */
export const DRILL_KEPT_TABLES = [
  'channel_accounts', // settings only; secrets are in channel_secrets
  'comuni',
  'roles',
  'contacts',
  'contact_phones',
  'contact_roles',
  'contact_tags',
  'consents',
  'opt_outs',
  'contact_search', // FTS5 index of contacts, with its shadow tables
  'lists',
  'list_members',
  'partners',
  'partner_pages',
  'partner_admins',
  'import_sources',
  'import_source_contacts',
  'import_runs',
  'feed_sources', // kept, but disabled and with their poll state cleared (see drill-files)
  'templates',
  'workspace_meta',
  'room_layouts',
  // The on-call roster: a drill pages the same people, on its simulated channels.
  'oncall_people',
  'oncall_shifts',
  'oncall_exceptions',
  'oncall_chain',
  'oncall_settings',
] as const

/**
 * Secrets and operational history: the drill starts with these empty. Children
 * before parents, so no cascade has anything left to do.
 */
export const DRILL_EMPTIED_TABLES = [
  'channel_secrets', // never copied: a drill cannot reach a real provider even by mistake
  'channel_health',
  'citizen_triage_history',
  'citizen_search', // FTS5 index of the citizens' inbox
  'citizen_messages',
  'citizen_inbound_cursors',
  'outbox',
  'relay_requests',
  'alert_recordings', // the real room's recordings are its own; a drill uploads its own
  // Drafts and approvals from the phone belong to the real room's pages: a drill starts with none.
  'oncall_approvals',
  'oncall_draft_views',
  'oncall_drafts',
  'alerts',
  'bulletin_alerts', // banners raised and acknowledged: the drill's own, from its own bulletins
  'feed_items',
  'journal_notes',
  'audit_log',
  // Pages and escalations of the real room are not the drill's; nor are its PINs (a drill's
  // phone commands act only on the drill, with PINs set for it).
  'oncall_phone_messages',
  'oncall_pins',
  'oncall_callbacks',
  'oncall_pages',
  'oncall_escalations',
  // The region's notices: a drill never reads the real mailbox, and starts with no notice.
  'notice_attachments',
  'notices',
  'notices_mailbox',
] as const
