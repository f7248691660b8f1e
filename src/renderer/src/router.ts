import { createRouter, createWebHashHistory } from 'vue-router'

// Hash history: works the same from file:// in Electron and from the loopback host.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/sala' },
    { path: '/sala', name: 'room', component: () => import('./views/RoomView.vue') },
    {
      path: '/consegne',
      name: 'deliveries',
      component: () => import('./views/DeliveriesView.vue'),
    },
    { path: '/feed', name: 'feeds', component: () => import('./views/FeedsView.vue') },
    {
      path: '/configurazione',
      component: () => import('./views/ConfigView.vue'),
      children: [
        { path: '', redirect: '/configurazione/canali' },
        {
          path: 'ente',
          name: 'config-ente',
          component: () => import('./components/settings/SettingsEnteScreen.vue'),
        },
        {
          path: 'canali',
          name: 'config-channels',
          component: () => import('./components/channels/ChannelsScreen.vue'),
        },
        {
          path: 'fonti',
          name: 'config-feeds',
          component: () => import('./components/feeds/FeedSourcesScreen.vue'),
        },
        {
          path: 'modelli',
          name: 'config-templates',
          component: () => import('./components/templates/TemplatesScreen.vue'),
        },
        {
          path: 'contatti',
          name: 'config-contacts',
          component: () => import('./components/contacts/ContactsScreen.vue'),
        },
        {
          path: 'liste',
          name: 'config-lists',
          component: () => import('./components/lists/ListsScreen.vue'),
        },
        {
          path: 'partner',
          name: 'config-partners',
          component: () => import('./components/partners/PartnersScreen.vue'),
        },
        {
          path: 'comuni',
          name: 'config-comuni',
          component: () => import('./components/comuni/ComuniScreen.vue'),
        },
        {
          path: 'reperibilita',
          name: 'config-oncall',
          component: () => import('./components/oncall/OncallScreen.vue'),
        },
      ],
    },
    {
      path: '/allerta/nuova',
      name: 'alert-new',
      component: () => import('./components/alerts/AlertForm.vue'),
      props: (route) => ({
        bulletinId: route.query.bollettino ? Number(route.query.bollettino) : undefined,
        bulletinGroup: route.query.gruppo ? Number(route.query.gruppo) : undefined,
      }),
    },
    {
      path: '/allerta/:id(\\d+)',
      name: 'alert',
      component: () => import('./components/alerts/AlertPage.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
    },
    { path: '/esercitazioni', name: 'drills', component: () => import('./views/DrillsView.vue') },
  ],
})
