/**
 * Ends the run with plain lines CI reads: how many tests ran on each database (a suite from
 * describeEachDatabase carries "[sqlite]" or "[postgres]" in its name, one per database and HTTP
 * adapter "[sqlite, express]"), then
 * "tests: N passed, N failed, N skipped". Written at process exit so that they come after
 * Jest's own summary.
 */
class SummaryReporter {
  constructor() {
    this.byDatabase = { sqlite: { passed: 0, failed: 0 }, postgres: { passed: 0, failed: 0 } };
  }

  onTestResult(_test, result) {
    for (const t of result.testResults) {
      const kind = t.ancestorTitles.join(' ').match(/\[(sqlite|postgres)(?:\]|, )/)?.[1];
      if (!kind || (t.status !== 'passed' && t.status !== 'failed')) continue;
      this.byDatabase[kind][t.status] += 1;
    }
  }

  onRunComplete(_contexts, results) {
    const db = (kind) =>
      `${kind} ${this.byDatabase[kind].passed} passed, ${this.byDatabase[kind].failed} failed`;
    const skipped = results.numPendingTests + results.numTodoTests;
    const lines =
      `database tests: ${db('sqlite')}; ${db('postgres')}\n` +
      `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`;
    process.once('exit', () => process.stderr.write(lines));
  }
}
module.exports = SummaryReporter;
