import { defineConfig } from "vite";
import { viteSingleFile } from "vite-plugin-singlefile";

// One self-contained HTML file (scripts and styles inlined, nothing fetched from a CDN): MCP hosts render a
// ui:// resource in a sandboxed iframe whose CSP allows only the origins the resource declares.
export default defineConfig({
  plugins: [viteSingleFile()],
  build: { target: "es2022", sourcemap: false, outDir: "dist", emptyOutDir: true },
});
