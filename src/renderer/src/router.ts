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
      ],
    },
    { path: '/esercitazioni', name: 'drills', component: () => import('./views/DrillsView.vue') },
  ],
})
