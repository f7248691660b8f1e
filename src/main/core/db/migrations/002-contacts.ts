import type { Database } from 'better-sqlite3'
import type { Migration } from './types'
import seed from '../../../../../resources/comuni.json'
import { foldText } from '../../../../shared/contacts/text'

/** The role vocabulary a new workspace starts with; the office edits it afterwards. */
const SEED_ROLES: readonly (readonly [name: string, labelEn: string])[] = [
  ['genitore', 'parent'],
  ['docente', 'teacher'],
  ['personale scolastico', 'school staff'],
  ['dirigente scolastico', 'head teacher'],
  ['studente', 'student'],
  ['volontario', 'volunteer'],
  ['sindaco', 'mayor'],
  ['assessore', 'councillor'],
  ['tecnico comunale', 'municipal technician'],
  ['polizia municipale', 'municipal police'],
  ['amministratore pagina', 'page admin'],
]

/** The two partner high schools that agreed to relay alerts; pages and admins are added later. */
const SEED_PARTNERS = ['Istituto Checchi', 'Istituto Enriques']

export const migration: Migration = {
  version: 2,
  name: 'contacts, lists, comuni and partners',
  up(db) {
    db.exec(`
      CREATE TABLE comuni (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) > 0),
        -- Folded name (no case, accents, punctuation): what imports match on.
        name_key TEXT NOT NULL UNIQUE,
        istat_code TEXT UNIQUE CHECK (istat_code IS NULL OR (length(istat_code) = 6 AND istat_code NOT GLOB '*[^0-9]*')),
        province TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE roles (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) > 0),
        name_key TEXT NOT NULL UNIQUE,
        label_en TEXT,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) > 0),
        -- Folded name: the order people expect (Niccolò next to Nicola).
        sort_key TEXT NOT NULL,
        -- Lower-cased. Unique because two contacts with one address are one person (merged).
        email TEXT UNIQUE,
        telegram TEXT,
        comune_id INTEGER REFERENCES comuni(id),
        institution TEXT,
        institution_key TEXT,
        language TEXT NOT NULL DEFAULT 'it',
        notes TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX contacts_by_sort ON contacts(sort_key, id);
      CREATE INDEX contacts_by_comune ON contacts(comune_id);
      CREATE INDEX contacts_by_institution ON contacts(institution_key);
      CREATE INDEX contacts_by_language ON contacts(language);

      CREATE TABLE contact_phones (
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        -- Unique for the same reason as e-mail: one number, one person.
        e164 TEXT NOT NULL UNIQUE CHECK (e164 GLOB '+[1-9]*'),
        type TEXT NOT NULL CHECK (type IN ('mobile', 'landline', 'other')),
        original TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (contact_id, e164)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE contact_roles (
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        PRIMARY KEY (contact_id, role_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX contact_roles_by_role ON contact_roles(role_id, contact_id);

      CREATE TABLE contact_tags (
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        tag TEXT NOT NULL CHECK (length(tag) > 0),
        PRIMARY KEY (contact_id, tag)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX contact_tags_by_tag ON contact_tags(tag, contact_id);

      -- Consent history: rows are only ever added (a merge moves them to the surviving contact).
      CREATE TABLE consents (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        source TEXT NOT NULL CHECK (length(source) > 0),
        given_on TEXT,
        recorded_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX consents_by_contact ON consents(contact_id, id);
      CREATE TRIGGER consents_are_history BEFORE UPDATE OF source, given_on, recorded_at ON consents
        BEGIN SELECT RAISE(ABORT, 'consent history cannot be rewritten'); END;

      -- Opt-out history: an opt-out is active until lifted; what was asked stays as asked.
      CREATE TABLE opt_outs (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        scope TEXT NOT NULL CHECK (scope IN ('sms', 'email', 'telegram', 'all')),
        on_day TEXT NOT NULL,
        channel TEXT,
        reason TEXT,
        recorded_at TEXT NOT NULL,
        lifted_at TEXT,
        lifted_reason TEXT
      ) STRICT;
      CREATE INDEX opt_outs_by_contact ON opt_outs(contact_id, id);
      CREATE INDEX opt_outs_active ON opt_outs(contact_id, scope) WHERE lifted_at IS NULL;
      CREATE TRIGGER opt_outs_are_history BEFORE UPDATE OF scope, on_day, channel, reason, recorded_at ON opt_outs
        BEGIN SELECT RAISE(ABORT, 'opt-out history cannot be rewritten'); END;

      -- Full-text index of name, numbers, e-mail, comune, roles, school and tags.
      -- Contentless: the repository writes one document per contact (rowid = contact id).
      CREATE VIRTUAL TABLE contact_search USING fts5(
        doc,
        content = '',
        contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '1 2 3',
        detail = none
      );

      CREATE TABLE lists (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(name) > 0),
        kind TEXT NOT NULL CHECK (kind IN ('static', 'dynamic')),
        -- The saved filter of a dynamic list (JSON); a static list has members instead.
        filter TEXT CHECK (filter IS NULL OR json_valid(filter)),
        description TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK ((kind = 'dynamic') = (filter IS NOT NULL))
      ) STRICT;

      CREATE TABLE list_members (
        list_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        source TEXT NOT NULL CHECK (source IN ('manual', 'import')),
        added_at TEXT NOT NULL,
        PRIMARY KEY (list_id, contact_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX list_members_by_contact ON list_members(contact_id);
      CREATE TRIGGER list_members_static_only BEFORE INSERT ON list_members
        WHEN (SELECT kind FROM lists WHERE id = NEW.list_id) = 'dynamic'
        BEGIN SELECT RAISE(ABORT, 'a dynamic list has no hand-picked members'); END;

      CREATE TABLE partners (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(name) > 0),
        relay_mode TEXT NOT NULL CHECK (relay_mode IN ('message_admins', 'direct_post')),
        notes TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE partner_pages (
        id INTEGER PRIMARY KEY,
        partner_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('facebook', 'instagram', 'website', 'telegram', 'x', 'youtube', 'other')),
        url TEXT NOT NULL CHECK (length(url) > 0),
        -- The channel account holding the page token the partner granted (direct posts).
        channel_account_id INTEGER REFERENCES channel_accounts(id) ON DELETE SET NULL,
        position INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX partner_pages_by_partner ON partner_pages(partner_id, position);

      CREATE TABLE partner_admins (
        partner_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        PRIMARY KEY (partner_id, contact_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX partner_admins_by_contact ON partner_admins(contact_id);

      -- Nightly sync: which contacts each source (e.g. a school's export) brought, so a
      -- re-import can tell who disappeared. Nothing here deletes a contact.
      CREATE TABLE import_sources (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(key) > 0),
        created_at TEXT NOT NULL,
        last_import_at TEXT
      ) STRICT;

      CREATE TABLE import_source_contacts (
        source_id INTEGER NOT NULL REFERENCES import_sources(id) ON DELETE CASCADE,
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        present INTEGER NOT NULL CHECK (present IN (0, 1)),
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        gone_at TEXT,
        PRIMARY KEY (source_id, contact_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX import_source_contacts_by_contact ON import_source_contacts(contact_id);

      CREATE TABLE import_runs (
        id INTEGER PRIMARY KEY,
        source_id INTEGER REFERENCES import_sources(id) ON DELETE SET NULL,
        list_id INTEGER REFERENCES lists(id) ON DELETE SET NULL,
        file_name TEXT,
        at TEXT NOT NULL,
        rows INTEGER NOT NULL,
        valid INTEGER NOT NULL,
        invalid INTEGER NOT NULL,
        created INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        merged INTEGER NOT NULL,
        disappeared INTEGER NOT NULL
      ) STRICT;
    `)
    seedWorkspace(db, new Date().toISOString())
  },
}

function seedWorkspace(db: Database, now: string): void {
  const comune = db.prepare(
    'INSERT INTO comuni (name, name_key, istat_code, province, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  )
  for (const c of seed.comuni)
    comune.run(c.name, foldText(c.name), c.istatCode, c.province, now, now)
  const role = db.prepare(
    'INSERT INTO roles (name, name_key, label_en, created_at) VALUES (?, ?, ?, ?)',
  )
  for (const [name, labelEn] of SEED_ROLES) role.run(name, foldText(name), labelEn, now)
  const partner = db.prepare(
    "INSERT INTO partners (name, relay_mode, notes, created_at, updated_at) VALUES (?, 'message_admins', NULL, ?, ?)",
  )
  for (const name of SEED_PARTNERS) partner.run(name, now, now)
}
