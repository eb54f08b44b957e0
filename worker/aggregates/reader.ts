// The read side's D1 access: plain prepared statements (drizzle's D1 driver hides `meta`), each answer's
// `meta.rows_read` added up per request, so a request can say what it cost (the x-gs-rows-read header, only
// where the DEBUG_ROWS_READ variable is set: the tests and `npm run bench -- board-scale`).
export class CountingReader {
  rowsRead = 0;
  constructor(private readonly d1: D1Database) {}

  async all<T>(query: string, ...binds: unknown[]): Promise<T[]> {
    const result = await this.d1.prepare(query).bind(...binds).all<T>();
    this.rowsRead += result.meta.rows_read ?? 0;
    return result.results;
  }

  async batch(statements: readonly { query: string; binds: readonly unknown[] }[]): Promise<unknown[][]> {
    const results = await this.d1.batch(statements.map((s) => this.d1.prepare(s.query).bind(...s.binds)));
    for (const r of results) this.rowsRead += r.meta.rows_read ?? 0;
    return results.map((r) => r.results);
  }
}
