// docs/grafana/hearken-care.json is a contract with whoever imports it: every
// series it queries must be one Hearken exports (a metric renamed in src/
// would leave a panel silently empty), and each care metric has a panel.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dashboard = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs/grafana/hearken-care.json'), 'utf8')) as {
  uid: string;
  panels: Array<{ id: number; type: string; title: string; targets?: Array<{ expr: string }> }>;
};

/** Every `name: 'hearken_…'` a prom-client metric is declared with under src/. */
function declaredMetrics(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts')) for (const m of fs.readFileSync(file, 'utf8').matchAll(/name: '(hearken_\w+)'/gu)) names.add(m[1]!);
    }
  };
  walk(path.join(ROOT, 'src'));
  return names;
}

describe('the Grafana dashboard', () => {
  const queried = new Set(
    dashboard.panels
      .flatMap((p) => p.targets ?? [])
      .flatMap((t) => [...t.expr.matchAll(/\b(hearken_\w+?)(?:_bucket|_count|_sum)?\b/gu)].map((m) => m[1]!)),
  );

  it('queries only metrics Hearken declares', () => {
    const declared = declaredMetrics();
    const unknown = [...queried].filter((name) => !declared.has(name));
    expect(unknown).toEqual([]);
  });

  it('has a panel for each care metric', () => {
    for (const name of [
      'hearken_commitments_total',
      'hearken_first_reply_seconds',
      'hearken_escalation_decision_seconds',
      'hearken_escalations_open',
      'hearken_crises_open',
    ]) {
      expect(queried, name).toContain(name);
    }
  });

  it('is importable: a uid, unique panel ids, every query on the datasource variable', () => {
    expect(dashboard.uid).toBe('hearken-care');
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels.filter((x) => x.type !== 'row')) {
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      expect(JSON.stringify(p), p.title).toContain('"uid":"${datasource}"');
    }
  });
});
