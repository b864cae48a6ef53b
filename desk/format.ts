// Times as the desk shows them: countdowns and local dates.
import { lang } from './i18n';

/** "4:05", "1:02:03" or "-0:12" for overdue. */
export function countdown(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let s = Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(s / 3600);
  s -= hours * 3600;
  const minutes = Math.floor(s / 60);
  const seconds = s - minutes * 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${sign}${hours}:${pad(minutes)}:${pad(seconds)}` : `${sign}${minutes}:${pad(seconds)}`;
}

/** due-soon: in the last quarter of the time to decide, at most the last 5 minutes. */
export function urgency(deadline: string, openedAt?: string, now = Date.now()): 'breached' | 'due-soon' | 'ok' {
  const left = Date.parse(deadline) - now;
  if (left <= 0) return 'breached';
  const total = openedAt ? Date.parse(deadline) - Date.parse(openedAt) : Infinity;
  return left <= Math.min(5 * 60_000, total / 4) ? 'due-soon' : 'ok';
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(lang() === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' });
}

export function time(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString(lang() === 'de' ? 'de-DE' : 'en-GB');
}
