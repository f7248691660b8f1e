import { CHANNEL_KIND_DESCRIPTORS } from '../../../shared/channels/kinds'
import { matchesFormat } from '../../../shared/channels/formats'
import { settingsSchema } from '../../../shared/channels/settings-schema'
import type { ChannelAccountView, CommandParsed } from '../../../shared/contract'
import { toFieldIssues, type FieldIssue } from '../../../shared/validation/issues'
import { CoreError, invalid, notFound } from '../errors'
import type { EventBus } from '../events'
import type { SecretCipher } from '../secrets/cipher'
import type { AuditLog } from '../audit/audit-log'
import type { ChannelAccountRow, ChannelAccountsRepository } from './accounts-repository'
import type { ConnectionCheck } from './adapter'
import { testConnection, type AdapterBuilder } from './connection-test'
import type { ChannelHealth, ChannelHealthRepository } from './health-repository'

const SIMULATED_ONLY = Symbol('builds simulated twins only')

/**
 * Marks an adapter builder that only ever builds simulated twins (a drill's):
 * accounts served by it need no secret, since nothing they send leaves the
 * machine and a drill copies no secret from the workspace.
 */
export function simulatedOnly<T extends AdapterBuilder>(build: T): T {
  return Object.assign(build, { [SIMULATED_ONLY]: true })
}

const buildsSimulatedOnly = (build: AdapterBuilder): boolean =>
  (build as AdapterBuilder & { [SIMULATED_ONLY]?: boolean })[SIMULATED_ONLY] === true

export interface ChannelAccountsDeps {
  repo: ChannelAccountsRepository
  health: ChannelHealthRepository
  /** Real adapters in operations, simulated twins in a drill. */
  adapters: AdapterBuilder
  cipher: SecretCipher
  events: EventBus
  audit: AuditLog
  now: () => Date
}

/** The view the UI may see: settings and which secrets are set — never a secret's value. */
export function toView(
  row: ChannelAccountRow,
  health: ChannelHealth | null = null,
): ChannelAccountView {
  const declared = CHANNEL_KIND_DESCRIPTORS[row.kind].secrets
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    enabled: row.enabled,
    settings: row.settings,
    secrets: Object.fromEntries(declared.map((s) => [s.key, row.secretNames.includes(s.key)])),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    health,
  }
}

