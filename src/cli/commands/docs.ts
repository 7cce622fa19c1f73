/** `tspipe docs generate` and `tspipe docs serve`: the lineage and KPI dashboard site. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import pc from 'picocolors';
import { withProjectOptions } from '../shared-options.js';

type GenerateArgs = ArgumentsCamelCase<{ projectDir: string; target?: string; databaseUrl?: string; vars?: Record<string, unknown> }>;
type ServeArgs = ArgumentsCamelCase<{ projectDir: string; port?: number }>;

const generate: CommandModule<object, GenerateArgs> = {
  command: 'generate',
  describe: 'Write the docs site to target/docs/: lineage (index.html) and KPI dashboard (dashboard.html)',
  builder: (yargs: Argv) =>
    withProjectOptions(yargs).epilogue(
      'Writes target/manifest.json, reads target/run_results.json and target/compiled/ for run status and SQL, ' +
        'and reads the kpi tables from the target (run `tspipe build` first). The site works offline: open ' +
        'target/docs/index.html from disk or run `tspipe docs serve`.',
    ) as unknown as Argv<GenerateArgs>,
  handler: async (argv) => {
    const started = performance.now();
    const { generateDocs } = await import('../../api/docs.js');
    const outcome = await generateDocs(argv, { onInfo: (message) => console.log(message) });
    for (const warning of outcome.warnings) console.warn(pc.yellow(`warning: ${warning}`));
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    console.log(`Wrote the docs site (${outcome.nodes} nodes) in ${seconds}s to ${outcome.dir}/`);
    console.log(`  lineage:   ${outcome.index}`);
    console.log(`  dashboard: ${outcome.dashboard}${outcome.asOfDate ? ` (KPIs as of ${outcome.asOfDate})` : ' (no KPI data yet)'}`);
    console.log('Browse it with `tspipe docs serve`.');
  },
};

const serve: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Serve target/docs/ on http://127.0.0.1 (local only) until Ctrl+C',
  builder: (yargs: Argv) =>
    yargs
      .option('project-dir', { type: 'string', describe: 'Project folder (with project.yml or dbt_project.yml)', default: '.', group: 'Project:' })
      .option('port', { type: 'number', describe: 'Port to listen on (default 8080); 0 picks any free port', group: 'Serve:' })
      .epilogue('Serves what `tspipe docs generate` wrote; run it again to refresh the site (reload the page).') as unknown as Argv<ServeArgs>,
  handler: async (argv) => {
    const { serveDocs } = await import('../../api/docs.js');
    const docs = await serveDocs({ projectDir: argv.projectDir, port: argv.port });
    console.log(`Serving ${docs.dir}/ at ${pc.bold(docs.url)}`);
    console.log(`  lineage:   ${docs.url}`);
    console.log(`  dashboard: ${docs.dashboardUrl}`);
    console.log('Press Ctrl+C to stop.');
    // the listening server keeps the process alive; Ctrl+C closes it cleanly
    process.once('SIGINT', () => void docs.close().then(() => process.exit(0)));
  },
};

const docsCommand: CommandModule = {
  command: 'docs',
  describe: 'Docs site: lineage with model docs and SQL, and the KPI dashboard',
  builder: (yargs: Argv) =>
    yargs
      .command(generate)
      .command(serve)
      .demandCommand(1, 'Name a docs command: tspipe docs generate, or tspipe docs serve')
      .example('tspipe docs generate', 'write target/docs/ from the project and the target database')
      .example('tspipe docs serve --port 0', 'serve it on a free port and print the URL'),
  handler: () => {},
};
export default docsCommand;
