/**
 * Grafana dashboards port (a Grafana URL with a token, Amazon Managed Grafana with short-lived service-account
 * tokens, or the sandbox). Domain shapes, not Grafana's JSON: panels inside collapsed rows are flattened, variables
 * carry their saved values, URLs are absolute.
 */
import type { Dashboard, DashboardSummary, TimeRange } from '../grafana/model';

export interface Dashboards {
  /** Where dashboards come from, for the context line: 'Grafana https://…', 'Amazon Managed Grafana g-… (us-east-1)'. */
  describe(): string;
  /** Dashboards whose title contains `terms` (Grafana's own search); `tag:NAME` words filter by tag. */
  search(terms: string): Promise<DashboardSummary[]>;
  /** By uid, else by title (case-insensitive): one match or a LookoutError that lists the candidates. */
  getDashboard(uidOrTitle: string): Promise<Dashboard>;
  /** A link that opens one panel alone (viewPanel) over `range`, with the variable values the chart used. */
  panelUrl(dashboard: Dashboard, panelId: number, range: TimeRange, variables?: Record<string, string[]>): string;
  /** Deletes any short-lived credential still held (AMG tokens); safe to call more than once. */
  close(): Promise<void>;
}
