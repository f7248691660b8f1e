import { defineAsyncComponent, type Component } from 'vue'
import type { PanelKind } from '@shared/room/layout'

export interface PanelDefinition {
  kind: PanelKind
  /** i18n key of the panel's title. */
  title: string
  component: Component
}

/** Every kind of panel the room can show. Adding a kind of panel touches only this list. */
export const PANELS: Record<PanelKind, PanelDefinition> = {
  stato: {
    kind: 'stato',
    title: 'room.panels.stato',
    component: defineAsyncComponent(() => import('./panels/StatusPanel.vue')),
  },
  bollettini: {
    kind: 'bollettini',
    title: 'room.panels.bollettini',
    component: defineAsyncComponent(() => import('./panels/BulletinsPanel.vue')),
  },
  cittadini: {
    kind: 'cittadini',
    title: 'room.panels.cittadini',
    component: defineAsyncComponent(() => import('./panels/CitizensPanel.vue')),
  },
  partner: {
    kind: 'partner',
    title: 'room.panels.partner',
    component: defineAsyncComponent(() => import('./panels/PartnersPanel.vue')),
  },
  consegne: {
    kind: 'consegne',
    title: 'room.panels.consegne',
    component: defineAsyncComponent(() => import('./panels/DeliveriesPanel.vue')),
  },
  diario: {
    kind: 'diario',
    title: 'room.panels.diario',
    component: defineAsyncComponent(() => import('./panels/JournalPanel.vue')),
  },
}
