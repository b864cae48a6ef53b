// Types and JSON Schemas say the same thing. Two halves:
//  - at run time: the committed generated files are what the schemas
//    generate today (a schema changed without regenerating fails here);
//  - at compile time (`npm run typecheck`; vitest does not type-check): the
//    hand-written types and the generated ones are assignable both ways, so
//    a field added, dropped or retyped on one side only breaks the build.
// The pack types in src/policy/types.ts stay hand-written rather than
// generated: they are the engine's vocabulary (a step is a discriminated
// union the planner narrows on, a condition takes any fact the engine can
// read, doc comments say why), which generated code says less well. Checking
// them against the generated witness keeps that and still catches drift.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type * as Hand from '../../src/policy/types';
import type { Post } from '../../src/shared/post';
import type { Triage } from '../../src/shared/triage';
import type * as Workflow from '../../src/workflows/definitions';
import type * as Api from '../../src/api/types.generated';
import { GENERATED, generateSchemaTypes } from '../../scripts/generate-schema-types';
import type * as Schema from '../types/policy-schemas.generated';

describe('types generated from the JSON Schemas', () => {
  it('are committed as the schemas generate them today', async () => {
    const generated = await generateSchemaTypes();
    expect([...generated.keys()].sort()).toEqual(Object.values(GENERATED).sort());
    for (const [file, text] of generated) {
      expect(readFileSync(file, 'utf8'), `${file} is stale: node --import tsx scripts/generate-schema-types.ts`).toBe(text);
    }
  });
});

// ---------------------------------------------------------------------------
// Compile-time checks. `Assignable<To, From>` compiles only when From is
// assignable to To; tsc then names the property that is not.

type Assignable<To, From extends To> = From;

/**
 * Assignability lets an optional key exist on one side only, so the object
 * types also list the same keys (of every member, for a union); tsc shows
 * the keys that differ.
 */
type KeysOf<T> = T extends unknown ? keyof T : never;
type SameKeys<A, B> = [Exclude<KeysOf<A>, KeysOf<B>>, Exclude<KeysOf<B>, KeysOf<A>>] extends [never, never]
  ? true
  : { onlyInFirst: Exclude<KeysOf<A>, KeysOf<B>>; onlyInSecond: Exclude<KeysOf<B>, KeysOf<A>> };
type Holds<T extends true> = T;

/**
 * Interfaces, unlike object type literals, never fit an index signature
 * (TypeScript #15300). The generated types are interfaces; the hand-written
 * Condition has an index signature. Plain<T> is T as literals all the way down.
 */
type Plain<T> = T extends readonly (infer U)[] ? Plain<U>[] : T extends object ? { [K in keyof T]: Plain<T[K]> } : T;

type SchemaEscalate = Extract<Schema.Step, { escalate: unknown }>['escalate'];
type SchemaTeam = NonNullable<Schema.HearkenTeams['teams'][string]>;
/** The body of each kind of step, by kind. */
type StepBody<S, K extends string> = S extends Record<K, infer B> ? B : never;
type HandStepBody<K extends string> = StepBody<Hand.StepSpec, K>;
type SchemaStepBody<K extends string> = StepBody<Schema.Step, K>;
type HandMatcherObject = Exclude<Hand.FieldMatcher, Hand.Scalar | Hand.Scalar[]>;

// The pack files: src/policy/types.ts ⇄ test/types/policy-schemas.generated.ts.
export type PackTypesAgree = [
  Assignable<Schema.HearkenResponsePolicy, Hand.PolicySpec>,
  Assignable<Hand.PolicySpec, Plain<Schema.HearkenResponsePolicy>>,
  Assignable<Schema.Step, Hand.StepSpec>,
  Assignable<Hand.StepSpec, Plain<Schema.Step>>,
  Assignable<SchemaEscalate, Hand.EscalateSpec>,
  Assignable<Hand.EscalateSpec, Plain<SchemaEscalate>>,
  Assignable<NonNullable<Schema.HearkenResponsePolicy['commitments']>, Hand.CommitmentsSpec>,
  Assignable<Hand.CommitmentsSpec, Plain<NonNullable<Schema.HearkenResponsePolicy['commitments']>>>,
  // The engine reads any fact by name; the schema lists the ones a pack may use. So every
  // schema condition is an engine condition, and the engine's matchers are the schema's.
  Assignable<Hand.Condition, Plain<Schema.Condition>>,
  Assignable<Schema.Matcher, Hand.FieldMatcher>,
  Assignable<Hand.FieldMatcher, Plain<Schema.Matcher>>,
  Assignable<Schema.Scalar, Hand.Scalar>,
  Assignable<Hand.Scalar, Schema.Scalar>,
  Assignable<SchemaTeam, Hand.TeamSpec>,
  Assignable<Hand.TeamSpec, Plain<SchemaTeam>>,
  Assignable<Schema.HearkenAccounts['accounts'][number], Hand.AccountSpec>,
  Assignable<Hand.AccountSpec, Plain<Schema.HearkenAccounts['accounts'][number]>>,
  Assignable<NonNullable<Schema.HearkenAccounts['brand']>, Hand.BrandSpec>,
  Assignable<Hand.BrandSpec, Plain<NonNullable<Schema.HearkenAccounts['brand']>>>,
  Assignable<Schema.ListeningTerms, Hand.ListeningTerms>,
  Assignable<Hand.ListeningTerms, Plain<Schema.ListeningTerms>>,
  Assignable<Schema.Calendar, Hand.CalendarSpec>,
  Assignable<Hand.CalendarSpec, Plain<Schema.Calendar>>,
  Assignable<Schema.HearkenReplyTemplates['templates'], Hand.PolicyPack['templates']>,
  Assignable<Hand.PolicyPack['templates'], Plain<Schema.HearkenReplyTemplates['templates']>>,
];

