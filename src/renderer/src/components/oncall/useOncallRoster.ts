import { onMounted, onUnmounted, ref } from 'vue'
import type { ChannelAccountView } from '@shared/contract'
import type { EscalationView, OnCallNow, OncallRoster } from '@shared/contract/oncall'
import { api } from '../../api'

/**
 * The roster as the core holds it, for Configurazione → Reperibilità: read on mount,
 * read again whenever it changes (from this window or another), with who is on call now,
 * the recent escalations and the channel accounts the bot and SMS can be chosen among.
 */
export function useOncallRoster() {
  const roster = ref<OncallRoster | undefined>()
  const now = ref<OnCallNow | undefined>()
  const escalations = ref<EscalationView[]>([])
  const accounts = ref<ChannelAccountView[]>([])
  const failure = ref('')

  async function load(): Promise<void> {
    try {
      const [r, n, e, a] = await Promise.all([
        api['oncall:roster']({}),
        api['oncall:now']({}),
        api['oncall:escalations']({ limit: 10 }),
        api['channels:list']({}),
      ])
      roster.value = r
      now.value = n
      escalations.value = e
      accounts.value = a
      failure.value = ''
    } catch (err) {
      failure.value = err instanceof Error ? err.message : String(err)
    }
  }

  const offs: (() => void)[] = []
  onMounted(() => {
    offs.push(api.on('oncall:changed', () => void load()))
    offs.push(api.on('oncall:escalation', () => void load()))
    void load()
  })
  onUnmounted(() => offs.splice(0).forEach((off) => off()))

  const personName = (id: number) => roster.value?.people.find((p) => p.id === id)?.name ?? `#${id}`

  return { roster, now, escalations, accounts, failure, load, personName }
}

export type OncallRosterState = ReturnType<typeof useOncallRoster>
