import { ref } from 'vue'
import type { VedettaApi } from '@shared/contract'
import { apiFromBridge } from './envelope'
import { createWsBridge, type ConnectionState } from './ws-bridge'

/** Where the operator's name is remembered on this machine (see stores/session). */
export const OPERATOR_KEY = 'vedetta.operator'

/** Live state of the link to the core (always open in Electron). */
export const connection = ref<ConnectionState>('open')

function hostSocketUrl(): string {
  const params = new URLSearchParams(location.search)
  const token = params.get('token') ?? ''
  // `&drill=<id>`: this page is that drill's room (see src/main/host/drills-host.ts).
  const drill = params.get('drill')
  return `ws://${location.host}/ws?token=${encodeURIComponent(token)}${drill ? `&drill=${encodeURIComponent(drill)}` : ''}`
}

/**
 * The one object the UI talks to. In Electron it is the preload's bridge; in a
 * browser it is the loopback host's WebSocket. Components never know which.
 */
export const api: VedettaApi = apiFromBridge(
  window.vedetta ??
    createWsBridge(hostSocketUrl(), {
      onState: (s) => (connection.value = s),
      hello: () => {
        const operator = localStorage.getItem(OPERATOR_KEY)
        return operator ? { command: 'session:identify', payload: { operator } } : undefined
      },
    }),
)
