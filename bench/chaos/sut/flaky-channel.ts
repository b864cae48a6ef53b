// A channel that fails a share of publishes, the way a platform API does: half
// of the failures before anything went out (the request never arrived), half
// *after* the reply was published (the answer was lost on the way back, so the
// caller cannot tell it went out). The retry of the second kind must find the
// published reply by its idempotency key, or the customer reads it twice.
import type { ChannelAdapter, OutgoingReply, PublishedReply } from '../../../src/channels/channel';

export interface InjectedFault {
  key: string;
  interactionId: string;
  /** before: nothing was published; after: published, then the answer was lost. */
  when: 'before' | 'after';
  at: number;
}

export class FlakyChannel implements ChannelAdapter {
  readonly name: string;
  /** Share of publish calls that fail, 0..1; changed at run time by the chaos parent. */
  failRate: number;

  constructor(
    private readonly inner: ChannelAdapter,
    opts: { failRate?: number; random?: () => number; onFault?: (f: InjectedFault) => void } = {},
  ) {
    this.name = inner.name;
    this.failRate = opts.failRate ?? 0;
    this.random = opts.random ?? Math.random;
    this.onFault = opts.onFault ?? (() => undefined);
  }

  private readonly random: () => number;
  private readonly onFault: (f: InjectedFault) => void;

  async publish(reply: OutgoingReply): Promise<{ reply: PublishedReply; duplicate: boolean }> {
    const r = this.failRate > 0 ? this.random() : 1;
    const fault = (when: InjectedFault['when']): void =>
      this.onFault({ key: reply.idempotencyKey, interactionId: reply.interactionId, when, at: Date.now() });
    if (r < this.failRate / 2) {
      fault('before');
      throw new Error('chaos: the channel is unavailable (nothing was published)');
    }
    const out = await this.inner.publish(reply);
    if (r < this.failRate) {
      fault('after');
      throw new Error('chaos: the channel published the reply, but its answer was lost');
    }
    return out;
  }
}
