// Vite build of the browser pages: the operator console (index.html, served
// at /) and the overflow staff's phone page (mobile/index.html, served at
// /m/). `npm run ui:dev` proxies the API and socket.io to a running server.
import { defineConfig } from 'vite';

const root = new URL('.', import.meta.url).pathname;
const backend = process.env.PULT_UI_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        console: `${root}index.html`,
        mobile: `${root}mobile/index.html`,
        wallboard: `${root}wallboard/index.html`,
        zones: `${root}zones/index.html`,
        categories: `${root}categories/index.html`,
        documents: `${root}documents/index.html`,
        directory: `${root}directory/index.html`,
        executor: `${root}x/index.html`,
        reports: `${root}reports/index.html`,
        admin: `${root}admin/index.html`,
        residentForm: `${root}r/index.html`,
        residentStatus: `${root}s/index.html`,
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/socket.io': { target: backend, ws: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/socket.io': { target: backend, ws: true },
    },
  },
});
