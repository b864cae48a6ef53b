// Canned replies: every template of the pack in every language, rendered for
// one interaction, its own language first; a template that does not render
// is offered as written.
import { describe, expect, it } from 'vitest';
import { renderTemplates } from '../../src/api/routes/templates';
import type { InteractionState } from '../../src/workflows/definitions';

const pack = {
  policies: [{ id: 'billing', priority: 1, calendar: 'berlin', steps: [] }],
  calendars: { berlin: { id: 'berlin', timezone: 'Europe/Berlin', always: true, weekly: [], holidays: [] } },
  templates: {
    ack: {
      en: 'Hi {{author.name}}, answer by {{deadline.resolution}}.',
      de: 'Hallo {{author.name}}, Antwort bis {{deadline.resolution}}.',
    },
    broken: { en: 'Oops {{#author}' },
    'en-only': { en: 'Thanks {{author.handle}}' },
  },
} as never;

const state = (language: string): InteractionState =>
  ({
    interactionId: 'twitter:1',
    status: 'awaiting-decision',
    posts: [
      { channel: 'twitter', id: '1', author: { handle: 'jana', name: 'Jana' }, text: 'Rechnung?', createdAt: '2026-12-01T10:00:00Z' },
    ],
    triage: { language },
    policy: { id: 'billing', version: 'v', priority: 1 },
    deadlines: { resolution: '2026-12-01T12:00:00Z' },
    escalations: [],
  }) as unknown as InteractionState;

describe('canned replies', () => {
  it('renders each template in each of its languages, the interaction’s language first, deadlines in the calendar’s time zone', () => {
    const out = renderTemplates(pack, state('de'));
    expect(out.languages).toEqual(['de', 'en']);
    const ack = out.templates.filter((t) => t.id === 'ack');
    expect(ack.map((t) => t.language)).toEqual(['de', 'en']);
    expect(ack[0]!.text).toMatch(/^Hallo Jana, Antwort bis .*13:00/);
    expect(ack[1]!.text).toMatch(/^Hi Jana, answer by .*13:00/);
    expect(out.templates.find((t) => t.id === 'en-only')).toEqual({ id: 'en-only', language: 'en', text: 'Thanks @jana' });
    expect(out.templates.find((t) => t.id === 'broken')!.text).toBe('Oops {{#author}');
    expect(renderTemplates(pack, state('en')).languages).toEqual(['en', 'de']);
  });
});
