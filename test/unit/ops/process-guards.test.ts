import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/log/logger';
import { installProcessGuards, newReferenceId } from '../../../src/ops/process-guards';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

describe('process guards', () => {
  it('logs an unhandled rejection with a reference id and keeps serving (no stop, no exit)', () => {
    const proc = new EventEmitter();
    const { lines, logger } = capture();
    const stop = jest.fn(async () => undefined);
    const exit = jest.fn();
    installProcessGuards({ logger, stop, exit, proc: proc as never });
    proc.emit('unhandledRejection', new Error('background path forgot a catch'));
    expect(stop).not.toHaveBeenCalled();
    expect(exit).not.toHaveBeenCalled();
    expect(lines[0]).toMatchObject({ level: 'error', msg: expect.stringMatching(/still serving/) });
    expect(String(lines[0].ref)).toMatch(/^lk-[0-9a-f]{10}$/);
  });

  it('on an uncaught exception drains once, then exits 1', async () => {
    const proc = new EventEmitter();
    const { lines, logger } = capture();
    let release!: () => void;
    const stop = jest.fn(() => new Promise<void>((r) => (release = r)));
    const exited = new Promise<number>((r) => installProcessGuards({ logger, stop, exit: r, proc: proc as never }));
    proc.emit('uncaughtException', new Error('boom'));
    proc.emit('uncaughtException', new Error('boom again'));
    expect(stop).toHaveBeenCalledTimes(1);
    release();
    expect(await exited).toBe(1);
    expect(lines.filter((l) => l.level === 'fatal')).toHaveLength(2);
  });

  it('reference ids are short and distinct, across refills of the random pool', () => {
    const ids = Array.from({ length: 3000 }, newReferenceId); // the pool holds 819 ids: several refills
    expect(new Set(ids).size).toBe(3000);
    for (const id of ids) expect(id).toMatch(/^lk-[0-9a-f]{10}$/);
  });
});
