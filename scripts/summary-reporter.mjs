// Ends a test run with one plain line, "N passed, N failed[, N skipped]",
// so the outcome can be read without parsing the progress display.
function count(suite, totals) {
  for (const test of suite?.tests ?? []) {
    if (test.skipped) totals.skipped++;
    else if (test.passed) totals.passed++;
    else totals.failed++;
  }
  for (const child of suite?.suites ?? []) count(child, totals);
  return totals;
}

export function summaryReporter() {
  return {
    stop({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        count(session.testResults, totals);
        // A file that failed to load or threw outside a test has no results; count it as a failure.
        if (!session.passed && !session.testResults?.tests.length && !session.testResults?.suites.length) totals.failed++;
      }
      const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
      console.log(`\n${totals.passed} passed, ${totals.failed} failed${skipped}`);
    },
  };
}