export function createChannelAccountsService(deps: ChannelAccountsDeps) {
  const { repo, cipher, events, audit } = deps
  const view = (row: ChannelAccountRow) => toView(row, deps.health.get(row.id))
  const secretsRequired = !buildsSimulatedOnly(deps.adapters)

  function validateSettings(kind: ChannelAccountRow['kind'], settings: Record<string, unknown>) {
    const parsed = settingsSchema(kind).safeParse(settings, { reportInput: true })
    if (parsed.success) return { settings: parsed.data, issues: [] as FieldIssue[] }
    const issues = toFieldIssues(parsed.error).map((i) => ({
      ...i,
      path: i.path ? `settings.${i.path}` : 'settings',
    }))
    return { settings, issues }
  }

  /** Checks secret names against the kind and seals the values; `required` holds for real accounts only. */
  function sealSecrets(
    kind: ChannelAccountRow['kind'],
    input: Record<string, string | null>,
    stored: string[],
    issues: FieldIssue[],
  ) {
    const declared = CHANNEL_KIND_DESCRIPTORS[kind].secrets
    const sealed: Record<string, Buffer | null> = {}
    for (const [key, value] of Object.entries(input)) {
      if (!declared.some((d) => d.key === key)) {
        issues.push({ path: `secrets.${key}`, code: 'invalid' })
        continue
      }
      // An empty field in a form means "leave it as it is".
      if (value === '') continue
      const format = declared.find((d) => d.key === key)?.format
      if (value !== null && format && !matchesFormat(format, value.trim())) {
        issues.push({ path: `secrets.${key}`, code: format })
        continue
      }
      sealed[key] = value === null ? null : cipher.encrypt(value)
    }
    for (const d of declared) {
      const willHave = key(d.key)
      if (secretsRequired && d.required && !willHave)
        issues.push({ path: `secrets.${d.key}`, code: 'required' })
    }
    return sealed
    function key(k: string): boolean {
      if (k in sealed) return sealed[k] !== null
      return stored.includes(k)
    }
  }

  function checkName(name: string, selfId: number | undefined, issues: FieldIssue[]) {
    const other = repo.idByName(name)
    if (other !== undefined && other !== selfId) issues.push({ path: 'name', code: 'duplicate' })
  }

  return {
    list: (): ChannelAccountView[] => repo.list().map(view),

    get(id: number): ChannelAccountView {
      const row = repo.get(id)
      if (!row) throw notFound(`channel account ${id}`)
      return view(row)
    },

    create(input: CommandParsed<'channels:create'>, actor: string): ChannelAccountView {
      const { settings, issues } = validateSettings(input.kind, input.settings)
      checkName(input.name, undefined, issues)
      const secrets = sealSecrets(input.kind, input.secrets, [], issues)
      if (issues.length) throw invalid(issues)
      const id = repo.create({
        kind: input.kind,
        name: input.name,
        enabled: input.enabled,
        settings,
        secrets,
        now: deps.now().toISOString(),
      })
      audit.record(actor, 'channels.create', `channel:${id}`, {
        kind: input.kind,
        name: input.name,
      })
      events.emit('channels:changed', { id, change: 'created' })
      return this.get(id)
    },

    update(input: CommandParsed<'channels:update'>, actor: string): ChannelAccountView {
      const row = repo.get(input.id)
      if (!row) throw notFound(`channel account ${input.id}`)
      const name = input.name ?? row.name
      const { settings, issues } = input.settings
        ? validateSettings(row.kind, input.settings)
        : { settings: row.settings, issues: [] as FieldIssue[] }
      checkName(name, row.id, issues)
      const secrets = sealSecrets(row.kind, input.secrets ?? {}, row.secretNames, issues)
      if (issues.length) throw invalid(issues)
      repo.update({
        id: row.id,
        name,
        enabled: input.enabled ?? row.enabled,
        settings,
        secrets,
        now: deps.now().toISOString(),
      })
      audit.record(actor, 'channels.update', `channel:${row.id}`, {
        fields: Object.keys(input).filter((k) => k !== 'id' && k !== 'secrets'),
        // Which secrets changed, never their values.
        secretsChanged: Object.keys(secrets),
      })
      events.emit('channels:changed', { id: row.id, change: 'updated' })
      return this.get(row.id)
    },

    delete(id: number, actor: string): { id: number } {
      const row = repo.get(id)
      if (!row) throw notFound(`channel account ${id}`)
      if (!repo.delete(id))
        throw new CoreError('conflict', `channel account ${id} could not be deleted`)
      audit.record(actor, 'channels.delete', `channel:${id}`, { name: row.name, kind: row.kind })
      events.emit('channels:changed', { id, change: 'deleted' })
      return { id }
    },

    async test(id: number, actor: string): Promise<ConnectionCheck & { checkedAt: string }> {
      const row = repo.get(id)
      if (!row) throw notFound(`channel account ${id}`)
      const result = await testConnection(deps.adapters, row.kind, () => this.adapterConfig(row.id))
      const checkedAt = deps.now().toISOString()
      deps.health.recordCheck(id, checkedAt, result)
      audit.record(actor, 'channels.test', `channel:${id}`, {
        ok: result.ok,
        message: result.message,
      })
      events.emit('channels:changed', { id, change: 'updated' })
      return { ...result, checkedAt }
    },

    /** What an adapter needs to speak for this account (secrets decrypted here, used in memory only). */
    adapterConfig(id: number) {
      const row = repo.get(id)
      if (!row) throw notFound(`channel account ${id}`)
      return {
        accountId: row.id,
        name: row.name,
        settings: row.settings,
        secrets: this.secretsFor(row.id),
      }
    },

    /** Decrypted secrets of one account: only for building its adapter, never for the UI. */
    secretsFor(id: number): Record<string, string> {
      const sealed = repo.sealedSecrets(id)
      return Object.fromEntries(Object.entries(sealed).map(([k, v]) => [k, cipher.decrypt(v)]))
    },
  }
}

export type ChannelAccountsService = ReturnType<typeof createChannelAccountsService>
