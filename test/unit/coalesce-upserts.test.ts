// The upsert merge of src/workflows/coalesce-upserts.ts: one search-attribute
// and one memo command per workflow task, later values winning, in the place
// of the first of each kind; every other command untouched and in order.
import { describe, expect, it } from 'vitest';
import { coalesced, interceptors } from '../../src/workflows/coalesce-upserts';
import { PATCH } from '../../src/workflows/patches';

type Commands = Parameters<typeof coalesced>[0];
const sa = (fields: Record<string, string>) => ({
  upsertWorkflowSearchAttributes: { searchAttributes: { indexedFields: payloads(fields) } },
});
const memo = (fields: Record<string, string>) => ({ modifyWorkflowProperties: { upsertedMemo: { fields: payloads(fields) } } });
const payloads = (fields: Record<string, string>) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { data: new TextEncoder().encode(v) }]));
const timer = (seq: number) => ({ startTimer: { seq } });

describe('coalesced upserts', () => {
  it('merges search attributes and memo fields per task, later values winning, each where its first was', () => {
    const out = coalesced([
      sa({ HearkenStatus: 'responding' }),
      timer(1),
      memo({ summary: 'a' }),
      sa({ HearkenPolicy: 'billing', HearkenStatus: 'awaiting-decision' }),
      memo({ summary: 'b', escalation: 'e' }),
      timer(2),
    ] as Commands);
    expect(out.map((c) => Object.keys(c)[0])).toEqual([
      'upsertWorkflowSearchAttributes',
      'startTimer',
      'modifyWorkflowProperties',
      'startTimer',
    ]);
    const text = (p: unknown) => new TextDecoder().decode((p as { data: Uint8Array }).data);
    const saFields = out[0]!.upsertWorkflowSearchAttributes!.searchAttributes!.indexedFields!;
    expect(Object.fromEntries(Object.entries(saFields).map(([k, v]) => [k, text(v)]))).toEqual({
      HearkenStatus: 'awaiting-decision',
      HearkenPolicy: 'billing',
    });
    const memoFields = out[2]!.modifyWorkflowProperties!.upsertedMemo!.fields!;
    expect(Object.fromEntries(Object.entries(memoFields).map(([k, v]) => [k, text(v)]))).toEqual({ summary: 'b', escalation: 'e' });
  });

  it('merges only in a run that emitted the patch marker, from that task on', () => {
    const conclude = interceptors().internals![0]!.concludeActivation!;
    const pass = (input: { commands: Commands }) => input;
    const twice = [sa({ HearkenStatus: 'a' }), sa({ HearkenStatus: 'b' })] as Commands;
    expect(conclude({ commands: twice }, pass).commands).toHaveLength(2);
    const withMarker = [{ setPatchMarker: { patchId: PATCH.localAssessCoalescedUpserts } }, ...twice] as Commands;
    expect(conclude({ commands: withMarker }, pass).commands).toHaveLength(2);
    expect(conclude({ commands: twice }, pass).commands).toHaveLength(1);
  });
});
