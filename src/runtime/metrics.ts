// Prometheus metrics, one registry per process. In `npm start` the worker and
// the API share the process, so the API's GET /metrics shows both; a process
// that runs the worker alone serves them on its own port
// (src/runtime/metrics-server.ts, README "Metrics").
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** How long a scrape waits for the crisis gauge's read (of the probe's 2 s deadline). */
const CRISIS_SCRAPE_MS = 1_500;

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'hearken_process_' });

export const metrics = {
  httpRequests: new Histogram({
    name: 'hearken_http_request_duration_seconds',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  }),
  postsCaptured: new Counter({
    name: 'hearken_posts_captured_total',
    help: 'Posts accepted by POST /v1/posts, by channel and whether they were duplicates',
    labelNames: ['channel', 'duplicate'] as const,
    registers: [registry],
  }),
  decisions: new Counter({
    name: 'hearken_decisions_total',
    help: 'Escalation decisions accepted, by decision',
    labelNames: ['decision'] as const,
    registers: [registry],
  }),
  assessments: new Histogram({
    name: 'hearken_assess_duration_seconds',
    help: 'Triage + policy selection + plan per post, by selected policy',
    labelNames: ['policy'] as const,
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05],
    registers: [registry],
  }),
  repliesPublished: new Counter({
    name: 'hearken_replies_published_total',
    help: 'Replies handed to the channel adapter, by channel and whether the key had been published before (a retry)',
    labelNames: ['channel', 'duplicate'] as const,
    registers: [registry],
  }),
  channelPosts: new Counter({
    name: 'hearken_channel_posts_total',
    help: 'Posts heard by the listeners of connected accounts, by account and outcome (captured, duplicates, echoes, brandReplies, untracked)',
    labelNames: ['account', 'outcome'] as const,
    registers: [registry],
  }),
  notifications: new Counter({
    name: 'hearken_notifications_total',
    help: 'Team notifications sent, by team, kind and transport',
    labelNames: ['team', 'kind', 'via'] as const,
    registers: [registry],
  }),
  // Care metrics: reported by the interaction workflow through a sink
  // (src/runtime/care-metrics-sinks.ts), so by the worker that ran it.
  commitments: new Counter({
    name: 'hearken_commitments_total',
    help: 'Response-time commitments settled, by policy, commitment (firstResponse, nextResponse, periodicUpdate, resolution) and outcome (met in time, breached)',
    labelNames: ['policy', 'commitment', 'outcome'] as const,
    registers: [registry],
  }),
  firstReply: new Histogram({
    name: 'hearken_first_reply_seconds',
    help: "From a post's capture (its arrival in a new interaction) to the interaction's first public reply, by policy and channel",
    labelNames: ['policy', 'channel'] as const,
    // An automatic interim reply takes well under a second; a person's answer minutes to hours.
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 900, 1800, 3600, 4 * 3600, 24 * 3600],
    registers: [registry],
  }),
  escalationDecision: new Histogram({
    name: 'hearken_escalation_decision_seconds',
    help: 'From an escalation opening to its decision (approve, reject, reassign) or its timeout (timed-out), by policy, team and decision',
    labelNames: ['policy', 'team', 'decision'] as const,
    buckets: [10, 30, 60, 300, 900, 1800, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 24 * 3600, 3 * 24 * 3600],
    registers: [registry],
  }),
  notificationFailures: new Counter({
    name: 'hearken_notification_failures_total',
    help: 'Team webhooks given up after their attempts (the notification went to notifications.jsonl instead), by team and kind',
    labelNames: ['team', 'kind'] as const,
    registers: [registry],
  }),
  crisesOpen: new Gauge({
    name: 'hearken_crises_open',
    help: "The brand's crisis in force (1) by status, open or acknowledged; 0 when none (read from the pulse at scrape time)",
    labelNames: ['brand', 'status'] as const,
    registers: [registry],
    async collect() {
      // A scrape answers within the probe deadline (1.5 s here, of its 2 s): the
      // crisis read has a longer deadline of its own (it also serves assessments),
      // so a frozen Temporal must not hold the scrape; the last values stay.
      const source = crisisGaugeSource?.(this);
      if (source) await Promise.race([source, new Promise((resolve) => setTimeout(resolve, CRISIS_SCRAPE_MS).unref())]);
    },
  }),
};

type CrisisGauge = Gauge<'brand' | 'status'>;
let crisisGaugeSource: ((gauge: CrisisGauge) => Promise<void>) | null = null;

/** Set by the service: how this process learns the crisis in force (src/runtime/service.ts); null: the gauge stays empty. */
export function setCrisisGaugeSource(source: ((gauge: CrisisGauge) => Promise<void>) | null): void {
  crisisGaugeSource = source;
}
