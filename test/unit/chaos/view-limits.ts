import { blockTextLength, type SlackMessage } from '../../../src/views/message';
import { LIMITS } from '../../../src/views/text';

/** Asserts Slack's Block Kit limits on a rendered message (slack-platform.md §6.1); returns the problems found. */
export function blockKitProblems(m: SlackMessage): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => ok || problems.push(what);
  check(m.blocks.length <= LIMITS.blocksPerMessage, `${m.blocks.length} blocks`);
  check(m.text.length > 0 && m.text.length <= LIMITS.messageText, `fallback text length ${m.text.length}`);
  check(blockTextLength(m.blocks) <= LIMITS.totalBlockText, `total block text ${blockTextLength(m.blocks)}`);
  for (const b of m.blocks as any[]) {
    if (b.block_id) check(b.block_id.length <= LIMITS.id, `block_id ${b.block_id.length}`);
    if (b.type === 'section') {
      check(b.text.text.length >= 1 && b.text.text.length <= LIMITS.sectionText, `section text ${b.text.text.length}`);
    }
    if (b.type === 'header') check(b.text.type === 'plain_text' && b.text.text.length <= LIMITS.headerText, `header ${b.text.text.length}`);
    if (b.type === 'context') check(b.elements.length <= LIMITS.contextElements, `context elements ${b.elements.length}`);
    if (b.type === 'actions') {
      check(b.elements.length <= LIMITS.actionsElements, `actions elements ${b.elements.length}`);
      const ids = new Set<string>();
      for (const e of b.elements) {
        check(e.action_id.length <= LIMITS.id, `action_id ${e.action_id.length}`);
        check(!ids.has(e.action_id), `duplicate action_id ${e.action_id}`);
        ids.add(e.action_id);
        check(e.text.text.length <= LIMITS.buttonText, `button text ${e.text.text.length}`);
        check((e.value ?? '').length <= LIMITS.buttonValue, `button value ${e.value?.length}`);
        if (e.confirm) {
          check(e.confirm.title.text.length <= 100, 'confirm title');
          check(e.confirm.text.text.length <= 300, 'confirm text');
          check(e.confirm.confirm.text.length <= 30 && e.confirm.deny.text.length <= 30, 'confirm buttons');
        }
      }
    }
  }
  return problems;
}

// Shared with the reliability suites.
export { liveTokens } from '../../helpers/live-tokens';
