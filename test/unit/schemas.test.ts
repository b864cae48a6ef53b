import { describe, expect, it } from 'vitest';
import { collapseAjvErrors, describeAjvError, schemaMessages, validatorFor } from '../../src/policy/pack/schemas';

const goodPost = {
  channel: 'twitter',
  id: '2',
  threadId: '1',
  inReplyTo: '1',
  inReplyToAuthor: 'sprintcare',
  direct: false,
  author: { id: '115712', handle: 'jane', name: 'Jane', followers: 120 },
  text: '@sprintcare and how do you propose we do that',
  language: 'en',
  createdAt: '2017-10-31T22:11:45Z',
  url: 'https://example.invalid/status/2',
};

describe('the post schema', () => {
  it('accepts the DESIGN.md example', () => {
    expect(schemaMessages('post', goodPost)).toEqual([]);
  });

  it('names each missing or wrong field', () => {
    const { id: _id, ...noId } = goodPost;
    expect(schemaMessages('post', noId)).toEqual(['missing required property "id"']);
    expect(schemaMessages('post', { ...goodPost, author: { name: 'Jane' } })).toEqual([
      'author: missing required property "id" or "handle"',
    ]);
    expect(schemaMessages('post', { ...goodPost, author: { handle: 'jane', followers: -1 } })).toEqual([
      'author.followers must be at least 0, got -1',
    ]);
    expect(schemaMessages('post', { ...goodPost, author: { handle: 'jane', followers: 1.5 } })).toEqual([
      'author.followers must be a whole number, got 1.5',
    ]);
    expect(schemaMessages('post', { ...goodPost, createdAt: 'yesterday' })).toEqual([
      'createdAt must be a date and time in ISO 8601 with offset, like 2026-11-28T23:10:00+01:00, got "yesterday"',
    ]);
    expect(schemaMessages('post', { ...goodPost, text: 'x'.repeat(10_001) })).toEqual([
      'text must be at most 10000 characters long (it has 10001)',
    ]);
    expect(schemaMessages('post', { ...goodPost, id: 'x'.repeat(201) })).toEqual(['id must be at most 200 characters long (it has 201)']);
    expect(schemaMessages('post', { ...goodPost, autor: {} })).toEqual(['unknown property "autor" (did you mean "author"?)']);
    expect(schemaMessages('post', { ...goodPost, author: { handle: 'jane', followrs: 3 } })).toEqual([
      'author: unknown property "followrs" (did you mean "followers"?)',
    ]);
  });

  it('reports several problems at once', () => {
    expect(schemaMessages('post', { channel: 'twitter', id: 1, text: 5 })).toEqual([
      'missing required property "author"',
      'missing required property "createdAt"',
      'id must be text, got 1',
      'text must be text, got 5',
    ]);
  });
});

describe('describeAjvError', () => {
  it('collapses a value that fits none of the forms into one sentence', () => {
    const validate = validatorFor('policy');
    validate({ id: 'x', priority: 1, steps: [{ ignore: { reason: 'r' } }], when: { channel: null } });
    expect(collapseAjvErrors(validate.errors ?? []).map(describeAjvError)).toEqual([
      'when.channel must be text, a number, true/false, a list or a mapping (key: value), got nothing',
    ]);
  });

  it('reports the error inside a matcher rather than the forms it did not take', () => {
    const validate = validatorFor('policy');
    validate({ id: 'x', priority: 1, steps: [{ ignore: { reason: 'r' } }], when: { text: { contains: 5 } } });
    expect(collapseAjvErrors(validate.errors ?? []).map(describeAjvError)).toEqual(['when.text.contains must be text or a list, got 5']);
  });

  it('an empty step says what a step may be', () => {
    expect(schemaMessages('policy', { id: 'x', priority: 1, steps: [{}] })).toEqual([
      'steps[0]: expected exactly one of ignore, interimReply, reply, escalate, followUp, notify',
    ]);
  });
});
