// The README tells cluster operators which search attributes to register; the
// declaration in src/shared/search-attributes.ts is the owner of that fact.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { cliTypeName } from '../../src/runtime/temporal/search-attribute-registration';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';

it('the README lists exactly the declared search attributes, with their types', () => {
  const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
  const para = readme.slice(readme.indexOf('Against a cluster, register the search attributes'));
  const listed = [...para.slice(0, para.indexOf('\n\n')).matchAll(/`(Hearken\w+)` \((\w+)\)/g)].map((m) => `${m[1]}=${m[2]}`);
  expect(listed.sort()).toEqual(SEARCH_ATTRIBUTES.map((k) => `${k.name}=${cliTypeName(k.type)}`).sort());
});
