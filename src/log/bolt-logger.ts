import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

/**
 * Routes Bolt's and WebClient's logging through pino (slack-platform.md §2.5), at the level LOG_LEVEL sets.
 * setLevel() calls from changing the parent's level.
 */
export function boltLogger(base: Logger): BoltLogger {
  const log = base.child({ component: 'bolt' });
  const emit =
    (lvl: 'debug' | 'info' | 'warn' | 'error') =>
    (...msgs: unknown[]) => {
      const err = msgs.find((m): m is Error => m instanceof Error);
      const text = msgs
        .filter((m) => m !== err)
        .map((m) => (typeof m === 'string' ? m : safeJson(m)))
        .join(' ');
      if (err) log[lvl]({ err }, text || err.message);
      else log[lvl](text);
    };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    // LOG_LEVEL decides, not Bolt: its constructor calls setLevel(INFO) whenever levels differ (slack-platform.md §2.5).
    setLevel: (_l: LogLevel) => undefined,
    getLevel: () => (['debug', 'info', 'warn', 'error'].includes(log.level) ? log.level : LogLevel.ERROR) as LogLevel,
    setName: () => undefined,
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
