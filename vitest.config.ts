import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { resolve } from 'node:path'

// Files named `*.tz.test.ts` are about wall clocks: they run once per zone
// below, with the process's TZ set, so that Rome's times prove the same on a
// computer set to UTC or to New York as on one set to Rome.
const ZONES = ['UTC', 'America/New_York', 'Europe/Rome']
const TZ_TESTS = '**/*.tz.test.ts'
const zoneName = (zone: string) => zone.split('/').pop()!.toLowerCase()

// Two projects: the core and shared code run in plain Node against real files
// and loopback peers; components run in happy-dom. Each has a twin per zone
// for the wall-clock tests.
export default defineConfig({
  resolve: {
    alias: {
      '@shared': resolve(__dirname, 'src/shared'),
      '@renderer': resolve(__dirname, 'src/renderer/src'),
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'tests/unit/**/*.test.ts',
            'tests/integration/**/*.test.ts',
            'tests/crash/**/*.test.ts',
          ],
          exclude: [TZ_TESTS, '**/node_modules/**'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // Test rigs serve feeds and partners' pages on 127.0.0.1: every destination counts
          // as «rete interna» here; the outbound tests turn the address rule back on.
          env: { VEDETTA_INTERNAL_NETWORK: 'allow' },
        },
      },
      ...ZONES.map((zone) => ({
        extends: true as const,
        test: {
          name: `node@${zoneName(zone)}`,
          environment: 'node' as const,
          include: ['tests/unit/**/*.tz.test.ts'],
          env: { TZ: zone },
        },
      })),
      {
        extends: true,
        plugins: [vue()],
        test: {
          name: 'component',
          environment: 'happy-dom',
          include: ['tests/component/**/*.test.ts'],
          exclude: [TZ_TESTS, '**/node_modules/**'],
          env: { VEDETTA_INTERNAL_NETWORK: 'allow' },
        },
      },
      ...ZONES.map((zone) => ({
        extends: true as const,
        plugins: [vue()],
        test: {
          name: `component@${zoneName(zone)}`,
          environment: 'happy-dom' as const,
          include: ['tests/component/**/*.tz.test.ts'],
          env: { TZ: zone },
        },
      })),
    ],
  },
})
