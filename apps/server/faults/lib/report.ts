export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export type Verdict = 'PASS' | 'FAIL' | 'SKIP';

/** What one scenario did and found, in the four parts the issue asks for plus the checks behind the verdict. */
export class ScenarioReport {
  readonly sent: string[] = [];
  readonly fault: string[] = [];
  readonly stored: string[] = [];
  readonly delivered: string[] = [];
  readonly checks: Check[] = [];
  readonly figures: Record<string, number | string> = {};
  skipped: string | undefined;
  error: string | undefined;
  logs: string[] = [];
  /** Error-level lines the server processes logged (what went wrong inside, even when nothing was lost). */
  serverErrors: string[] = [];
  durationMs = 0;

  constructor(
    readonly id: string,
    readonly title: string,
  ) {}

  check(name: string, ok: boolean, detail = ''): boolean {
    this.checks.push({ name, ok, detail });
    return ok;
  }

  figure(name: string, value: number | string): void {
    this.figures[name] = value;
  }

  get verdict(): Verdict {
    if (this.skipped !== undefined) return 'SKIP';
    if (this.error !== undefined || this.checks.length === 0) return 'FAIL';
    return this.checks.every((c) => c.ok) ? 'PASS' : 'FAIL';
  }

  /** Human-readable block printed by the runner and the CI test. */
  format(): string {
    const out = [`── ${this.id}. ${this.title} ──`];
    const section = (label: string, lines: string[]) => {
      for (const [i, l] of lines.entries()) out.push(`${i === 0 ? label.padEnd(10) : ' '.repeat(10)} ${l}`);
    };
    if (this.skipped !== undefined) {
      out.push(`verdict    SKIP (${this.skipped})`);
      return out.join('\n');
    }
    section('sent', this.sent);
    section('fault', this.fault);
    section('stored', this.stored);
    section('delivered', this.delivered);
    if (this.serverErrors.length > 0) section('logged', this.errorSummary());
    for (const c of this.checks)
      out.push(`${c.ok ? '  ok  ' : '  FAIL'}     ${c.name}${c.detail ? ` — ${c.detail}` : ''}`);
    if (this.error !== undefined) out.push(`error      ${this.error}`);
    out.push(`verdict    ${this.verdict} (${(this.durationMs / 1000).toFixed(1)} s)`);
    if (this.verdict === 'FAIL') for (const l of this.logs) out.push(l);
    return out.join('\n');
  }

  /** "12 × claiming jobs failed: …", most frequent first. */
  errorSummary(): string[] {
    const counts = new Map<string, number>();
    for (const e of this.serverErrors) {
      const key = e.slice(0, 160);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [
      `${this.serverErrors.length} error lines from the server${this.serverErrors.length >= 200 ? ' (first 200 kept)' : ''}:`,
      ...[...counts]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([k, n]) => `${n} × ${k}`),
    ];
  }

  toJSON() {
    return {
      id: this.id,
      title: this.title,
      verdict: this.verdict,
      durationMs: this.durationMs,
      sent: this.sent,
      fault: this.fault,
      stored: this.stored,
      delivered: this.delivered,
      checks: this.checks,
      figures: this.figures,
      serverErrors: this.serverErrors.length ? this.errorSummary() : [],
      skipped: this.skipped,
      error: this.error,
    };
  }
}

/** Runs a scenario body with timing; an exception becomes a failed verdict instead of a lost report. */
export async function runScenario(
  report: ScenarioReport,
  body: (r: ScenarioReport) => Promise<void>,
): Promise<ScenarioReport> {
  const started = Date.now();
  try {
    await body(report);
  } catch (err) {
    report.error = err instanceof Error ? (err.stack ?? err.message) : String(err);
  } finally {
    report.durationMs = Date.now() - started;
  }
  return report;
}

/** "200×3000, ECONNREFUSED×412" */
export function histogram(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}×${v}`)
    .join(', ');
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
