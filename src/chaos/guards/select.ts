import { AD_HOC_GUARD_NAME } from '../../config/schema';
import type { GuardConfig } from '../../config/types';
import type { Template } from '../model';
import type { GuardSpec } from './evaluate';

/**
 * The guards that apply to a run of `template`: every configured guard without `templates`, those whose
 * `templates` name it (by id or `Name` tag), and the ad-hoc `--guard` of `/chaos run`, last.
 */
export function guardsFor(configured: GuardConfig[], template: Pick<Template, 'id' | 'name'>, adHoc?: { expr: string; forMs: number }): GuardSpec[] {
  const applies = (g: GuardConfig) => !g.templates || g.templates.some((t) => t === template.id || (template.name !== undefined && t === template.name));
  const specs: GuardSpec[] = configured.filter(applies).map(({ name, expr, forMs, value }) => ({ name, expr, forMs, ...(value === undefined ? {} : { value }) }));
  return adHoc ? [...specs, { name: AD_HOC_GUARD_NAME, expr: adHoc.expr, forMs: adHoc.forMs }] : specs;
}
