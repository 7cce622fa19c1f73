/**
 * Files written by worker threads while the main thread goes on rendering and
 * serialising the manifest: creating 10,000 compiled SQL files is a second or more
 * of system calls. Synchronous to callers: `finish()` blocks until every file is
 * written (Atomics.wait), then returns their stamps.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { FileStamp } from '../compile/compile-cache.js';

/** The worker, plain CommonJS so it runs the same from src/ (tests) and dist/. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { port } = workerData;
const done = new Int32Array(workerData.done);
const stamps = [];
let error;
function stamp(path, stats) { stamps.push(path, stats.size, stats.mtimeMs, stats.ino); }
port.on('message', (batch) => {
  if (batch === null) {
    port.postMessage({ stamps, error });
    port.close();
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
    return;
  }
  for (let i = 0; i < batch.length && !error; i += 3) {
    const path = batch[i], content = batch[i + 1], mayExist = batch[i + 2];
    try {
      if (mayExist) {
        let old;
        try { old = fs.readFileSync(path, 'utf8'); } catch {}
        if (old === content) { stamp(path, fs.statSync(path)); continue; }
      }
      const fd = fs.openSync(path, 'w');
      try { fs.writeFileSync(fd, content); stamp(path, fs.fstatSync(fd)); } finally { fs.closeSync(fd); }
    } catch (e) {
      error = { message: String(e && e.message), code: e && e.code, path };
    }
  }
});
`;

const BATCH_SIZE = 200;
/** Creating files in different folders runs in parallel in the kernel: 10,000 files took 1.6 s on one thread, 1.1 s on two here. */
const THREADS = 2;
/** A stuck or dead worker must not hang tspipe forever. */
const TIMEOUT_MS = 120_000;

interface Reply {
  stamps: (string | number)[];
  error?: { message: string; code?: string; path: string };
}

/** One writer thread. */
class Writer {
  readonly port: MessagePort;
  readonly done = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker: Worker;
  private batch: (string | boolean)[] = [];

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, done: this.done.buffer }, transferList: [port2] });
    this.worker.unref();
  }

  add(path: string, content: string, mayExist: boolean): void {
    this.batch.push(path, content, mayExist);
    if (this.batch.length >= BATCH_SIZE * 3) this.flush();
  }

  close(): void {
    this.flush();
    this.port.postMessage(null);
  }

  /** After close(): waits for the thread and returns what it reports. */
  reply(deadline: number): Reply | undefined {
    while (Atomics.load(this.done, 0) === 0 && Date.now() < deadline) Atomics.wait(this.done, 0, 0, 1_000);
    const reply = receiveMessageOnPort(this.port)?.message as Reply | undefined;
    this.port.close();
    void this.worker.terminate();
    return reply;
  }

  private flush(): void {
    if (!this.batch.length) return;
    this.port.postMessage(this.batch);
    this.batch = [];
  }
}

/** Files spread over a few writer threads, each folder always to the same thread. */
export class BackgroundWrites {
  private readonly writers: Writer[] = [];
  private readonly writerOfFolder = new Map<string, Writer>();

  /** `mayExist`: the file may already hold this content (then it is left alone). */
  add(folder: string, absolutePath: string, content: string, mayExist: boolean): void {
    let writer = this.writerOfFolder.get(folder);
    if (!writer) {
      const index = this.writerOfFolder.size % THREADS;
      writer = this.writers[index] ?? (this.writers[index] = new Writer());
      this.writerOfFolder.set(folder, writer);
    }
    writer.add(absolutePath, content, mayExist);
  }

  /** Waits for every write; returns each file's stamp by absolute path, or throws the first write error. */
  finish(): Map<string, FileStamp> {
    for (const writer of this.writers) writer.close();
    const deadline = Date.now() + TIMEOUT_MS;
    const replies = this.writers.map((writer) => writer.reply(deadline));
    const stamps = new Map<string, FileStamp>();
    for (const reply of replies) {
      if (!reply) throw new Error('writing compiled SQL files: a writer thread did not finish');
      if (reply.error) throw Object.assign(new Error(reply.error.message), { code: reply.error.code, path: reply.error.path });
      for (let i = 0; i < reply.stamps.length; i += 4) {
        const [path, size, mtimeMs, ino] = reply.stamps.slice(i, i + 4) as [string, number, number, number];
        stamps.set(path, { size, mtimeMs, ino });
      }
    }
    return stamps;
  }
}
