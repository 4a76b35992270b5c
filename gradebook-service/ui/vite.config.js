import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by gradebook-service under /gradebook/ (and by nginx in front of it).
// The Maven build runs `npm run build`; the output lands in the service's
// target/classes/static/gradebook so it ends up in the jar and is never committed.
export default defineConfig({
  base: '/gradebook/',
  plugins: [react()],
  build: {
    outDir: process.env.GRADEBOOK_UI_OUT || '../target/classes/static/gradebook',
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: true,
    target: 'es2022',
  },
  server: {
    // `npm run dev`: proxy the API to a locally running suite (nginx on 8080 by default).
    proxy: {
      '/api': process.env.GRADEBOOK_API || 'http://localhost:8080',
    },
  },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{js,jsx}'],
    setupFiles: ['test/setup.js'],
    testTimeout: 30000,
  },
});
