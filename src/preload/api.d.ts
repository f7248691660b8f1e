import type { VedettaBridge } from '../shared/contract'

declare global {
  interface Window {
    /** Present only in the Electron window (see src/preload/index.ts). */
    vedetta?: VedettaBridge
  }
}

export {}
