// The host side of MCP Apps, as a chat client runs it, in the test's browser page: the view in a sandboxed
// iframe, ext-apps' AppBridge over postMessage, and the view's tool calls and resource reads forwarded to the
// test (which calls our real MCP server with them). Bundled by the test with esbuild.
import { AppBridge, PostMessageTransport } from "@modelcontextprotocol/ext-apps/app-bridge";

declare global {
  interface Window {
    /** Set by the test (page.exposeFunction): forwards to the real server. */
    hostCallTool(name: string, args: unknown): Promise<unknown>;
    hostReadResource(uri: string): Promise<unknown>;
    /** Set here: hands the view a tool result, as the host does after the model's call. */
    sendToolResult(result: unknown): Promise<void>;
    sendToolInput(args: Record<string, unknown>): Promise<void>;
    downloads: unknown[];
    viewReady: boolean;
  }
}

window.downloads = [];
window.viewReady = false;
const iframe = document.getElementById("view") as HTMLIFrameElement;
const bridge = new AppBridge(
  null,
  { name: "test-host", version: "1.0.0" },
  { openLinks: {}, serverTools: {}, serverResources: {}, downloadFile: {}, logging: {} },
);
bridge.oncalltool = async (params) =>
  (await window.hostCallTool(params.name, params.arguments ?? {})) as never;
bridge.onreadresource = async (params) => (await window.hostReadResource(params.uri)) as never;
bridge.ondownloadfile = async (params) => {
  window.downloads.push(params);
  return {};
};
bridge.onopenlink = async () => ({});
bridge.oninitialized = () => {
  window.viewReady = true;
};
window.sendToolInput = (args) => bridge.sendToolInput({ arguments: args });
window.sendToolResult = (result: unknown) => bridge.sendToolResult(result as never);
// The view connects as soon as its script runs: listen before it loads.
await bridge.connect(new PostMessageTransport(iframe.contentWindow!, iframe.contentWindow!));
iframe.src = "/view.html";
