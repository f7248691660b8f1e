import { resolve } from 'node:path'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import vue from '@vitejs/plugin-vue'
import type { RollupLog, LoggingFunction } from 'rollup'

// zod's sources carry comments Rollup cannot place; the warning is noise.
const onwarn = (warning: RollupLog, warn: LoggingFunction) => {
  if (warning.code !== 'INVALID_ANNOTATION') warn(warning)
}

// Three builds: main (the Electron shell and the `vedetta` CLI, both over the
// core, and the core's worker thread, which both start: see
// src/main/core/workers), the sandboxed preload (self-contained: a sandboxed
// preload cannot require packages), and the renderer.
export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli.ts'),
          // out/main/core-worker.js: found there by src/main/core/workers/worker-script.ts.
          'core-worker': resolve(__dirname, 'src/main/core/workers/core-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        onwarn,
        output: { format: 'cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    resolve: {
      alias: {
        '@renderer': resolve(__dirname, 'src/renderer/src'),
        '@shared': resolve(__dirname, 'src/shared'),
      },
    },
    plugins: [vue()],
    build: {
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html'), onwarn },
    },
  },
})
