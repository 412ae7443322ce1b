// Builds the widget and the example intranet page into dist/, which the FastAPI app serves at /.
import { defineConfig } from "vite";

export default defineConfig({
  // Preact's JSX through Vite's own transformer: no Babel plugin needed.
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
  },
});
