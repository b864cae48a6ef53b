// How a declared search attribute (src/shared/search-attributes.ts) is spelled
// where it is registered: the CLI's `--search-attribute Name=Type` flag and the
// operator service's IndexedValueType enum. Derived from the SDK's own type
// names, so no table of type numbers is kept by hand.
import type { SearchAttributeType } from '@temporalio/common';
// CommonJS package: Node's ESM loader sees only its default export.
import proto from '@temporalio/proto';

/** A key as defineSearchAttributeKey makes it: name and SDK type. */
export interface SearchAttributeDeclaration {
  name: string;
  type: SearchAttributeType;
}

/** `KEYWORD_LIST` → `KeywordList`: the type names `temporal server start-dev` takes. */
export function cliTypeName(type: SearchAttributeType): string {
  return type
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** The operator service's enum value for a type. */
export function indexedValueType(type: SearchAttributeType): proto.temporal.api.enums.v1.IndexedValueType {
  const value = proto.temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${type}`];
  if (value === undefined) throw new Error(`no IndexedValueType for search attribute type ${type}`);
  return value;
}

/** The `searchAttributes` argument of operatorService.addSearchAttributes. */
export function indexedValueTypes(
  keys: readonly SearchAttributeDeclaration[],
): Record<string, proto.temporal.api.enums.v1.IndexedValueType> {
  return Object.fromEntries(keys.map((key) => [key.name, indexedValueType(key.type)]));
}
