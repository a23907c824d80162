export interface StdioFront {
  attach(onMessage: (message: unknown) => void, whenClosed: () => void): void;
  send(message: object): void;
  /** The client's first message, once it has come; undefined if stdin ended first. */
  first(): Promise<unknown>;
  readonly closed: boolean;
}
export const SERVER_INFO: { name: string; version: string };
export const CAPABILITIES: Record<string, unknown>;
export const INSTRUCTIONS: string;
export const PROTOCOL_VERSIONS: string[];
export function initializeResult(requested: unknown): {
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  serverInfo: { name: string; version: string };
  instructions: string;
};
export const MODERN_PROTOCOL_VERSIONS: string[];
export const DISCOVER_RESULT: Record<string, unknown>;
export function answersDiscover(message: unknown): boolean;
export function startStdioFront(input?: NodeJS.ReadableStream, output?: NodeJS.WritableStream): StdioFront;
export function takeStdioFront(): StdioFront | undefined;
