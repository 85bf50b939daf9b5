/**
 * Simulator serving rate: issues per second through Jira `search/jql` with `fields=*all&expand=changelog`
 * on the `large` world, so pipeline benchmarks know the simulator is not their bottleneck. Also prints the
 * counts of the `demo` and `large` worlds. Run: `npx tsx scripts/bench-sim.ts`.
 */
import { generateWorld, startJiraSimulator, worldCounts } from '../simulators';

async function main(): Promise<void> {
  const demo = generateWorld({ scale: 'demo', seed: 1 });
  console.log(`demo world:  ${JSON.stringify(worldCounts(demo))}`);
  const t0 = performance.now();
  const large = generateWorld({ scale: 'large', seed: 1 });
  const genMs = performance.now() - t0;
  console.log(`large world: ${JSON.stringify(worldCounts(large))}`);
  console.log(`large world generated in ${(genMs / 1000).toFixed(1)} s, heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`);

  const sim = await startJiraSimulator({ world: large, token: 'bench' });
  const keys = large.jira.projects.map((p) => p.key).join(', ');
  const jql = `project in (${keys}) ORDER BY updated ASC`;
  const headers = { authorization: 'Bearer bench', 'content-type': 'application/json' };
  let issues = 0;
  let bytes = 0;
  let pages = 0;
  let token: string | undefined;
  const start = performance.now();
  do {
    const res = await fetch(`${sim.url}/rest/api/3/search/jql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jql, maxResults: 100, fields: ['*all'], expand: 'changelog', ...(token ? { nextPageToken: token } : {}) }),
    });
    if (res.status !== 200) throw new Error(`search/jql answered ${res.status}: ${await res.text()}`);
    const text = await res.text();
    bytes += text.length;
    const body = JSON.parse(text) as { issues: unknown[]; nextPageToken?: string };
    issues += body.issues.length;
    pages += 1;
    token = body.nextPageToken;
  } while (token);
  const secs = (performance.now() - start) / 1000;
  await sim.stop();
  if (issues !== large.jira.issues.length) throw new Error(`Paged ${issues} issues but the world has ${large.jira.issues.length}.`);
  console.log(`search/jql (fields=*all, expand=changelog, 100/page, one client): ${issues} issues in ${pages} pages, ${secs.toFixed(1)} s`);
  console.log(`serving rate: ${Math.round(issues / secs)} issues/s (${(bytes / 1e6 / secs).toFixed(1)} MB/s of JSON)`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
