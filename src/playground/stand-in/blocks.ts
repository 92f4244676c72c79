import { LIMITS } from '../../views/text';
import type { WireBlock } from './types';

/** Slack rejects messages with roughly this much block text even when each block is valid (bolt-js #2509). */
const TOTAL_BLOCK_TEXT = 12000;

export type BlocksCheck = { ok: true; blocks: WireBlock[] } | { ok: false; error: string; messages: string[] };

function textOf(obj: unknown): string | undefined {
  return obj && typeof obj === 'object' && typeof (obj as any).text === 'string' ? (obj as any).text : undefined;
}

function checkElement(el: any, where: string, seen: Set<string>, errors: string[]): void {
  if (!el || typeof el !== 'object' || typeof el.type !== 'string') return void errors.push(`${where} must be an object with a type`);
  if (typeof el.action_id === 'string') {
    if (el.action_id.length > LIMITS.id) errors.push(`${where}.action_id must be at most ${LIMITS.id} characters`);
    if (seen.has(el.action_id)) errors.push(`${where}.action_id ${el.action_id} is not unique in its block`);
    seen.add(el.action_id);
  }
  if (el.type === 'button') {
    if ((textOf(el.text) ?? '').length > LIMITS.buttonText) errors.push(`${where}.text must be at most ${LIMITS.buttonText} characters`);
    if (typeof el.value === 'string' && el.value.length > LIMITS.buttonValue) errors.push(`${where}.value must be at most ${LIMITS.buttonValue} characters`);
  }
}

function checkBlock(b: any, i: number, ids: Set<string>, errors: string[]): void {
  const where = `blocks[${i}]`;
  if (!b || typeof b !== 'object' || typeof b.type !== 'string') return void errors.push(`${where} must be an object with a type`);
  if (b.block_id !== undefined) {
    if (typeof b.block_id !== 'string' || b.block_id.length > LIMITS.id) errors.push(`${where}.block_id must be a string of at most ${LIMITS.id} characters`);
    else if (ids.has(b.block_id)) errors.push(`${where}.block_id ${b.block_id} is a duplicate`);
    ids.add(b.block_id);
  }
  const seen = new Set<string>();
  if (b.type === 'section') {
    const text = textOf(b.text);
    if (text === undefined && !Array.isArray(b.fields)) errors.push(`${where} needs text or fields`);
    if (text !== undefined && (text.length === 0 || text.length > LIMITS.sectionText)) errors.push(`${where}.text must be 1-${LIMITS.sectionText} characters`);
    if (Array.isArray(b.fields)) {
      if (b.fields.length > LIMITS.fieldsPerSection) errors.push(`${where}.fields must have at most ${LIMITS.fieldsPerSection} items`);
      b.fields.forEach((f: unknown, j: number) => {
        if ((textOf(f) ?? '').length > LIMITS.fieldText) errors.push(`${where}.fields[${j}] must be at most ${LIMITS.fieldText} characters`);
      });
    }
    if (b.accessory) checkElement(b.accessory, `${where}.accessory`, seen, errors);
  } else if (b.type === 'header') {
    const text = textOf(b.text) ?? '';
    if (text.length === 0 || text.length > LIMITS.headerText) errors.push(`${where}.text must be 1-${LIMITS.headerText} characters`);
  } else if (b.type === 'context' || b.type === 'actions') {
    const max = b.type === 'context' ? LIMITS.contextElements : LIMITS.actionsElements;
    if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > max) errors.push(`${where}.elements must have 1-${max} items`);
    else if (b.type === 'actions') b.elements.forEach((el: unknown, j: number) => checkElement(el, `${where}.elements[${j}]`, seen, errors));
  } else if (b.type === 'input' && b.element) {
    checkElement(b.element, `${where}.element`, seen, errors);
  }
}

function totalText(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + totalText(v), 0);
  if (!value || typeof value !== 'object') return 0;
  return Object.entries(value).reduce((n, [k, v]) => n + (k === 'text' && typeof v === 'string' ? v.length : totalText(v)), 0);
}

/**
 * Checks blocks the way Slack rejects them (`invalid_blocks` + `[ERROR]` messages; limits from slack-platform.md §6),
 * so a renderer that breaks a limit fails in tests instead of in a workspace.
 */
export function checkBlocks(value: unknown, maxBlocks: number = LIMITS.blocksPerMessage): BlocksCheck {
  if (value === undefined || value === '') return { ok: true, blocks: [] };
  if (!Array.isArray(value)) return { ok: false, error: 'invalid_blocks_format', messages: ['[ERROR] blocks must be a JSON array'] };
  const errors: string[] = [];
  if (value.length > maxBlocks) errors.push(`no more than ${maxBlocks} items allowed [json-pointer:/blocks]`);
  const ids = new Set<string>();
  value.forEach((b, i) => checkBlock(b, i, ids, errors));
  if (errors.length > 0) return { ok: false, error: 'invalid_blocks', messages: errors.map((e) => `[ERROR] ${e}`) };
  if (totalText(value) > TOTAL_BLOCK_TEXT) return { ok: false, error: 'msg_blocks_too_long', messages: [] };
  return { ok: true, blocks: value as WireBlock[] };
}