// Hand.Condition is left out on purpose: its keys are open (any fact), see above.
export type PackKeysAgree = [
  Holds<SameKeys<Hand.PolicySpec, Schema.HearkenResponsePolicy>>,
  Holds<SameKeys<Hand.CommitmentsSpec, NonNullable<Schema.HearkenResponsePolicy['commitments']>>>,
  Holds<SameKeys<Hand.StepSpec, Schema.Step>>,
  Holds<SameKeys<HandStepBody<'ignore'>, SchemaStepBody<'ignore'>>>,
  Holds<SameKeys<HandStepBody<'interimReply'>, SchemaStepBody<'interimReply'>>>,
  Holds<SameKeys<HandStepBody<'reply'>, SchemaStepBody<'reply'>>>,
  Holds<SameKeys<HandStepBody<'escalate'>, SchemaStepBody<'escalate'>>>,
  Holds<SameKeys<HandStepBody<'followUp'>, SchemaStepBody<'followUp'>>>,
  Holds<SameKeys<HandStepBody<'notify'>, SchemaStepBody<'notify'>>>,
  Holds<SameKeys<HandMatcherObject, Schema.MatcherObject>>,
  Holds<SameKeys<Hand.TeamSpec, SchemaTeam>>,
  Holds<SameKeys<NonNullable<Hand.TeamSpec['notify']>, NonNullable<SchemaTeam['notify']>>>,
  Holds<SameKeys<Hand.AccountSpec, Schema.HearkenAccounts['accounts'][number]>>,
  Holds<SameKeys<Hand.BrandSpec, NonNullable<Schema.HearkenAccounts['brand']>>>,
  Holds<SameKeys<Hand.ListeningTerms, Schema.ListeningTerms>>,
  Holds<SameKeys<Hand.CalendarSpec, Schema.Calendar>>,
  Holds<SameKeys<Exclude<Hand.CalendarSpec['hours'], string>, Exclude<Schema.Calendar['hours'], string>>>,
];

// The API's components ⇄ the types the workflow, triage and capture share. The handlers
// already check one way (they send what the components allow); this checks the other too,
// so the document does not promise what the domain does not have.
type DecisionBody = Omit<Workflow.DecisionInput, 'decider' | 'forTeam'>;
type ApiDecisionResult = Workflow.DecisionResult & { interactionId: string };

export type ApiTypesAgree = [
  Assignable<Api.InteractionStatus, Workflow.InteractionStatus>,
  Assignable<Workflow.InteractionStatus, Api.InteractionStatus>,
  Assignable<Api.Triage, Triage>,
  Assignable<Triage, Plain<Api.Triage>>,
  Assignable<Api.StepRecord, Workflow.StepRecord>,
  Assignable<Workflow.StepRecord, Plain<Api.StepRecord>>,
  Assignable<Api.CommitmentRecord, Workflow.CommitmentRecord>,
  Assignable<Workflow.CommitmentRecord, Plain<Api.CommitmentRecord>>,
  Assignable<Api.ReplyRecord, Workflow.ReplyRecord>,
  Assignable<Workflow.ReplyRecord, Plain<Api.ReplyRecord>>,
  Assignable<Api.EscalationRecord, Workflow.EscalationRecord>,
  Assignable<Workflow.EscalationRecord, Plain<Api.EscalationRecord>>,
  Assignable<Api.InteractionSummary, Workflow.InteractionSummary>,
  Assignable<Workflow.InteractionSummary, Plain<Api.InteractionSummary>>,
  Assignable<Api.AddPostResult, Workflow.AddPostResult>,
  Assignable<Workflow.AddPostResult, Plain<Api.AddPostResult>>,
  Assignable<Api.DecisionResult, ApiDecisionResult>,
  Assignable<ApiDecisionResult, Plain<Api.DecisionResult>>,
  Assignable<Api.Post, Post>,
  Assignable<Post, Plain<Api.Post>>,
  Assignable<Api.Decision, DecisionBody>,
  Assignable<DecisionBody, Plain<Api.Decision>>,
];

export type ApiKeysAgree = [
  Holds<SameKeys<Triage, Api.Triage>>,
  Holds<SameKeys<Workflow.StepRecord, Api.StepRecord>>,
  Holds<SameKeys<Workflow.CommitmentRecord, Api.CommitmentRecord>>,
  Holds<SameKeys<Workflow.ReplyRecord, Api.ReplyRecord>>,
  Holds<SameKeys<Workflow.EscalationRecord, Api.EscalationRecord>>,
  Holds<SameKeys<Workflow.InteractionSummary, Api.InteractionSummary>>,
  Holds<SameKeys<Workflow.AddPostResult, Api.AddPostResult>>,
  Holds<SameKeys<ApiDecisionResult, Api.DecisionResult>>,
  Holds<SameKeys<Post, Api.Post>>,
  Holds<SameKeys<Post['author'], Api.Author>>,
  Holds<SameKeys<DecisionBody, Api.Decision>>,
];
