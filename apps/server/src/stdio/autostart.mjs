// Imported first by the CLI's entry (cli.ts, and the bin before tsx): for MCP on stdio (no command, or `mcp`) the
// front starts here, before the modules imported after this one are evaluated.
import { startStdioFront } from "./front.mjs";

const command = process.argv[2];
if (command === undefined || command === "mcp") startStdioFront();
