// YAML with positions: pack errors must name line and column, so we keep the
// parsed document (not just its JS value) and map ajv's JSON pointers back
// onto its nodes.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import { pointerSegments } from './json-pointer';

export interface Position {
  line: number;
  col: number;
}

export interface PositionedMessage extends Position {
  file: string;
  message: string;
}

export interface ParsedYaml {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** Syntax errors, first line of yaml's message only (the rest is a code frame we do not need). */
  errors: PositionedMessage[];
}

/** Parses `text`; syntax errors come back positioned, never thrown. */
export function parseYaml(file: string, text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // uniqueKeys (the default) makes a repeated key an error: in a policy the
  // second `priority:` would otherwise silently win.
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const errors = doc.errors.map((e): PositionedMessage => {
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    return { file, line: pos.line, col: pos.col, message: firstLine(e.message) };
  });
  return { doc, lineCounter, errors };
}

function firstLine(message: string): string {
  // "Implicit map keys need to be followed by map values at line 3, column 1:\n\n<frame>"
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, '');
}

export interface PositionOptions {
  /** Point at the key of the last segment rather than its value (unknown property, bad key). */
  key?: boolean;
}

/**
 * The position of the node at `instancePath` (`/steps/1/escalate/decideWithin`),
 * or of its nearest existing ancestor when the path runs off the document
 * (a missing property points at the mapping that lacks it).
 */
export function positionOf(doc: Document, lineCounter: LineCounter, instancePath: string, options: PositionOptions = {}): Position {
  const start = offsetOf(doc, instancePath, options.key ?? false);
  return lineCounter.linePos(start);
}

function offsetOf(doc: Document, instancePath: string, wantKey: boolean): number {
  const segments = pointerSegments(instancePath);
  let node: unknown = doc.contents;
  let best = rangeStart(node) ?? 0;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === seg);
      if (!pair) return best;
      const keyStart = rangeStart(pair.key);
      // A key with no value (`steps:`) has no value node: the key is the place.
      const valueStart = rangeStart(pair.value);
      if (last && wantKey && keyStart !== null) return keyStart;
      node = pair.value;
      best = valueStart ?? keyStart ?? best;
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(seg)];
      const itemStart = /^\d+$/.test(seg) ? rangeStart(item) : null;
      if (itemStart === null) return best;
      node = item;
      best = itemStart;
    } else {
      return best;
    }
  }
  return best;
}

function keyText(key: unknown): string | null {
  if (isScalar(key)) return String(key.value);
  return null;
}

function rangeStart(node: unknown): number | null {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : null;
}
