import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { resyncPlugin } from './api/resync'
import { i18n } from './i18n'
import { router } from './router'
import './styles/main.css'

const pinia = createPinia().use(resyncPlugin)
createApp(App).use(pinia).use(i18n).use(router).mount('#app')
