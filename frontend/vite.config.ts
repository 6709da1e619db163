import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig, type Plugin } from 'vitest/config';

// Every @lucide/svelte icon imports the package's Icon component as
// "../Icon.svelte"; this points that import at ours (LucideIcon.svelte says
// why), so the icons keep their names and data and draw cheaper.
function lucideIcon(): Plugin {
  const ours = decodeURIComponent(new URL('./src/components/ui/LucideIcon.svelte', import.meta.url).pathname);
  return {
    name: 'patchbay-lucide-icon',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === '../Icon.svelte' && importer && /[\\/]@lucide[\\/]svelte[\\/]dist[\\/]icons[\\/]/.test(importer)) return ours;
      return null;
    },
  };
}

export default defineConfig({
  plugins: [lucideIcon(), svelte(), svelteTesting()],
  build: {
    // Go embeds this folder (//go:embed all:frontend/dist). public/.gitkeep is
    // copied back in, so the committed placeholder survives emptyOutDir.
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
});
