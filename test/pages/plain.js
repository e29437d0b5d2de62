// Records every Content Security Policy violation, then loads the single-file
// build and runs the console on the mock adapter (the test drives the rest).
window.violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.violations.push(`${event.violatedDirective}: ${event.blockedURI || 'inline'} ${event.sample} (${event.sourceFile}:${event.lineNumber}:${event.columnNumber})`);
});

// A page that runs Lit or DOMPurify of its own has made their policies already.
for (const name of new URLSearchParams(location.search).get('page-policies')?.split(',') ?? []) {
  window.trustedTypes.createPolicy(name, { createHTML: (html) => html });
}

const { MockChannelAdapter } = await import('../../dist/bundle.js');
const adapter = new MockChannelAdapter({ latency: 0, historySize: 3 });
window.adapter = adapter;
document.querySelector('agent-console').adapter = adapter;
