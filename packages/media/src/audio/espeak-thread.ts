import { Worker } from "node:worker_threads";
import { GenerationAbortedError } from "../generator";

/** One sentence to speak; `text` is already SSML-escaped. */
export interface SentenceRequest {
  text: string;
  /** The eSpeak voice (and variant), such as "en-us+f3". */
  voice: string;
  rate: number;
  pitch: number;
}

export interface EspeakEvent {
  type: string;
  audio_position: number;
  text_position: number;
}

export interface SpokenSentence {
  samples: Int16Array;
  events: EspeakEvent[];
}

interface Task {
  request: SentenceRequest;
  signal: AbortSignal | undefined;
  resolve: (sentence: SpokenSentence) => void;
  reject: (error: unknown) => void;
  onAbort: () => void;
}

type Answer = { id: number; samples: Int16Array; events: EspeakEvent[] } | { id: number; error: string };

/**
 * eSpeak NG in a worker thread, one sentence at a time. The thread owns the engine (and freezes its own clock
 * while it starts; the main thread's is never touched), starts on first use, is reused, and does not keep the
 * process alive while idle. A sentence aborted while it is spoken ends the thread (synchronous WebAssembly has no
 * other way to stop); the next sentence starts a fresh one, which speaks exactly as the old one did.
 */
export class EspeakThread {
  private worker: Worker | undefined;
  private current: { id: number; task: Task } | undefined;
  private readonly queue: Task[] = [];
  private stopping: Promise<unknown> | undefined;
  private nextId = 0;

  constructor(
    private readonly voices: string[],
    private readonly entry = new URL("./espeak-worker.mjs", import.meta.url),
  ) {}

  speak(request: SentenceRequest, signal?: AbortSignal): Promise<SpokenSentence> {
    if (signal?.aborted) return Promise.reject(GenerationAbortedError.from(signal));
    return new Promise((resolve, reject) => {
      const task: Task = { request, signal, resolve, reject, onAbort: () => this.abort(task) };
      signal?.addEventListener("abort", task.onAbort, { once: true });
      this.queue.push(task);
      this.pump();
    });
  }

  /** The thread's id while it runs; for tests. */
  get threadId(): number | undefined {
    return this.worker?.threadId;
  }

  private pump(): void {
    if (this.current || this.stopping) return;
    const task = this.queue.shift();
    if (!task) {
      this.worker?.unref();
      return;
    }
    this.worker ??= this.start();
    // Held open while it works: a caller awaiting speech with nothing else to do must not see the process exit.
    this.worker.ref();
    this.current = { id: ++this.nextId, task };
    this.worker.postMessage({ id: this.current.id, ...task.request });
  }

  private start(): Worker {
    const worker = new Worker(this.entry, { workerData: { voices: this.voices } });
    worker.on("message", (answer: Answer) => this.answered(worker, answer));
    worker.on("error", (error) => this.died(worker, error));
    worker.on("exit", (code) => this.died(worker, new Error(`eSpeak's thread stopped (exit code ${code}).`)));
    return worker;
  }

  private answered(worker: Worker, answer: Answer): void {
    if (worker !== this.worker || this.current?.id !== answer.id) return;
    const { task } = this.current;
    this.current = undefined;
    settle(task);
    if ("error" in answer) task.reject(new Error(answer.error));
    else task.resolve({ samples: answer.samples, events: answer.events });
    this.pump();
  }

  private died(worker: Worker, error: Error): void {
    if (worker !== this.worker) return; // ended on purpose, or already reported
    this.worker = undefined;
    const current = this.current;
    this.current = undefined;
    if (current) {
      settle(current.task);
      current.task.reject(error);
    }
    this.pump();
  }

  private abort(task: Task): void {
    const waiting = this.queue.indexOf(task);
    if (waiting >= 0) {
      this.queue.splice(waiting, 1);
      task.reject(GenerationAbortedError.from(task.signal!));
      return;
    }
    if (this.current?.task !== task || !this.worker) return;
    const worker = this.worker;
    this.worker = undefined;
    this.current = undefined;
    // Settles only once the thread has ended, so nothing of the job still runs.
    const ended = () => {
      this.stopping = undefined;
      task.reject(GenerationAbortedError.from(task.signal!));
      this.pump();
    };
    this.stopping = worker.terminate().then(ended, ended);
  }
}

function settle(task: Task): void {
  task.signal?.removeEventListener("abort", task.onAbort);
}
