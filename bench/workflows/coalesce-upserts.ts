// Experiment only (bench --experiments): within one workflow activation,
// merges every search-attribute upsert into one command and every memo
// upsert into one, later values winning. Hearken's workflow upserts its
// status, policy and summary memo at each step it takes, often several times
// in one workflow task; each upsert is a history event and a visibility write
// on the server. Measures what batching them would save, without editing
// src/workflows.
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

type Command = Parameters<
  NonNullable<NonNullable<ReturnType<WorkflowInterceptorsFactory>['internals']>[number]['concludeActivation']>
>[0]['commands'][number];

export const interceptors: WorkflowInterceptorsFactory = () => ({
  internals: [
    {
      concludeActivation(input, next) {
        const out: Command[] = [];
        let sa: Command | null = null;
        let memo: Command | null = null;
        for (const c of input.commands) {
          const fields = c.upsertWorkflowSearchAttributes?.searchAttributes?.indexedFields;
          const memoFields = c.modifyWorkflowProperties?.upsertedMemo?.fields;
          if (fields) {
            if (sa) Object.assign(sa.upsertWorkflowSearchAttributes!.searchAttributes!.indexedFields!, fields);
            else out.push((sa = { upsertWorkflowSearchAttributes: { searchAttributes: { indexedFields: { ...fields } } } }));
          } else if (memoFields) {
            if (memo) Object.assign(memo.modifyWorkflowProperties!.upsertedMemo!.fields!, memoFields);
            else out.push((memo = { modifyWorkflowProperties: { upsertedMemo: { fields: { ...memoFields } } } }));
          } else out.push(c);
        }
        return next({ ...input, commands: out });
      },
    },
  ],
});
