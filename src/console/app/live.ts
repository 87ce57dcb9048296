import { ApiError, SignedOut } from './api.js';
import { URGENT_MS } from './ui.js';

export interface Poller {
  /** Refreshes now (after an action), then keeps the rhythm. */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Runs `load` now and then every `everyMs` after the previous run finished (never two at once),
 * so the page follows changes without a reload. Stops for good when the session ends.
 */
export function poll(load: () => Promise<void>, everyMs: number, onError: (e: ApiError) => void): Poller {
  let timer: number | undefined;
  let stopped = false;
  let running: Promise<void> | undefined;
  const run = async (): Promise<void> => {
    window.clearTimeout(timer);
    try {
      await load();
      setStatus(`Live: updated ${new Date().toLocaleTimeString()}`);
    } catch (err) {
      if (err instanceof SignedOut) {
        stopped = true;
        return;
      }
      const e = err instanceof ApiError ? err : new ApiError(0, String(err));
      setStatus(`Not updated: ${e.message}`);
      onError(e);
    }
    if (!stopped) timer = window.setTimeout(() => void (running = run()), everyMs);
  };
  running = run();
  return {
    refresh: async () => {
      await running;
      if (!stopped) await (running = run());
    },
    stop: () => {
      stopped = true;
      window.clearTimeout(timer);
    },
  };
}

function setStatus(text: string): void {
  const el = document.getElementById('live-status');
  if (el) el.textContent = text;
}

/** Every `.countdown[data-deadline]` shows the time left, every `.age[data-since]` the time since, each second. */
export function tickCountdowns(format: (ms: number) => string): void {
  const now = Date.now();
  for (const el of document.querySelectorAll<HTMLElement>('.countdown[data-deadline]')) {
    const left = Date.parse(el.dataset.deadline ?? '') - now;
    if (Number.isNaN(left)) continue;
    el.textContent = left > 0 ? `${format(left)} left` : `passed ${format(-left)} ago`;
    el.classList.toggle('urgent', left > 0 && left < URGENT_MS);
    el.classList.toggle('passed', left <= 0);
  }
  for (const el of document.querySelectorAll<HTMLElement>('.age[data-since]')) {
    const since = Date.parse(el.dataset.since ?? '');
    if (!Number.isNaN(since)) el.textContent = format(now - since);
  }
}
